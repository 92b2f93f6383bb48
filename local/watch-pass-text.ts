/** A watcher pass as terminal text: what it covered and each notice it posted, for `npm run watch-once` and the console. */
import type { WatchPassResult } from '../src/commands/watch/watch-pass';
import { renderSlackText } from './slack-text';

/** Returns one line saying what the pass `result` covered and how many notices it posted. */
export function watchPassSummary(result: WatchPassResult): string {
  const covered = `${result.repositoriesSeen} of ${result.repositoriesTotal} repositories, ${result.usersSeen} of ${result.usersTotal} repository users`;
  const outcome = result.stoppedEarly ? `stopped early (${result.stoppedEarly})` : 'complete';
  return `Watcher pass ${outcome}: ${covered}. Posted: quota alerts ${result.alertsPosted}, expiry reminders ${result.remindersPosted}, cleanup plans ${result.cleanupPlansPosted}.`;
}

/** Returns the summary of `result` and the text of each posted message (`chat.postMessage` bodies), one after another. */
export function watchPassText(result: WatchPassResult, posted: readonly Record<string, unknown>[]): string {
  const lines = [watchPassSummary(result)];
  for (const message of posted) {
    lines.push('', `--- in ${String(message.channel)} ---`, renderSlackText(message).text);
  }
  return lines.join('\n');
}
