/** The system commands, in the order help lists them. */
import type { CommandSpec } from '../command';
import { freeze, unfreeze } from './freeze';
import { listApprovals } from './list-approvals';
import { listPermissions } from './list-permissions';
import { ping } from './ping';

/** Every system command. */
export const systemCommands: CommandSpec[] = [listPermissions, listApprovals, ping, freeze, unfreeze];
