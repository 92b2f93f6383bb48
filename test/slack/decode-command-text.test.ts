import { decodeCommandText } from '../../src/slack/decode-command-text';

describe('decodeCommandText', () => {
  it('turns the three entities Slack writes back into the characters the user typed', () => {
    // Act
    const text = decodeCommandText('repos &lt;!channel&gt; a&amp;b');

    // Assess
    expect(text).toBe('repos <!channel> a&b');
  });

  it('decodes once, so a typed entity stays an entity and other entities stay as written', () => {
    // Act
    const text = decodeCommandText('&amp;lt; &quot; &#60; &amp');

    // Assess
    expect(text).toBe('&lt; &quot; &#60; &amp');
  });

  it('keeps the label of a link or mention Slack recognised, and what a bare one holds', () => {
    // Act
    const text = decodeCommandText(
      'user <@U123|bob> <http://example.com|example.com> <#C0OPS> <http://a.b/?x=1&amp;y=2>',
    );

    // Assess
    expect(text).toBe('user bob example.com #C0OPS http://a.b/?x=1&y=2');
  });
});
