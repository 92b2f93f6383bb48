/** Help generated from the registry, so it can never drift from what the commands accept. */
import { rich } from '../../rich-text';
import type { Freeze } from '../../store/freeze-store';
import type { CommandSpec } from '../command';
import type { Part, Reply } from '../reply';
import { freezeText } from './freeze-text';

/** Builds the command table, or the usage of the commands that start with `topic`; a freeze in force heads it. */
export function helpReply(commands: readonly CommandSpec[], topic?: string, slash = '/vcr', freeze?: Freeze): Reply {
  const reply = commandHelp(commands, topic, slash);
  if (!freeze) return reply;
  const frozen: Part = { type: 'context', text: rich`🧊 ${freezeText(freeze, slash)}` };
  const [first, ...rest] = reply.parts;
  return {
    ...reply,
    parts: first?.type === 'header' ? [first, frozen, ...rest] : [frozen, ...reply.parts],
  };
}

function commandHelp(commands: readonly CommandSpec[], topic: string | undefined, slash: string): Reply {
  if (topic) {
    const words = topic.toLowerCase().split(/\s+/);
    const matching = commands.filter((spec) => words.every((word, i) => spec.words[i] === word));
    if (matching.length > 0) {
      return {
        text: `Help for ${slash} ${topic}`,
        parts: matching.flatMap((spec) => [
          { type: 'text' as const, text: `*\`${slash} ${spec.usage}\`*\n${spec.summary}` },
          ...(spec.details?.length ? [{ type: 'context' as const, text: spec.details.join('\n') }] : []),
          { type: 'context' as const, text: roleLine(spec) },
        ]),
      };
    }
  }
  const unknown = topic ? `No command \`${topic}\`. ` : '';
  const lines = commands.map((spec) => `\`${slash} ${spec.usage}\`: ${spec.summary}`);
  return {
    text: `${unknown}vCR commands`,
    parts: [
      { type: 'header', text: 'vCR commands' },
      ...(unknown ? [{ type: 'text' as const, text: unknown.trim() }] : []),
      ...chunk(lines, 12).map((group) => ({ type: 'text' as const, text: group.join('\n') })),
      {
        type: 'context',
        text: `REPO is a repository's name, backend name or uuid; USER likewise; REF is REPO/IMAGE[:TAG|@sha256:DIGEST]. Lists take \`--page N\`; every read takes \`--share\` to post its answer in the channel. \`${slash} help <command>\` shows one command.`,
      },
    ],
  };
}

function roleLine(spec: CommandSpec): string {
  const kind = spec.kind === 'destructive' ? ' Destructive: shows what goes and asks for a confirming click.' : '';
  const confirm = spec.confirmRole ? ` Confirming needs the ${spec.confirmRole} role.` : '';
  return `Needs the ${spec.role} role.${kind}${confirm}`;
}

// Section text is capped at 3000 characters by Slack; twelve usage lines stay well under it.
function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
