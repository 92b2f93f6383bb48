/** `approvals [mine]`: the requests waiting for an approver, with links to their cards (docs/decisions/0015-approvals.md). */
import { UserError } from '../../errors';
import { link, mention, type RichText, rich } from '../../rich-text';
import type { Operation } from '../../store/operation-store';
import { expiryText } from '../approval-flow';
import type { ApprovalSettings } from '../cards';
import type { Args, CommandSpec, ParsedArgs } from '../command';
import { commandIds } from '../command-ids';
import type { ListItem, Reply } from '../reply';

/**
 * Lists the requests waiting for approval, newest first: every one for admins and approvers, `mine` the caller's own
 * for anyone. Read from the records table with a query over the approval window, never a scan.
 */
export const listApprovals: CommandSpec = {
  id: commandIds.approvals,
  words: ['approvals'],
  usage: 'approvals [mine]',
  summary: 'Lists the requests waiting for an approver, with links to their approval cards.',
  details: [
    'Admins and approvers see every waiting request; `approvals mine` shows your own to anyone.',
    'Approve or reject on the card itself; a request you made, you can cancel from your own message.',
  ],
  role: 'viewer',
  kind: 'read',
  parse: (input: ParsedArgs): Args => {
    const [word, ...rest] = input.positional;
    if (rest.length > 0 || (word !== undefined && word !== 'mine')) {
      throw new UserError(`\`approvals\` takes only \`mine\`, not \`${input.positional.join(' ')}\`.`);
    }
    return word === 'mine' ? { mine: true } : {};
  },
  run: async (ctx, args): Promise<Reply> => {
    const { approvals } = ctx;
    if (!approvals || approvals.required.length === 0) {
      const text = 'Approvals are turned off (`VCR_APPROVAL_REQUIRED` is `none`), so nothing waits for one.';
      return { text, parts: [{ type: 'text', text }] };
    }
    const mine = args.mine === true;
    if (!mine && ctx.actor.role !== 'admin' && !(await approvals.isApprover(ctx.actor.userId))) {
      throw new UserError('Only admins and approvers can list every waiting request.', {
        hint: `\`${ctx.slashCommand} approvals mine\` lists your own.`,
      });
    }
    const now = ctx.now();
    const waiting = (await approvals.waiting()).filter(
      (operation) => operation.expiresAt > now && (!mine || operation.requestedBy === ctx.actor.userId),
    );
    const items: ListItem[] = waiting.map((operation) => ({
      title: operation.summary,
      lines: waitingLines(operation, approvals),
    }));
    const what = mine ? 'Your requests waiting for approval' : 'Requests waiting for approval';
    return {
      text: `${what}: ${waiting.length}`,
      parts: [
        { type: 'header', text: what },
        {
          type: 'list',
          items,
          empty: mine ? 'You have no request waiting for approval.' : 'No request is waiting for approval.',
        },
      ],
    };
  },
};

/** The lines under a waiting request in a list: who asked, when it expires, and a link to its approval card. */
export function waitingLines(operation: Operation, approvals: Pick<ApprovalSettings, 'cardLink'>): RichText[] {
  const card = operation.approval?.card;
  return [
    rich`Asked by ${mention(operation.requestedBy)}; expires ${expiryText(operation.expiresAt)}.`,
    card
      ? rich`${link(approvals.cardLink(card), 'Open the approval card')}`
      : 'Its approval card could not be posted; the requester can cancel it.',
  ];
}
