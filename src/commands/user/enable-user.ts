/** `user enable USER`: lets a disabled repository user log in again with its current secret. */
import type { CommandSpec } from '../command';
import { createUserSwitch } from './user-switch';

/** Enables a repository user, or says it already is. */
export const enableUser: CommandSpec = createUserSwitch('enable');
