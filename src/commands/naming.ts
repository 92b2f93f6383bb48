/** Naming rules vCR enforces, checked before calling it so the user gets the rule rather than a bare 400. */
import { UserError } from '../errors';
import { parsePositiveInt } from './args';

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

// Quotas are in GB, and help says so: `30`, `30GB`, `30 gb` and `30G` all mean 30 GB.
const quotaPattern = /^(\d+)\s*(?:gb?|gib)?$/i;
/** A word that only names the unit of a quota typed apart from its number (`30 GB`). */
export const quotaUnitPattern = /^(?:gb?|gib)$/i;

/**
 * Reads a quota in GB from `30`, `30GB`, `30 GB` or a number; throws `UserError` on `field` naming what is wrong.
 * `what` names the value, e.g. `The quota in GB`.
 */
export function parseQuotaGb(
  value: string | number | boolean | string[] | undefined,
  what: string,
  field: string,
): number {
  const raw = Array.isArray(value) ? value.join(' ') : value;
  const text = String(raw ?? '').trim();
  const digits = quotaPattern.exec(text)?.[1];
  const gb = parsePositiveInt(digits ?? text, what, field);
  const broken = validateQuota(gb);
  if (broken) throw new UserError(broken, { field });
  return gb;
}

/** Returns the quota rule `gb` breaks, or `undefined` when it is a valid quota in GB. */
export function validateQuota(gb: number): string | undefined {
  if (!Number.isInteger(gb) || gb < 1) return 'A quota is a whole number of GB, at least 1.';
  if (gb > maxQuotaGb) return `A quota is at most ${maxQuotaGb} GB.`;
  return undefined;
}
