/** The user commands, in the order help lists them. */

import type { CommandSpec } from '../command';
import { changeUserPermissions } from './change-user-permissions';
import { createUser } from './create-user';
import { deleteUser } from './delete-user';
import { disableUser } from './disable-user';
import { enableUser } from './enable-user';
import { listUsers } from './list-users';
import { refreshUserSecret } from './refresh-user-secret';
import { showUser } from './show-user';
import { updateUser } from './update-user';

/** Every user command. */
export const userCommands: CommandSpec[] = [
  listUsers,
  showUser,
  createUser,
  updateUser,
  changeUserPermissions,
  disableUser,
  enableUser,
  refreshUserSecret,
  deleteUser,
];
