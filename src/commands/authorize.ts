/**
 * Admission: the one check every entry makes before anything runs (a typed command, a click, a form submit, an
 * options request, and the worker again before it executes). The workspace, the allowed channels, the role, the
 * rule that only a requester or an admin decides on an operation, and the freeze are checked here and nowhere else;
 * every refusal of a change is audited here (docs/decisions/0016-audit-and-freeze.md).
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import { UserError } from '../errors';
import { type Role, requireRole } from '../policy/role-rank';
import type { ApproverCheck, RoleLookup, RoleResolver } from '../policy/roles';
import { channelLink, joinRich, mention, rich } from '../rich-text';
import type { FreezeReader } from '../store/freeze-store';
import type { OperationTarget } from '../store/operation-store';
import type { AuditSink } from './audit/audit-sink';
import type { Actor, CommandSpec } from './command';
import { commandIds } from './command-ids';
import { findCommandById } from './registry';
import type { DecisionChoice } from './reply';
import { freezeText } from './system/freeze-text';

/** What admission needs: the settings it enforces, the role lists, the freeze, and where refusals are audited. */
export interface AdmissionDeps {
  config: Pick<Config, 'slack' | 'allowedChannels'>;
  roles: RoleResolver;
  /** Who may approve (`VCR_APPROVERS`); without it nobody can approve or reject. */
  approvers?: ApproverCheck;
  /** Read fresh by the worker (`surface: 'job'`), from a short cache elsewhere. */
  freeze: FreezeReader;
  audit: AuditSink;
  now?: () => number;
}

/** Bounds of admission's reads: user groups (`bound`) and the records table (`boundRecords`, else `bound`). */
export interface AdmissionLookup extends RoleLookup {
  boundRecords?: <T>(work: Promise<T>) => Promise<T>;
}

/** Where an admitted request may come from. */
export type Surface = 'command' | 'click' | 'form' | 'options' | 'job';

/** One request to admit. */
export interface AdmissionRequest {
  userId: string;
  /**
   * The actor's own workspace: a slash command's `team_id`, an interaction's `user.team_id`. In a Slack Connect
   * channel an interaction's `team.id` is the host's workspace, not the clicker's, so it is only the fallback.
   */
  userTeamId?: string;
  /** The workspace the request came through (`team.id`); null in an org-wide install's interactions. */
  teamId?: string;
  channelId?: string;
  surface: Surface;
  /** The command asked for; without it only the use of the bot at all is checked (help, pickers). */
  commandId?: string;
  /**
   * A decision on an operation: only its requester or an admin may confirm or cancel it; only an approver who is not
   * its requester may approve or reject it (docs/decisions/0015-approvals.md).
   */
  decision?: { requestedBy: string; choice: DecisionChoice };
  /** The choice of a decision whose operation is not read yet (a click in the HTTP phase), for the freeze. */
  choice?: string;
  /** Bounds the user group reads, the freeze read and the refusal's audit, e.g. by the HTTP phase's deadline. */
  lookup?: AdmissionLookup;
  /** What a refusal's audit record names: the request (an operation or job id), and the operation's own words. */
  subject?: { requestId: string; summary?: string; target?: OperationTarget; planHash?: string };
}

/** An admitted request: who acts, and the command's spec when one was asked for. */
export interface Admission {
  actor: Actor;
  spec?: CommandSpec;
}

/**
 * Admits `request` or throws a `UserError` saying why not. Only typed commands are held to the allowed channels:
 * clicks and submits come from the bot's own messages and modals, DMs included.
 */
export async function authorize(deps: AdmissionDeps, request: AdmissionRequest): Promise<Admission> {
  try {
    return await admit(deps, request);
  } catch (error) {
    const spec = request.commandId === undefined ? undefined : findCommandById(request.commandId);
    // Reads are not audited; a change refused is an outcome like any other.
    if (error instanceof UserError && spec && spec.kind !== 'read') await auditRefusal(deps, request, spec, error);
    throw error;
  }
}

/**
 * True when the freeze holds `spec` back: every change but `freeze` and `unfreeze` themselves; of decisions, a
 * confirmation or an approval (cancelling or rejecting changes nothing).
 */
export function frozenOut(spec: CommandSpec, decision?: { choice: string }): boolean {
  if (spec.kind === 'read' || spec.id === commandIds.freeze || spec.id === commandIds.unfreeze) return false;
  return decision === undefined || decision.choice === 'confirm' || decision.choice === 'approve';
}

/** Who looks at the Home tab: their role, if they have one, and whether they may approve requests. */
export interface HomeViewer {
  userId: string;
  /** Their workspace, as the event names it. */
  teamId?: string;
  role?: Role;
  approver: boolean;
}

/**
 * Admits a person who opened the Home tab: undefined when the bot does not serve their workspace (nothing is shown to
 * them); otherwise who they are, their role if any, and whether `VCR_APPROVERS` names them. Nobody else is refused
 * here: a person with neither a role nor a place among the approvers is shown a Home that says so.
 */
export async function admitHomeViewer(
  deps: AdmissionDeps,
  request: Pick<AdmissionRequest, 'userId' | 'userTeamId' | 'teamId' | 'lookup'>,
): Promise<HomeViewer | undefined> {
  const workspace = workspaceOf(deps, request);
  if (workspace === false) return undefined;
  const [role, approver] = await Promise.all([
    deps.roles.roleOf(request.userId, request.lookup),
    deps.approvers?.isApprover(request.userId, request.lookup) ?? Promise.resolve(false),
  ]);
  return { userId: request.userId, ...(workspace ? { teamId: workspace } : {}), ...(role ? { role } : {}), approver };
}

/** The actor's workspace, or false when the bot serves another one (`SLACK_TEAM_ID`). */
function workspaceOf(deps: AdmissionDeps, request: Pick<AdmissionRequest, 'userTeamId' | 'teamId'>): string | false {
  const workspace = request.userTeamId ?? request.teamId;
  const served = deps.config.slack.teamId;
  return served && workspace !== served ? false : (workspace ?? '');
}

async function admit(deps: AdmissionDeps, request: AdmissionRequest): Promise<Admission> {
  const { config } = deps;
  const served = workspaceOf(deps, request);
  if (served === false) throw new UserError('This bot does not serve your workspace.');
  const workspace = served || undefined;
  const allowed = config.allowedChannels;
  if (request.surface === 'command' && allowed && !(request.channelId && allowed.includes(request.channelId))) {
    throw new UserError(`\`${config.slack.command}\` does not work in this channel.`, {
      hint: rich`Use it in ${joinRich(allowed.map(channelLink), ', ')}.`,
    });
  }
  const role = await deps.roles.roleOf(request.userId, request.lookup);
  // An approver named in VCR_APPROVERS decides on requests whatever their role (docs/decisions/0015-approvals.md):
  // approving or rejecting, and listing the requests waiting (`approvals`), need no role of its own, only a place on
  // that list, checked below for a decision.
  const choice = request.decision?.choice ?? request.choice;
  const deciding = choice === 'approve' || choice === 'reject';
  const listing = request.commandId === commandIds.approvals && request.decision === undefined;
  const approverOnly =
    !role && (deciding || listing) && (await deps.approvers?.isApprover(request.userId, request.lookup)) === true;
  if (!approverOnly) requireRole(role, 'viewer', `use \`${config.slack.command}\``);
  const actor: Actor = {
    userId: request.userId,
    role: role ?? 'viewer',
    channelId: request.channelId,
    teamId: workspace,
  };
  if (request.commandId === undefined) return { actor };

  const spec = findCommandById(request.commandId);
  if (!spec) throw new UserError(`Unknown command \`${request.commandId}\`.`);
  const typed = `\`${config.slack.command} ${spec.words.join(' ')}\``;
  const { decision } = request;
  if (decision?.choice === 'approve' || decision?.choice === 'reject') {
    await requireApprover(deps, actor, decision, request.lookup);
  } else {
    const needed = decision?.choice === 'confirm' ? (spec.confirmRole ?? spec.role) : spec.role;
    requireRole(actor.role, needed, `${decision ? decision.choice : 'run'} ${typed}`);
    if (decision && decision.requestedBy !== actor.userId && actor.role !== 'admin') {
      throw new UserError(rich`Only ${mention(decision.requestedBy)} or an admin can ${decision.choice} this request.`);
    }
  }
  if (frozenOut(spec, request.decision ?? (request.choice === undefined ? undefined : { choice: request.choice }))) {
    // The worker reads the table itself before it executes: a freeze set after the preview still stops the click.
    const bound = request.lookup?.boundRecords ?? request.lookup?.bound;
    const freeze = await deps.freeze.current({ fresh: request.surface === 'job', bound });
    if (freeze) {
      throw new UserError(rich`Not now: ${freezeText(freeze, config.slack.command)}`, {
        hint: 'Reads still work; nothing was changed.',
      });
    }
  }
  return { actor, spec };
}

/**
 * Refuses an approval or rejection by the requester (compared on Slack user ids) or by anyone not in
 * `VCR_APPROVERS`; the approver list decides alone, so an admin outside a set list is refused too.
 */
async function requireApprover(
  deps: AdmissionDeps,
  actor: Actor,
  decision: { requestedBy: string; choice: DecisionChoice },
  lookup: RoleLookup | undefined,
): Promise<void> {
  if (decision.requestedBy === actor.userId) {
    throw new UserError(`You asked for this change, so someone else must ${decision.choice} it. Nothing was changed.`, {
      hint: 'Four eyes: a requester never approves their own request. Cancel it instead if you no longer want it.',
    });
  }
  if (!(await deps.approvers?.isApprover(actor.userId, lookup))) {
    throw new UserError(
      rich`Only an approver can ${decision.choice} this request from ${mention(decision.requestedBy)}; you are not one. Nothing was changed.`,
      { hint: 'Approvers are set by `VCR_APPROVERS` (by default the admins).' },
    );
  }
}

/** Records a refused change in the audit trail, once per request, surface and person. */
async function auditRefusal(
  deps: AdmissionDeps,
  request: AdmissionRequest,
  spec: CommandSpec,
  error: UserError,
): Promise<void> {
  const subject = request.subject;
  const requestId = subject?.requestId ?? randomUUID();
  const summary = subject?.summary ?? `\`${deps.config.slack.command} ${spec.words.join(' ')}\``;
  const choice = request.decision?.choice ?? request.choice;
  const what = choice ? `${choice} ${summary}` : summary;
  await deps.audit.record(
    {
      // One record per request, surface and person: a retry keeps it, someone else's refused click adds one.
      id: `${requestId}.refused.${request.surface}.${request.userId}`,
      at: (deps.now ?? Date.now)(),
      outcome: 'refused',
      command: spec.id,
      summary,
      requestedBy: request.decision?.requestedBy ?? request.userId,
      ...(request.decision ? { decidedBy: request.userId } : {}),
      ...((request.userTeamId ?? request.teamId) ? { teamId: request.userTeamId ?? request.teamId } : {}),
      ...(request.channelId ? { channelId: request.channelId } : {}),
      ...(subject?.target ? { target: subject.target } : {}),
      ...(subject?.planHash ? { planHash: subject.planHash } : {}),
      reason: error.message,
      requestId,
    },
    rich`${mention(request.userId)} was refused ${what}: ${error.text}`,
    { bound: request.lookup?.boundRecords ?? request.lookup?.bound },
  );
}
