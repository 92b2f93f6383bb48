/**
 * The Home tab for one person (docs/decisions/0022-home-tab.md): requests waiting for their approval, their own open
 * requests, the freeze, repositories above the first quota threshold and repository users expiring soon, each with
 * its buttons. Built from the state table only (the operation store, the freeze, the watcher's snapshots), never from
 * vCR, so it is ready within Slack's 3 s.
 */

import { type RichText, rich } from '../../rich-text';
import type { Freeze } from '../../store/freeze-store';
import type { Operation } from '../../store/operation-store';
import type {
  ExpiringUserRow,
  QuotaWatchRow,
  WatchPassProgress,
  WatchSnapshot,
  WatchStore,
} from '../../store/watch-store';
import { approverActions, cancelRequestAction, expiryText } from '../approval-flow';
import type { HomeViewer } from '../authorize';
import type { ReadContext } from '../command';
import { formatBytes, slackDate } from '../format';
import type { ListItem, Part, Reply } from '../reply';
import { freezeText } from '../system/freeze-text';
import { waitingLines } from '../system/list-approvals';
import { daysLeft } from '../watch/expiry-watch';
import { expiryNoticeActions, quotaNoticeActions } from '../watch/notice-actions';

/** What the Home tab reads: the approvals and freeze of a command context, and the watcher's snapshots. */
export interface HomeSources extends Pick<ReadContext, 'approvals' | 'freeze' | 'now' | 'slashCommand' | 'logger'> {
  watch: Pick<WatchStore, 'getSnapshot' | 'getPass'>;
  /** Bounds each read (the request's deadline); a read that fails or is late leaves its section saying so. */
  bound?: <T>(read: Promise<T>, step: string) => Promise<T>;
}

/** Rows of each section shown on the Home tab; the rest are counted, with the command that lists them all. */
export const homeRowsPerSection = 5;

/** Repository users expired, or expiring within this many days, are shown (issue 11). */
export const expiringWithinDays = 14;

const title = 'vcr-chatops';

/**
 * Builds the Home tab of `viewer`: nothing but a short answer for a person with no role who is no approver; only the
 * approvals for an approver with no role; everything for anyone with a role. Never rejects: a read that failed
 * leaves its section saying it could not be read.
 */
export async function buildHome(sources: HomeSources, viewer: HomeViewer): Promise<Reply> {
  if (!viewer.role && !viewer.approver) {
    const text = `You have no access to vcr-chatops. Ask an admin to add you to \`VCR_VIEWERS\`, \`VCR_OPERATORS\` or \`VCR_ADMINS\`.`;
    return {
      text,
      parts: [
        { type: 'header', text: title },
        { type: 'text', text },
      ],
    };
  }
  const bound = sources.bound ?? (<T>(read: Promise<T>) => read);
  const read = <T>(step: string, start: () => Promise<T>) => settle(sources, step, () => bound(start(), step));
  const seesWatch = viewer.role !== undefined;
  const [waiting, freeze, quota, expiring, pass] = await Promise.all([
    sources.approvals && sources.approvals.required.length > 0
      ? read('reading the requests waiting for approval', () => sources.approvals!.waiting())
      : Promise.resolve(undefined),
    read('reading the freeze', () => sources.freeze.current({ bound: (work) => bound(work, 'reading the freeze') })),
    seesWatch ? read('reading the quota snapshot', () => sources.watch.getSnapshot('quota')) : skipped,
    seesWatch ? read('reading the expiry snapshot', () => sources.watch.getSnapshot('expiringUsers')) : skipped,
    seesWatch ? read('reading the last watcher pass', () => sources.watch.getPass()) : skipped,
  ]);
  const parts: Part[] = [{ type: 'header', text: title }, freezePart(freeze, sources.slashCommand)];
  parts.push(...approvalParts(sources, viewer, waiting));
  if (seesWatch) {
    parts.push(...quotaParts(sources, quota, pass), ...expiringParts(sources, expiring, pass));
  }
  return { text: `${title}: your Home`, parts };
}

/** A read that failed or came too late: its section says so instead of failing the whole Home tab. */
const unread = Symbol('unread');
type Read<T> = T | typeof unread;
const skipped: Promise<typeof unread> = Promise.resolve(unread);

async function settle<T>(sources: HomeSources, step: string, start: () => Promise<T>): Promise<Read<T>> {
  try {
    return await start();
  } catch (error) {
    sources.logger.warn(`The Home tab could not finish ${step}`, {
      error: error instanceof Error ? error : String(error),
    });
    return unread;
  }
}

const notRead: RichText = 'This could not be read in time; open the Home tab again.';

function freezePart(freeze: Read<Freeze | undefined>, slashCommand: string): Part {
  if (freeze === unread) return { type: 'context', text: rich`Whether changes are frozen: ${notRead}` };
  if (!freeze) return { type: 'context', text: 'Changes are not frozen.' };
  return { type: 'text', text: rich`:snowflake: ${freezeText(freeze, slashCommand)}` };
}

function approvalParts(sources: HomeSources, viewer: HomeViewer, waiting: Read<Operation[]> | undefined): Part[] {
  const { approvals, slashCommand } = sources;
  if (waiting === undefined || !approvals) {
    return [{ type: 'context', text: 'Approvals are turned off, so no request waits for one.' }];
  }
  const now = sources.now();
  const open = waiting === unread ? unread : waiting.filter((operation) => operation.expiresAt > now);
  const parts: Part[] = [];
  if (viewer.approver) {
    const theirs = open === unread ? unread : open.filter((operation) => operation.requestedBy !== viewer.userId);
    parts.push(
      { type: 'header', text: 'Waiting for your approval' },
      section(theirs, 'No request is waiting for your approval.', `run \`${slashCommand} approvals\``, (operation) => ({
        title: operation.summary,
        lines: waitingLines(operation, approvals),
        actions: approverActions(operation),
      })),
    );
  }
  if (viewer.role) {
    const mine = open === unread ? unread : open.filter((operation) => operation.requestedBy === viewer.userId);
    parts.push(
      { type: 'header', text: 'Your open requests' },
      section(
        mine,
        'You have no request waiting for approval.',
        `run \`${slashCommand} approvals mine\``,
        (operation) => ({
          title: operation.summary,
          lines: [rich`Waiting for an approver; expires ${expiryText(operation.expiresAt)}.`],
          actions: [cancelRequestAction(operation)],
        }),
      ),
    );
  }
  return parts;
}

function quotaParts(
  sources: HomeSources,
  snapshot: Read<WatchSnapshot<QuotaWatchRow> | undefined>,
  pass: Read<WatchPassProgress | undefined>,
): Part[] {
  const header: Part = { type: 'header', text: 'Repositories near their quota' };
  if (snapshot === undefined) return [header, notYet];
  const rows = snapshot === unread ? unread : [...snapshot.rows].sort((a, b) => b.percent - a.percent);
  return [
    header,
    ...snapshotNote(snapshot, pass),
    section(
      rows,
      'No repository is above its first quota threshold.',
      `run \`${sources.slashCommand} repos\``,
      (row) => ({
        title: rich`*${row.repoName}* ${Math.round(row.percent)}% of ${row.quotaGb} GB`,
        lines: [
          rich`${formatBytes(row.usedBytes)} used; above the ${row.threshold}% threshold${row.fullInDays === undefined ? '' : `; full in about ${Math.max(0, Math.round(row.fullInDays))} days at the recent growth`}.`,
        ],
        actions: quotaNoticeActions({ uuid: row.repoId }),
      }),
    ),
  ];
}

function expiringParts(
  sources: HomeSources,
  snapshot: Read<WatchSnapshot<ExpiringUserRow> | undefined>,
  pass: Read<WatchPassProgress | undefined>,
): Part[] {
  const header: Part = {
    type: 'header',
    text: `Repository users expired or expiring within ${expiringWithinDays} days`,
  };
  if (snapshot === undefined) return [header, notYet];
  // Days are counted again from the expiry now: the snapshot may be an hour old, or from before midnight UTC.
  const now = sources.now();
  const rows =
    snapshot === unread
      ? unread
      : snapshot.rows
          .map((row) => ({ ...row, daysLeft: daysLeft(row.expiredAt, now) ?? row.daysLeft }))
          .filter((row) => row.daysLeft <= expiringWithinDays)
          .sort((a, b) => a.daysLeft - b.daysLeft);
  return [
    header,
    ...snapshotNote(snapshot, pass),
    section(
      rows,
      `No repository user has expired or expires within ${expiringWithinDays} days.`,
      `run \`${sources.slashCommand} users --report\``,
      (row) => ({
        title: rich`*${row.name}* \`${row.backendName}\``,
        lines: [rich`${daysLeftText(row)}${row.disabled ? ' (disabled)' : ''}.`],
        actions: expiryNoticeActions({ uuid: row.repoUserId, name: row.name }),
      }),
    ),
  ];
}

const notYet: Part = { type: 'context', text: 'The watcher has not run yet, so there is nothing to show here.' };

/** When the watcher's snapshot was taken, and whether it may miss rows. */
function snapshotNote(snapshot: Read<WatchSnapshot<unknown>>, pass: Read<WatchPassProgress | undefined>): Part[] {
  if (snapshot === unread) return [];
  const asOf = rich`As of ${slackDate(snapshot.at)}.`;
  if (snapshot.complete) return [{ type: 'context', text: asOf }];
  const why = pass !== unread && pass?.stoppedEarly ? rich` (${pass.stoppedEarly})` : '';
  return [
    {
      type: 'context',
      text: rich`${asOf} The last watcher pass stopped early${why}, so this may miss some.`,
    },
  ];
}

function daysLeftText(row: ExpiringUserRow): RichText {
  const when = Number.isFinite(Date.parse(row.expiredAt))
    ? slackDate(Date.parse(row.expiredAt), '{date_short_pretty}')
    : row.expiredAt;
  if (row.daysLeft < 0) return rich`Expired ${when}`;
  if (row.daysLeft === 0) return rich`Expires today, ${when}`;
  return rich`Expires in ${row.daysLeft} day${row.daysLeft === 1 ? '' : 's'}, ${when}`;
}

/** One section's list: its first rows, the count of the rest and where to see them, or why there is none. */
function section<T>(rows: Read<T[]>, empty: RichText, hint: RichText, item: (row: T) => ListItem): Part {
  if (rows === unread) return { type: 'list', items: [], empty: notRead };
  const shown = rows.slice(0, homeRowsPerSection);
  const more = rows.length - shown.length;
  return { type: 'list', items: shown.map(item), empty, ...(more > 0 ? { more: { count: more, hint } } : {}) };
}
