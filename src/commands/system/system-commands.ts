/** The system commands, in the order help lists them. */
import type { CommandSpec } from '../command';
import { listApprovals } from './list-approvals';
import { listPermissions } from './list-permissions';
import { ping } from './ping';

/** Every system command. */
export const systemCommands: CommandSpec[] = [listPermissions, listApprovals, ping];
