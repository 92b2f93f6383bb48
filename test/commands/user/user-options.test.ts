import { seedIds } from '../../../local/emulator/seed';
import { searchUserOptions } from '../../../src/commands/user/user-options';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { answerOnePage, vcrCalls } from '../../support/command-harness';

describe('searchUserOptions', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  it('lists the matching users by name and id with one list call filtered by what was typed', async () => {
    // Act
    const options = await searchUserOptions(harness.context().vcr, '  deploy ', 50);

    // Assess
    expect(options).toEqual([
      { value: `ci-deployer@${seedIds.users.ciDeployer}`, text: 'ci-deployer (10001234-ci-deployer)' },
    ]);
    expect(vcrCalls(harness, { query: true })).toEqual(['GET /v1/user?name=deploy&page=1&size=50']);
  });

  it('asks for no filter and at most fifty users when nothing was typed and more were asked for', async () => {
    // Act
    const options = await searchUserOptions(harness.context().vcr, '', 500);

    // Assess
    expect(options).toHaveLength(3);
    expect(vcrCalls(harness, { query: true })).toEqual(['GET /v1/user?page=1&size=50']);
  });

  it('cuts the text to 75 characters when the names are long', async () => {
    // Prepare
    const long = { uuid: 'ra-long', name: 'long-name-user', backendName: `10001234-${'x'.repeat(80)}` };
    answerOnePage(harness, '/v1/user', [long]);

    // Act
    const [option] = await searchUserOptions(harness.context().vcr, 'long', 50);

    // Assess
    expect(option?.value).toBe('long-name-user@ra-long');
    expect(option?.text).toHaveLength(75);
    expect(option?.text).toMatch(/^long-name-user \(10001234-x+…$/);
  });
});
