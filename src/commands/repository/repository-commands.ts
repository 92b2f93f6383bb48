/** The repository commands, in the order help lists them. */

import type { CommandSpec } from '../command';
import { attachRepositoryUser } from './attach-repository-user';
import { changeRepositoryQuota } from './change-repository-quota';
import { createRepository } from './create-repository';
import { deleteRepository } from './delete-repository';
import { detachRepositoryUser } from './detach-repository-user';
import { largestArtifacts } from './largest-artifacts';
import { listRepositories } from './list-repositories';
import { listRepositoryUsers } from './list-repository-users';
import { repositoryHistory } from './repository-history';
import { showRepository } from './show-repository';

/** Every repository command. */
export const repositoryCommands: CommandSpec[] = [
  listRepositories,
  showRepository,
  createRepository,
  changeRepositoryQuota,
  deleteRepository,
  repositoryHistory,
  largestArtifacts,
  listRepositoryUsers,
  attachRepositoryUser,
  detachRepositoryUser,
];
