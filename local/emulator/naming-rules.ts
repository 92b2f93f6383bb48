/** The naming rules vCR enforced in live 400 answers (docs/vcr-api.md#naming-rules). */
import { EmulatorHttpError } from './emulator-http-error';

const repositoryNamePattern = /^[a-z0-9][a-z0-9_-]{5,19}$/;
const userNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_-]{5,13}$/;

/** Throws a 400 unless `name` is 6 to 20 characters of `a-z 0-9 _ -` starting with a letter or digit. */
export function assertRepositoryName(name: string): void {
  if (!repositoryNamePattern.test(name)) {
    throw new EmulatorHttpError(
      400,
      'Repository name must be 6 to 20 characters of lowercase letters, digits, "_" or "-", starting with a letter or digit',
    );
  }
}

/** Throws a 400 unless `name` is 6 to 14 characters of `a-zA-Z 0-9 _ -` starting with a letter or digit. */
export function assertUserName(name: string): void {
  if (!userNamePattern.test(name)) {
    throw new EmulatorHttpError(
      400,
      'Repository user name must be 6 to 14 characters of letters, digits, "_" or "-", starting with a letter or digit',
    );
  }
}
