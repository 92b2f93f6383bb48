import { actionIds, fieldBlockId, imagePickerActionId } from '../../src/slack/ids';
import { type InputState, readFormValues } from '../../src/slack/read-form-values';

describe('readFormValues', () => {
  it('turns each input kind into the arg its field names when a modal is submitted', () => {
    // Prepare
    const values: Record<string, Record<string, InputState>> = {
      [fieldBlockId('name')]: { [actionIds.input]: { type: 'plain_text_input', value: '  ci-bot  ' } },
      [fieldBlockId('description')]: { [actionIds.input]: { type: 'plain_text_input', value: '' } },
      [fieldBlockId('days')]: { [actionIds.input]: { type: 'number_input', value: '30' } },
      [fieldBlockId('public')]: { [actionIds.input]: { type: 'checkboxes', selected_options: [{ value: 'true' }] } },
      [fieldBlockId('share')]: { [actionIds.input]: { type: 'checkboxes', selected_options: [] } },
      [fieldBlockId('access')]: { [actionIds.input]: { type: 'static_select', selected_option: { value: 'push' } } },
      [fieldBlockId('push')]: {
        [actionIds.pickRepositories]: {
          type: 'multi_external_select',
          selected_options: [{ value: 'r1' }, { value: 'r2' }],
        },
      },
      [fieldBlockId('pull')]: { [actionIds.pickRepositories]: { type: 'multi_external_select', selected_options: [] } },
      [fieldBlockId('repo')]: { [actionIds.pickRepositories]: { type: 'external_select', selected_option: null } },
      [fieldBlockId('user')]: { [actionIds.pickUser]: { type: 'external_select', selected_option: { value: 'ra-1' } } },
      [fieldBlockId('image')]: {
        [imagePickerActionId('r1')]: { type: 'external_select', selected_option: { value: 'team/api' } },
      },
      'not-a-field': { x: { type: 'plain_text_input', value: 'ignored' } },
    };

    // Act
    const args = readFormValues(values);

    // Assess
    expect(args).toEqual({
      name: 'ci-bot',
      description: undefined,
      days: '30',
      public: true,
      share: false,
      access: 'push',
      push: ['r1', 'r2'],
      pull: [],
      repo: undefined,
      user: 'ra-1',
      image: 'team/api',
    });
  });
});
