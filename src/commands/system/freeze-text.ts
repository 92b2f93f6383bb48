/** The words of a freeze, shown on every refusal, in `ping` and in `help` (docs/decisions/0016-audit-and-freeze.md). */
import { mention, type RichText, rich } from '../../rich-text';
import type { Freeze } from '../../store/freeze-store';
import { slackDate } from '../format';

/** Says that changes are frozen: by whom, since when, why, and until when. */
export function freezeText(freeze: Freeze, slashCommand: string): RichText {
  const since = slackDate(freeze.since);
  const reason = freeze.reason ? rich`: ${freeze.reason}` : '';
  const until =
    freeze.until === undefined
      ? `An admin lifts it with \`${slashCommand} unfreeze\`.`
      : rich`It lifts itself ${slackDate(freeze.until)}.`;
  return rich`Changes are frozen by ${mention(freeze.by)} since ${since}${reason}. ${until}`;
}
