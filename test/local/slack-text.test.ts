import { printable, renderSlackText } from '../../local/slack-text';

describe('printable', () => {
  it('shows C0, DEL and C1 controls as symbols and keeps newlines, tabs and other text when given them', () => {
    expect(printable('a\u001b[2Jb\u0007\r\u007f\u009b\n\tüñ 😀')).toBe('a␛[2Jb␇␍␡\ufffd\n\tüñ 😀');
  });
});

describe('renderSlackText', () => {
  it('prints a confirm dialog and a button label as data when they hold escape sequences', () => {
    // Prepare
    const message = {
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'x',
              text: { type: 'plain_text', text: 'Go\u001b[2J' },
              confirm: {
                title: { type: 'plain_text', text: 'Sure\u001b]0;t\u0007' },
                text: { type: 'mrkdwn', text: 'Really\u001b[H' },
              },
            },
          ],
        },
      ],
    };

    // Act
    const { text, buttons } = renderSlackText(message);

    // Assess
    expect(text).toBe('[1] Go␛[2J');
    expect(buttons[0]).toMatchObject({ label: 'Go␛[2J', confirm: 'Really␛[H', confirmTitle: 'Sure␛]0;t␇' });
  });
});
