/** What every Slack listener is given; built once per container by createApp. */
import type { webApi } from '@slack/bolt';
import type { AuditSink } from '../commands/audit/audit-sink';
import type { Actor, CommandContext } from '../commands/command';
import type { Config } from '../config';
import type { JobDispatcher } from '../jobs/job';
import type { Logger } from '../logger';
import type { ApproverCheck, RoleResolver } from '../policy/roles';
import type { CleanupRulesReader } from '../store/cleanup-rules-store';
import type { FreezeReader } from '../store/freeze-store';
import type { WatchStore } from '../store/watch-store';
import type { VcrClient } from '../vcr/client';
import type { Delivery } from './delivery';

/** Dependencies of the HTTP phase: fast Slack calls, vCR reads for pickers and prefill, and the dispatcher. */
export interface ListenerDeps {
  config: Config;
  roles: RoleResolver;
  /** Who may approve; checked at the click, and again by the worker. */
  approvers?: ApproverCheck;
  /** The freeze, from a short per-container cache bounded by the request's deadline. */
  freeze: FreezeReader;
  /** The saved cleanup rules, for `cleanup`'s form (docs/decisions/0019-cleanup-plans.md). */
  cleanupRules: CleanupRulesReader;
  /** The watcher's snapshots, for the Home tab (docs/decisions/0017-watch-state.md). */
  watch: Pick<WatchStore, 'getSnapshot' | 'getPass'>;
  /** Where refusals of changes are recorded. */
  audit: AuditSink;
  /** Only for pickers and form prefill, always within the request's deadline; everything else runs in a job. */
  vcr: VcrClient;
  dispatcher: JobDispatcher;
  delivery: Delivery;
  /** A Web API client with the bot token and a short timeout, for `views.open` and `views.publish`. */
  slack: webApi.WebClient;
  logger: Logger;
  /** Builds a command context, for `help`, which is answered in the ack. */
  commandContext(actor: Actor, logger: Logger): CommandContext;
  newJobId(): string;
  /**
   * The time budget of each request's HTTP phase in ms, counted from the request's arrival and shared by every step
   * (user groups, form prefill, `views.open`, a picker's search).
   */
  budgetMs: number;
}
