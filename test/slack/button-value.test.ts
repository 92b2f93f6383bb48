import { decodeButtonValue, encodeDecisionValue, encodeInvocationValue } from '../../src/slack/button-value';
import { decodeFormMetadata, encodeFormMetadata } from '../../src/slack/form-metadata';

describe('button values', () => {
  it('decodes a decision when it was encoded by encodeDecisionValue', () => {
    // Act
    const decoded = decodeButtonValue(encodeDecisionValue('op-1', 'repo.delete', 'cancel'));

    // Assess
    expect(decoded).toEqual({ kind: 'decision', operationId: 'op-1', command: 'repo.delete', choice: 'cancel' });
  });

  it('decodes an approval with its requester when it was encoded by encodeDecisionValue', () => {
    // Act
    const decoded = decodeButtonValue(encodeDecisionValue('op-1', 'image.delete', 'approve', 'U0ALICE'));

    // Assess
    expect(decoded).toEqual({
      kind: 'decision',
      operationId: 'op-1',
      command: 'image.delete',
      choice: 'approve',
      requestedBy: 'U0ALICE',
    });
  });

  it('says the request is no longer known when the button comes from a preview of the pending-action store', () => {
    // Act
    const decode = () => decodeButtonValue('{"pending":"p-1","decision":"confirm"}');

    // Assess
    expect(decode).toThrow('This request is from an older version of the bot and is no longer known');
  });

  it('refuses to encode an invocation when it is longer than 2000 characters', () => {
    // Act
    const value = encodeInvocationValue({ command: 'repos.list', args: { filter: 'x'.repeat(2000) } });

    // Assess
    expect(value).toBeUndefined();
  });

  it.each([
    '',
    'not json',
    '[]',
    '{"command":"repos.list","args":{"x":{"nested":1}}}',
    '{"op":"p","cmd":"repo.delete","decision":"maybe"}',
    '{"op":"p","decision":"confirm"}',
    '{"op":"p","cmd":"repo.delete","decision":"approve"}',
    '{"op":"p","cmd":"repo.delete","decision":"reject","req":7}',
  ])('throws a UserError when the value is %j', (value) => {
    // Act
    const decode = () => decodeButtonValue(value);

    // Assess
    expect(decode).toThrow('This button is not one I understand');
  });
});

describe('form metadata', () => {
  it('drops the response_url rather than exceed 3000 characters when the args are large', () => {
    // Prepare
    const metadata = {
      command: 'user.permissions',
      fixedArgs: { user: 'u'.repeat(2900) },
      channelId: 'C1',
      responseUrl: `https://hooks.slack.com/${'r'.repeat(200)}`,
    };

    // Act
    const encoded = encodeFormMetadata(metadata);

    // Assess
    expect(encoded.length).toBeLessThanOrEqual(3000);
    expect(decodeFormMetadata(encoded)).toEqual({ ...metadata, responseUrl: undefined });
  });

  it('throws when even the command and its args do not fit in 3000 characters', () => {
    // Act
    const encode = () => encodeFormMetadata({ command: 'x', fixedArgs: { big: 'b'.repeat(3000) } });

    // Assess
    expect(encode).toThrow("over Slack's 3000");
  });
});
