/** What the reject modal carries in its `private_metadata`: the operation decided on, and whose request it is. */
import { UserError } from '../errors';

/** The reject modal's metadata. */
export interface RejectMetadata {
  operationId: string;
  command: string;
  /** The requester, so the submit is checked without a read of the store; the worker checks the stored operation. */
  requestedBy: string;
  channelId?: string;
}

/** Encodes the metadata of a reject modal (far below Slack's 3000 characters: ids only). */
export function encodeRejectMetadata(metadata: RejectMetadata): string {
  return JSON.stringify({
    op: metadata.operationId,
    cmd: metadata.command,
    req: metadata.requestedBy,
    ch: metadata.channelId,
  });
}

/** Decodes a reject modal's metadata; throws `UserError` when it is not one the bot wrote. */
export function decodeRejectMetadata(value: string | undefined): RejectMetadata {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(value ?? '') as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below.
  }
  const { op, cmd, req, ch } = parsed ?? {};
  if (typeof op !== 'string' || typeof cmd !== 'string' || typeof req !== 'string' || req === '') {
    throw new UserError('This form is not one I understand; click Reject on the approval card again.');
  }
  return { operationId: op, command: cmd, requestedBy: req, ...(typeof ch === 'string' ? { channelId: ch } : {}) };
}
