import type { Form, Reply } from '../../src/commands/reply';
import { decodeButtonValue } from '../../src/slack/button-value';
import { actionIds, fieldBlockId, imagePickerActionId } from '../../src/slack/ids';
import { renderForm, renderOptions, renderReply, renderSecret } from '../../src/slack/render';
import { messageLimitProblems, viewLimitProblems } from '../support/block-limits';

const repoUuid = 'repo-6f1c2d3e-aaaa-4bbb-8ccc-123456789abc';

describe('renderReply', () => {
  it('renders a repository card with its buttons when the reply has header, fields, text and actions', () => {
    // Prepare
    const reply: Reply = {
      text: 'Repository payments-api',
      parts: [
        { type: 'header', text: 'payments-api' },
        {
          type: 'fields',
          fields: [
            { label: 'Backend name', value: '`10001234-payments-api`' },
            { label: 'Access', value: 'private' },
            { label: 'Usage', value: '764 MB of 20 GB ░░░░░░░░░░ 4%' },
          ],
        },
        { type: 'text', text: 'Push: `docker push vcr.vngcloud.vn/10001234-payments-api/IMAGE:TAG`' },
        {
          type: 'actions',
          actions: [
            { label: 'Images', invocation: { command: 'images.list', args: { repo: repoUuid } } },
            { label: 'Delete', style: 'danger', invocation: { command: 'repo.delete', args: { repo: repoUuid } } },
          ],
        },
      ],
    };

    // Act
    const message = renderReply(reply);

    // Assess
    expect(messageLimitProblems(message)).toEqual([]);
    expect(message).toMatchInlineSnapshot(`
{
  "blocks": [
    {
      "text": {
        "emoji": true,
        "text": "payments-api",
        "type": "plain_text",
      },
      "type": "header",
    },
    {
      "fields": [
        {
          "text": "*Backend name*
\`10001234-payments-api\`",
          "type": "mrkdwn",
          "verbatim": true,
        },
        {
          "text": "*Access*
private",
          "type": "mrkdwn",
          "verbatim": true,
        },
        {
          "text": "*Usage*
764 MB of 20 GB ░░░░░░░░░░ 4%",
          "type": "mrkdwn",
          "verbatim": true,
        },
      ],
      "type": "section",
    },
    {
      "text": {
        "text": "Push: \`docker push vcr.vngcloud.vn/10001234-payments-api/IMAGE:TAG\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
      "type": "section",
    },
    {
      "elements": [
        {
          "action_id": "vcr.run:0",
          "text": {
            "emoji": true,
            "text": "Images",
            "type": "plain_text",
          },
          "type": "button",
          "value": "{"command":"images.list","args":{"repo":"repo-6f1c2d3e-aaaa-4bbb-8ccc-123456789abc"}}",
        },
        {
          "action_id": "vcr.run:1",
          "style": "danger",
          "text": {
            "emoji": true,
            "text": "Delete",
            "type": "plain_text",
          },
          "type": "button",
          "value": "{"command":"repo.delete","args":{"repo":"repo-6f1c2d3e-aaaa-4bbb-8ccc-123456789abc"}}",
        },
      ],
      "type": "actions",
    },
  ],
  "text": "Repository payments-api",
}
`);
  });

  it('stays within 50 blocks and ends with the count left out and the pager when a page has 10,000 long rows', () => {
    // Prepare
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      title: `*image-${i}* ${'x'.repeat(4000)}`,
      lines: ['12 artifacts · 3 pulls'],
      action: {
        label: `Open image-${i} ${'y'.repeat(100)}`,
        invocation: { command: 'image.show', args: { ref: `r/image-${i}` } },
      },
    }));
    const reply: Reply = {
      text: 'Images of big-repo',
      parts: [
        { type: 'header', text: `Images of ${'big-repo-'.repeat(30)}` },
        { type: 'list', items, empty: 'No images.' },
        {
          type: 'pager',
          page: 2,
          totalPage: 1000,
          totalItem: 10_000,
          invocation: { command: 'images.list', args: { repo: repoUuid } },
        },
      ],
    };

    // Act
    const message = renderReply(reply);

    // Assess
    expect(messageLimitProblems(message)).toEqual([]);
    expect(message.blocks).toHaveLength(50);
    const tail = message.blocks.slice(-3);
    expect(tail).toMatchInlineSnapshot(`
[
  {
    "elements": [
      {
        "text": "…and 9954 more",
        "type": "mrkdwn",
        "verbatim": true,
      },
    ],
    "type": "context",
  },
  {
    "elements": [
      {
        "text": "Page 2 of 1000 (10000 items)",
        "type": "mrkdwn",
        "verbatim": true,
      },
    ],
    "type": "context",
  },
  {
    "elements": [
      {
        "action_id": "vcr.page:10000",
        "text": {
          "emoji": true,
          "text": "← Previous",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"images.list","args":{"repo":"repo-6f1c2d3e-aaaa-4bbb-8ccc-123456789abc","page":1}}",
      },
      {
        "action_id": "vcr.page:10001",
        "text": {
          "emoji": true,
          "text": "Next →",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"images.list","args":{"repo":"repo-6f1c2d3e-aaaa-4bbb-8ccc-123456789abc","page":3}}",
      },
    ],
    "type": "actions",
  },
]
`);
  });

  it('renders a red button with a danger confirm dialog and a Cancel button when the reply is a preview', () => {
    // Prepare
    const reply: Reply = {
      text: 'Preview: delete repository sandbox-tmp',
      parts: [
        { type: 'header', text: 'Delete repository sandbox-tmp?' },
        { type: 'text', text: 'It has no images and no users. 5 GB of quota is freed.' },
        {
          type: 'actions',
          actions: [
            {
              label: 'Delete sandbox-tmp',
              style: 'danger',
              decision: { operationId: 'op-1', command: 'repo.delete', choice: 'confirm' },
              confirm: {
                title: 'Delete repository sandbox-tmp?',
                text: `This cannot be undone. ${'Really. '.repeat(60)}`,
                confirm: 'Delete it now, with everything inside',
                deny: 'Keep it',
              },
            },
            { label: 'Cancel', decision: { operationId: 'op-1', command: 'repo.delete', choice: 'cancel' } },
          ],
        },
      ],
    };

    // Act
    const message = renderReply(reply);

    // Assess
    expect(messageLimitProblems(message)).toEqual([]);
    expect(message.blocks[2]).toMatchInlineSnapshot(`
{
  "elements": [
    {
      "action_id": "vcr.decide:0",
      "confirm": {
        "confirm": {
          "emoji": true,
          "text": "Delete it now, with everythin…",
          "type": "plain_text",
        },
        "deny": {
          "emoji": true,
          "text": "Keep it",
          "type": "plain_text",
        },
        "style": "danger",
        "text": {
          "emoji": true,
          "text": "This cannot be undone. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Really. Real…",
          "type": "plain_text",
        },
        "title": {
          "emoji": true,
          "text": "Delete repository sandbox-tmp?",
          "type": "plain_text",
        },
      },
      "style": "danger",
      "text": {
        "emoji": true,
        "text": "Delete sandbox-tmp",
        "type": "plain_text",
      },
      "type": "button",
      "value": "{"op":"op-1","cmd":"repo.delete","decision":"confirm"}",
    },
    {
      "action_id": "vcr.decide:1",
      "text": {
        "emoji": true,
        "text": "Cancel",
        "type": "plain_text",
      },
      "type": "button",
      "value": "{"op":"op-1","cmd":"repo.delete","decision":"cancel"}",
    },
  ],
  "type": "actions",
}
`);
  });

  it('splits text, chunks fields and buttons, and drops a button when the parts exceed the limits', () => {
    // Prepare
    const huge = { command: 'repos.list', args: { filter: 'z'.repeat(2500) } };
    const reply: Reply = {
      text: 't'.repeat(5000),
      parts: [
        { type: 'text', text: `${'a'.repeat(2500)}\n${'b'.repeat(2500)}\n${'c'.repeat(7000)}` },
        { type: 'fields', fields: Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: 'v'.repeat(2500) })) },
        {
          type: 'actions',
          actions: [
            ...Array.from({ length: 30 }, (_, i) => ({
              label: `B${i}`,
              invocation: { command: 'repo.show', args: { repo: `r${i}` } },
            })),
            { label: 'Too big', invocation: huge },
          ],
        },
        { type: 'list', items: [], empty: 'Nothing here.' },
      ],
    };

    // Act
    const message = renderReply(reply);

    // Assess
    expect(messageLimitProblems(message)).toEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(3000);
    const types = message.blocks.map((block) => block.type);
    expect(types).toEqual([...Array(5).fill('section'), ...Array(3).fill('section'), 'actions', 'actions', 'section']);
    const buttons = message.blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []));
    expect(buttons).toHaveLength(30);
    expect(JSON.stringify(message)).not.toContain('Too big');
  });

  it('encodes button values that decode back to the same invocation when a list row has an action', () => {
    // Prepare
    const invocation = { command: 'repo.show', args: { repo: repoUuid, page: 2, share: true } };

    // Act
    const message = renderReply({
      text: 'one',
      parts: [{ type: 'list', items: [{ title: 'one', action: { label: 'Open', invocation } }], empty: '' }],
    });

    // Assess
    const section = message.blocks[0] as { accessory?: { value?: string } };
    expect(decodeButtonValue(section.accessory?.value)).toEqual({ kind: 'invocation', invocation });
  });
});

describe('renderForm', () => {
  it('renders every field kind as an input block with the metadata given when the form is opened', () => {
    // Prepare
    const form: Form = {
      title: 'New repository user with a very long title',
      submit: 'Create',
      command: 'user.create',
      fixedArgs: { owner: 'U1' },
      fields: [
        { kind: 'text', name: 'name', label: 'Name', hint: '6 to 20 characters', maxLength: 20, initial: 'ci' },
        { kind: 'text', name: 'description', label: 'Description', optional: true, multiline: true },
        { kind: 'number', name: 'days', label: 'Expires in days', optional: true, min: 1 },
        { kind: 'checkbox', name: 'public', label: 'Public', initial: true },
        {
          kind: 'select',
          name: 'access',
          label: 'Access',
          options: [
            { value: 'pull', text: 'Pull' },
            { value: 'push', text: 'Push' },
          ],
          initial: 'push',
        },
        {
          kind: 'repositories',
          name: 'repos',
          label: 'Repositories',
          multiple: true,
          initial: [{ value: repoUuid, text: 'payments-api' }],
        },
        { kind: 'repositories', name: 'repo', label: 'Repository', multiple: false, optional: true },
      ],
    };

    // Act
    const view = renderForm(form, '{"command":"user.create"}');

    // Assess
    expect(viewLimitProblems(view as unknown as Record<string, unknown>)).toEqual([]);
    expect(view).toMatchInlineSnapshot(`
{
  "blocks": [
    {
      "block_id": "field:name",
      "element": {
        "action_id": "vcr.input",
        "initial_value": "ci",
        "max_length": 20,
        "type": "plain_text_input",
      },
      "hint": {
        "emoji": true,
        "text": "6 to 20 characters",
        "type": "plain_text",
      },
      "label": {
        "emoji": true,
        "text": "Name",
        "type": "plain_text",
      },
      "optional": false,
      "type": "input",
    },
    {
      "block_id": "field:description",
      "element": {
        "action_id": "vcr.input",
        "max_length": 3000,
        "multiline": true,
        "type": "plain_text_input",
      },
      "label": {
        "emoji": true,
        "text": "Description",
        "type": "plain_text",
      },
      "optional": true,
      "type": "input",
    },
    {
      "block_id": "field:days",
      "element": {
        "action_id": "vcr.input",
        "is_decimal_allowed": false,
        "min_value": "1",
        "type": "number_input",
      },
      "label": {
        "emoji": true,
        "text": "Expires in days",
        "type": "plain_text",
      },
      "optional": true,
      "type": "input",
    },
    {
      "block_id": "field:public",
      "element": {
        "action_id": "vcr.input",
        "initial_options": [
          {
            "text": {
              "emoji": true,
              "text": "Public",
              "type": "plain_text",
            },
            "value": "true",
          },
        ],
        "options": [
          {
            "text": {
              "emoji": true,
              "text": "Public",
              "type": "plain_text",
            },
            "value": "true",
          },
        ],
        "type": "checkboxes",
      },
      "label": {
        "emoji": true,
        "text": "Public",
        "type": "plain_text",
      },
      "optional": true,
      "type": "input",
    },
    {
      "block_id": "field:access",
      "element": {
        "action_id": "vcr.input",
        "initial_option": {
          "text": {
            "emoji": true,
            "text": "Push",
            "type": "plain_text",
          },
          "value": "push",
        },
        "options": [
          {
            "text": {
              "emoji": true,
              "text": "Pull",
              "type": "plain_text",
            },
            "value": "pull",
          },
          {
            "text": {
              "emoji": true,
              "text": "Push",
              "type": "plain_text",
            },
            "value": "push",
          },
        ],
        "type": "static_select",
      },
      "label": {
        "emoji": true,
        "text": "Access",
        "type": "plain_text",
      },
      "optional": false,
      "type": "input",
    },
    {
      "block_id": "field:repos",
      "element": {
        "action_id": "vcr.pick.repositories",
        "initial_options": [
          {
            "text": {
              "emoji": true,
              "text": "payments-api",
              "type": "plain_text",
            },
            "value": "repo-6f1c2d3e-aaaa-4bbb-8ccc-123456789abc",
          },
        ],
        "min_query_length": 0,
        "placeholder": {
          "emoji": true,
          "text": "Type to search repositories",
          "type": "plain_text",
        },
        "type": "multi_external_select",
      },
      "label": {
        "emoji": true,
        "text": "Repositories",
        "type": "plain_text",
      },
      "optional": false,
      "type": "input",
    },
    {
      "block_id": "field:repo",
      "element": {
        "action_id": "vcr.pick.repositories",
        "min_query_length": 0,
        "placeholder": {
          "emoji": true,
          "text": "Type to search repositories",
          "type": "plain_text",
        },
        "type": "external_select",
      },
      "label": {
        "emoji": true,
        "text": "Repository",
        "type": "plain_text",
      },
      "optional": true,
      "type": "input",
    },
  ],
  "callback_id": "vcr.form",
  "close": {
    "emoji": true,
    "text": "Cancel",
    "type": "plain_text",
  },
  "private_metadata": "{"command":"user.create"}",
  "submit": {
    "emoji": true,
    "text": "Create",
    "type": "plain_text",
  },
  "title": {
    "emoji": true,
    "text": "New repository user wit…",
    "type": "plain_text",
  },
  "type": "modal",
}
`);
  });
});

describe('renderForm pickers', () => {
  it('renders user and image pickers as external selects from the first keystroke, with their picks', () => {
    // Prepare
    const form: Form = {
      title: 'Attach a user',
      submit: 'Attach',
      command: 'repo.attach',
      fixedArgs: { repo: repoUuid },
      fields: [
        { kind: 'user', name: 'user', label: 'User', initial: { value: 'ra-1', text: 'qa-reader (1-qa-reader)' } },
        { kind: 'image', name: 'image', label: 'Image', hint: 'Pick one', optional: true, repoId: repoUuid },
      ],
    };

    // Act
    const view = renderForm(form, '{"command":"repo.attach"}');

    // Assess
    expect(viewLimitProblems(view as unknown as Record<string, unknown>)).toEqual([]);
    expect(view.blocks).toEqual([
      {
        type: 'input',
        block_id: fieldBlockId('user'),
        label: { type: 'plain_text', text: 'User', emoji: true },
        optional: false,
        element: {
          type: 'external_select',
          action_id: actionIds.pickUser,
          min_query_length: 0,
          placeholder: { type: 'plain_text', text: 'Type to search repository users', emoji: true },
          initial_option: { text: { type: 'plain_text', text: 'qa-reader (1-qa-reader)', emoji: true }, value: 'ra-1' },
        },
      },
      {
        type: 'input',
        block_id: fieldBlockId('image'),
        label: { type: 'plain_text', text: 'Image', emoji: true },
        hint: { type: 'plain_text', text: 'Pick one', emoji: true },
        optional: true,
        element: {
          type: 'external_select',
          action_id: imagePickerActionId(repoUuid),
          min_query_length: 0,
          placeholder: { type: 'plain_text', text: 'Type to search images', emoji: true },
        },
      },
    ]);
  });

  it('refuses to render an image picker whose repository id would not fit its action id', () => {
    // Prepare
    const form: Form = {
      title: 'Show an image',
      submit: 'Show',
      command: 'image.show',
      fields: [{ kind: 'image', name: 'image', label: 'Image', repoId: 'r'.repeat(250) }],
    };

    // Act
    const act = () => renderForm(form, '{}');

    // Assess
    expect(act).toThrow("A repository id of 250 characters does not fit an image picker's action_id.");
  });
});

describe('renderOptions', () => {
  it('keeps at most 100 options and drops values over 75 characters when given more', () => {
    // Prepare
    const options = Array.from({ length: 150 }, (_, i) => ({ text: `repo-${i} ${'n'.repeat(100)}`, value: `v${i}` }));
    options.unshift({ text: 'too long', value: 'v'.repeat(76) });

    // Act
    const rendered = renderOptions(options);

    // Assess
    expect(rendered).toHaveLength(100);
    expect(rendered[0]?.value).toBe('v0');
    expect(rendered.every((option) => option.text.text.length <= 75)).toBe(true);
  });
});

describe('renderSecret', () => {
  it('puts the secret in the blocks but never in the fallback text when rendering a DM', () => {
    // Prepare
    const value = 'generated-secret-value-for-test';

    // Act
    const message = renderSecret({
      value,
      title: 'New secret for ci-deployer',
      lines: ['`docker login vcr.vngcloud.vn -u 1-ci`'],
    });

    // Assess
    expect(message.text).not.toContain(value);
    expect(JSON.stringify(message.blocks)).toContain(value);
  });
});
