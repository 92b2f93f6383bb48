import { usageGrowth } from '../../../src/commands/watch/usage-growth';
import type { UsageSample } from '../../../src/store/watch-store';

const dayMs = 86_400_000;
const gb = 1024 ** 3;
const start = Date.parse('2026-03-01T10:00:00.000Z');

function sample(day: number, usedGb: number): UsageSample {
  return { at: start + day * dayMs, usedBytes: usedGb * gb, quotaGb: 20 };
}

describe('usageGrowth', () => {
  it('tells the daily growth and the days until full when samples a week apart show growth', () => {
    // Prepare
    const samples = [sample(0, 10), sample(3, 11), sample(7, 13.5)];

    // Act
    const growth = usageGrowth(samples, 20 * gb);

    // Assess
    expect(growth).toEqual({ grownBytes: 3.5 * gb, spanDays: 7, bytesPerDay: 0.5 * gb, fullInDays: 13 });
  });

  it('rounds the days until full up when the rate does not divide what is left', () => {
    // Prepare
    const samples = [sample(0, 10), sample(2, 13)];

    // Act
    const growth = usageGrowth(samples, 20 * gb);

    // Assess
    expect(growth?.fullInDays).toBe(5);
  });

  it('tells no days until full when usage fell or stayed', () => {
    // Prepare
    const fell = [sample(0, 12), sample(7, 9)];
    const stayed = [sample(0, 12), sample(7, 12)];

    // Act
    const growths = [usageGrowth(fell, 20 * gb), usageGrowth(stayed, 20 * gb)];

    // Assess
    expect(growths).toEqual([
      { grownBytes: -3 * gb, spanDays: 7, bytesPerDay: (-3 * gb) / 7 },
      { grownBytes: 0, spanDays: 7, bytesPerDay: 0 },
    ]);
  });

  it('tells no days until full when the quota is already full', () => {
    // Prepare
    const samples = [sample(0, 18), sample(1, 21)];

    // Act
    const growth = usageGrowth(samples, 20 * gb);

    // Assess
    expect(growth).toEqual({ grownBytes: 3 * gb, spanDays: 1, bytesPerDay: 3 * gb });
  });

  it('cannot tell when there is one sample or the samples are less than a day apart', () => {
    // Prepare
    const one = [sample(0, 10)];
    const close = [sample(0, 10), { ...sample(0, 11), at: start + dayMs / 2 }];

    // Act
    const growths = [usageGrowth([], 20 * gb), usageGrowth(one, 20 * gb), usageGrowth(close, 20 * gb)];

    // Assess
    expect(growths).toEqual([undefined, undefined, undefined]);
  });
});
