/** `repo REPO`: the repository card with every field, the docker hint and the buttons to act on it. */

import type { Repository } from '../../vcr/types';
import type { CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import type { Action, Part, Reply } from '../reply';
import { parseRepositoryRef, repoOf, validateRepositoryRead } from './repository-args';
import { dockerHint, repositoryFields } from './repository-fields';
import { resolveRepository } from './resolve-repository';

/** Shows one repository as a card with Images, Users, Attach user, History, Change quota and Delete buttons. */
export const showRepository: CommandSpec = {
  id: commandIds.repoShow,
  words: ['repo'],
  usage: 'repo REPO',
  summary: 'Shows a repository: every field, how to push and pull, and buttons to act on it.',
  details: [
    'A repository named like a subcommand (`create`, `delete`, `attach`, `detach`, `history`, `largest`) is opened by its backend name or id.',
  ],
  role: 'viewer',
  kind: 'read',
  parse: parseRepositoryRef,
  validate: validateRepositoryRead,
  run: async (ctx, args): Promise<Reply> => {
    const repo = await resolveRepository(ctx.vcr, repoOf(args), { slashCommand: ctx.slashCommand });
    return {
      text: `Repository ${repo.name} (${repo.backendName})`,
      parts: [...repositoryCard(repo), { type: 'actions', actions: repositoryActions(repo) }],
    };
  },
};

/** Returns the header, fields and docker hint of a repository card, without buttons. */
export function repositoryCard(repo: Repository): Part[] {
  return [
    { type: 'header', text: `Repository ${repo.name}` },
    { type: 'fields', fields: repositoryFields(repo) },
    { type: 'context', text: dockerHint(repo) },
  ];
}

/** Returns the buttons of a repository card: Images, Users, Attach user, History, Change quota and Delete. */
export function repositoryActions(repo: Repository): Action[] {
  const args = { repo: repo.uuid };
  return [
    { label: 'Images', invocation: { command: commandIds.imagesList, args } },
    { label: 'Users', invocation: { command: commandIds.repoUsers, args } },
    // Without a user and an access, repo.attach opens its form with a user picker.
    { label: 'Attach user', invocation: { command: commandIds.repoAttach, args } },
    { label: 'History', invocation: { command: commandIds.repoHistory, args } },
    // Without `gb`, repo.quota opens its form prefilled with the current quota.
    { label: 'Change quota', invocation: { command: commandIds.repoQuota, args } },
    // Only runs the impact preview; the delete itself waits for the confirming click there.
    { label: 'Delete', style: 'danger', invocation: { command: commandIds.repoDelete, args } },
  ];
}
