import { watchPassText } from '../../local/watch-pass-text';

describe('watchPassText', () => {
  it('says what a pass covered and why it stopped, then each posted message as text', () => {
    // Prepare
    const result = {
      startedAt: 0,
      endedAt: 1,
      repositoriesSeen: 3,
      repositoriesTotal: 5,
      usersSeen: 2,
      usersTotal: 2,
      stoppedEarly: 'its time ran out',
      alertsPosted: 1,
      remindersPosted: 0,
      cleanupPlansPosted: 2,
    };
    const posted = [
      {
        channel: 'C0ALERTS',
        text: 'fallback',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Quota alert: build-cache' } }],
      },
    ];

    // Act
    const text = watchPassText(result, posted);

    // Assess
    expect(text).toBe(
      [
        'Watcher pass stopped early (its time ran out): 3 of 5 repositories, 2 of 2 repository users. Posted: quota alerts 1, expiry reminders 0, cleanup plans 2.',
        '',
        '--- in C0ALERTS ---',
        '== Quota alert: build-cache ==',
      ].join('\n'),
    );
  });
});
