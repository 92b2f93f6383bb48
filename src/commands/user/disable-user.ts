/** `user disable USER`: stops a repository user's secret from logging in, keeping the user and its access. */
import type { CommandSpec } from '../command';
import { createUserSwitch } from './user-switch';

/** Disables a repository user, or says it already is. */
export const disableUser: CommandSpec = createUserSwitch('disable');
