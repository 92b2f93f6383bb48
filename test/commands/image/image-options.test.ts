import { seedIds } from '../../../local/emulator/seed';
import { isUnpickableImage, searchImageOptions } from '../../../src/commands/image/image-options';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { addImage, vcrCalls } from '../../support/command-harness';

const { paymentsApi, sandboxTmp } = seedIds.repositories;

describe('searchImageOptions', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  it('lists the matching images of one repository by name with one list call filtered by what was typed', async () => {
    // Act
    const options = await searchImageOptions(harness.context().vcr, paymentsApi, ' team ', 50);

    // Assess
    expect(options.sort((a, b) => a.value.localeCompare(b.value))).toEqual([
      { value: 'team/api', text: 'team/api' },
      { value: 'team/worker', text: 'team/worker' },
    ]);
    expect(vcrCalls(harness, { query: true })).toEqual([
      `GET /v1/repository/${paymentsApi}/images?name=team&page=1&size=50`,
    ]);
  });

  it('sends an empty name filter and asks for at most fifty images when nothing was typed', async () => {
    // Act
    const options = await searchImageOptions(harness.context().vcr, paymentsApi, undefined, 1000);

    // Assess
    expect(options).toHaveLength(3);
    expect(vcrCalls(harness, { query: true })).toEqual([
      `GET /v1/repository/${paymentsApi}/images?name=&page=1&size=50`,
    ]);
  });

  it('offers a name longer than an option value holds with a placeholder value its commands refuse', async () => {
    // Prepare
    const longName = `tools/${'nested/'.repeat(12)}builder`;
    addImage(harness, sandboxTmp, longName);
    addImage(harness, sandboxTmp, 'tools/short');

    // Act
    const options = await searchImageOptions(harness.context().vcr, sandboxTmp, 'tools', 50);

    // Assess
    const long = options.find((option) => option.value !== 'tools/short');
    expect(longName.length).toBeGreaterThan(75);
    expect(long?.text).toBe('tools/nested/nested/nested/nested/neste… (too long: type REPO/IMAGE)');
    expect(long && isUnpickableImage(long.value)).toBe(true);
    expect(isUnpickableImage('tools/short')).toBe(false);
  });
});
