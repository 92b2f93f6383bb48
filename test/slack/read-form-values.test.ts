import { readFormValues } from '../../src/slack/read-form-values';

describe('readFormValues', () => {
  it('turns each input kind into the arg its field names when a modal is submitted', () => {
    // Prepare
    const values = {
      'field:name': { 'vcr.input': { type: 'plain_text_input', value: '  ci-bot  ' } },
      'field:description': { 'vcr.input': { type: 'plain_text_input', value: '' } },
      'field:days': { 'vcr.input': { type: 'number_input', value: '30' } },
      'field:public': { 'vcr.input': { type: 'checkboxes', selected_options: [{ value: 'true' }] } },
      'field:share': { 'vcr.input': { type: 'checkboxes', selected_options: [] } },
      'field:access': { 'vcr.input': { type: 'static_select', selected_option: { value: 'push' } } },
      'field:push': {
        'vcr.pick.repositories': {
          type: 'multi_external_select',
          selected_options: [{ value: 'r1' }, { value: 'r2' }],
        },
      },
      'field:pull': { 'vcr.pick.repositories': { type: 'multi_external_select', selected_options: [] } },
      'field:repo': { 'vcr.pick.repositories': { type: 'external_select', selected_option: null } },
      'field:user': { 'vcr.pick.user': { type: 'external_select', selected_option: { value: 'ra-1' } } },
      'field:image': { 'vcr.pick.image:r1': { type: 'external_select', selected_option: { value: 'team/api' } } },
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
