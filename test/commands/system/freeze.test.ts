import { frozenOut } from '../../../src/commands/authorize';
import { commandIds } from '../../../src/commands/command-ids';
import { findCommandById } from '../../../src/commands/registry';
import { parseUntil } from '../../../src/commands/system/freeze';
import { UserError } from '../../../src/errors';

const now = Date.UTC(2026, 11, 24, 12);
const spec = (id: string) => findCommandById(id)!;

describe('parseUntil', () => {
  it.each([
    ['2h', now + 2 * 3_600_000],
    ['3d', now + 3 * 86_400_000],
    ['90m', now + 90 * 60_000],
    ['2026-12-24T18:00', Date.UTC(2026, 11, 24, 18)],
    ['2026-12-24T20:00+07:00', Date.UTC(2026, 11, 24, 13)],
    ['2026-12-25', Date.UTC(2026, 11, 25)],
  ])('reads %s', (until, expected) => {
    // Act
    const at = parseUntil(until, now);

    // Assess
    expect(at).toBe(expected);
  });

  it.each([
    ['tomorrow', 'is not a time'],
    ['2026-12-24T11:00', 'is already past'],
    ['0h', 'is already past'],
    ['400d', 'within a year'],
  ])('refuses %s with the accepted forms', (until, problem) => {
    // Act
    const act = () => parseUntil(until, now);

    // Assess
    expect(act).toThrow(UserError);
    expect(act).toThrow(problem);
  });
});

describe('frozenOut', () => {
  it('holds back every change and the decisions that would execute one', () => {
    // Act
    const held = {
      typed: frozenOut(spec(commandIds.repoQuota)),
      confirm: frozenOut(spec(commandIds.repoDelete), { choice: 'confirm' }),
      approve: frozenOut(spec(commandIds.repoDelete), { choice: 'approve' }),
    };

    // Assess
    expect(held).toEqual({ typed: true, confirm: true, approve: true });
  });

  it('lets reads, cancelling, rejecting, freeze and unfreeze through', () => {
    // Act
    const held = [
      frozenOut(spec(commandIds.reposList)),
      frozenOut(spec(commandIds.audit)),
      frozenOut(spec(commandIds.repoDelete), { choice: 'cancel' }),
      frozenOut(spec(commandIds.repoDelete), { choice: 'reject' }),
      frozenOut(spec(commandIds.freeze)),
      frozenOut(spec(commandIds.unfreeze)),
    ];

    // Assess
    expect(held).toEqual([false, false, false, false, false, false]);
  });
});
