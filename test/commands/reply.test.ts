import { type Form, type Reply, textReply } from '../../src/commands/reply';

describe('Reply', () => {
  it('has no form field, since forms open only from a command’s own form step', () => {
    // Prepare
    const form: Form = { title: 'Attach a user', submit: 'Attach', command: 'repo.attach', fields: [] };

    // Act
    // @ts-expect-error Reply has no `form`: `npx tsc --noEmit` fails here if the unread field comes back.
    const reply: Reply = textReply('Attach a user', { form });

    // Assess
    expect(reply.parts).toEqual([{ type: 'text', text: 'Attach a user' }]);
  });
});
