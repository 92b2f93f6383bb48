/** Naming rules vCR enforces, checked before calling it so the user gets the rule rather than a bare 400. */

// Rules as seen in live 400 answers (docs/vcr-api.md#naming-rules).
const repositoryNamePattern = /^[a-z0-9][a-z0-9_-]{5,19}$/;
const userNamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{5,13}$/;
// The API types `quotaLimit` as int32.
const maxQuotaGb = 2_147_483_647;

/** Returns the repository-name rule `name` breaks, or `undefined` when it is valid. */
export function validateRepositoryName(name: string): string | undefined {
  if (repositoryNamePattern.test(name)) return undefined;
  return 'Repository names are 6 to 20 characters: lowercase letters, digits, `_` and `-`, starting with a letter or digit.';
}

/** Returns the user-name rule `name` breaks, or `undefined` when it is valid. */
export function validateUserName(name: string): string | undefined {
  if (userNamePattern.test(name)) return undefined;
  return 'User names are 6 to 14 characters: letters, digits, `_` and `-`, starting with a letter or digit.';
}

/** Returns the quota rule `gb` breaks, or `undefined` when it is a valid quota in GB. */
export function validateQuota(gb: number): string | undefined {
  if (!Number.isInteger(gb) || gb < 1) return 'A quota is a whole number of GB, at least 1.';
  if (gb > maxQuotaGb) return `A quota is at most ${maxQuotaGb} GB.`;
  return undefined;
}
