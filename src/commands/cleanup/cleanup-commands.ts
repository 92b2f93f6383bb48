/** The cleanup commands, in the order help lists them. */
import type { CommandSpec } from '../command';
import { cleanup } from './cleanup';
import { saveCleanupRules } from './save-cleanup-rules';

/** Every cleanup command. */
export const cleanupCommands: CommandSpec[] = [cleanup, saveCleanupRules];
