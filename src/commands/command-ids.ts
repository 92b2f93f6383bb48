/**
 * The stable id of every command, declared once. Ids travel in posted buttons, modals, jobs and stored operation
 * records, so a value here never changes once released; add a new id instead.
 */
export const commandIds = {
  help: 'help',
  reposList: 'repos.list',
  repoShow: 'repo.show',
  repoCreate: 'repo.create',
  repoQuota: 'repo.quota',
  repoUsers: 'repo.users',
  repoAttach: 'repo.attach',
  repoDetach: 'repo.detach',
  repoHistory: 'repo.history',
  repoDelete: 'repo.delete',
  imagesList: 'images.list',
  imageShow: 'image.show',
  tagsList: 'tags.list',
  imageDelete: 'image.delete',
  artifactDelete: 'artifact.delete',
  usersList: 'users.list',
  userShow: 'user.show',
  userCreate: 'user.create',
  userUpdate: 'user.update',
  userPermissions: 'user.permissions',
  userDisable: 'user.disable',
  userEnable: 'user.enable',
  userSecret: 'user.secret',
  userDelete: 'user.delete',
  permissionsList: 'permissions.list',
  ping: 'ping',
  approvals: 'approvals',
  audit: 'audit',
  freeze: 'freeze',
  unfreeze: 'unfreeze',
  cleanup: 'cleanup',
  repoLargest: 'repo.largest',
  cleanupSave: 'cleanup.save',
} as const;

/** One command id, e.g. `repo.delete`. */
export type CommandId = (typeof commandIds)[keyof typeof commandIds];
