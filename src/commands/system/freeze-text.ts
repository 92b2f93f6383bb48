/** The words of a freeze, shown on every refusal, in `ping` and in `help` (docs/decisions/0016-audit-and-freeze.md). */
import { dateText, mention, type RichText, rich } from '../../rich-text';
import type { Freeze } from '../../store/freeze-store';

/** Says that changes are frozen: by whom, since when, why, and until when. */
export function freezeText(freeze: Freeze, slashCommand: string): RichText {
  const since = dateText(Math.floor(freeze.since / 1000), new Date(freeze.since).toISOString());
  const reason = freeze.reason ? rich`: ${freeze.reason}` : '';
  const until =
    freeze.until === undefined
      ? `An admin lifts it with \`${slashCommand} unfreeze\`.`
      : rich`It lifts itself ${dateText(Math.floor(freeze.until / 1000), new Date(freeze.until).toISOString())}.`;
  return rich`Changes are frozen by ${mention(freeze.by)} since ${since}${reason}. ${until}`;
}
