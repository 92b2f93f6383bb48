/** Lookups and derived figures over `EmulatorState`, with the not-found answers vCR gives for each kind of id. */
import { EmulatorHttpError } from './emulator-http-error';
import type {
  EmulatorState,
  HistoryResourceType,
  StoredArtifact,
  StoredImage,
  StoredRepository,
  StoredUser,
} from './emulator-state';

/** Bytes in one GB of quota; vCR states quotas in GB and the emulator counts usage in bytes (README). */
export const bytesPerGb = 1024 ** 3;

/** Returns the repository with `repoId`, or throws the 404 vCR answers for a missing repository. */
export function findRepository(state: EmulatorState, repoId: string): StoredRepository {
  const repository = state.repositories.find((candidate) => candidate.uuid === repoId);
  if (!repository) throw new EmulatorHttpError(404, 'Repository not found');
  return repository;
}

/** Returns the repository user with `repoUserId`, or throws a 500: user lookups fail that way (README). */
export function findUser(state: EmulatorState, repoUserId: string): StoredUser {
  const user = state.users.find((candidate) => candidate.uuid === repoUserId);
  if (!user) throw new EmulatorHttpError(500, `Repository user ${repoUserId} not found`);
  return user;
}

/** Returns the image `imageName` of a repository, or throws a 404. */
export function findImage(state: EmulatorState, repoId: string, imageName: string): StoredImage {
  const image = state.images.find((candidate) => candidate.repoId === repoId && candidate.name === imageName);
  if (!image) throw new EmulatorHttpError(404, `Image ${imageName} not found`);
  return image;
}

/** Returns the images of one repository. */
export function imagesOf(state: EmulatorState, repoId: string): StoredImage[] {
  return state.images.filter((image) => image.repoId === repoId);
}

/** Returns the artifacts of one image. */
export function artifactsOf(state: EmulatorState, repoId: string, imageName: string): StoredArtifact[] {
  return state.artifacts.filter((artifact) => artifact.repoId === repoId && artifact.imageName === imageName);
}

/** Returns the bytes a repository uses: the sum of its artifacts' sizes. */
export function quotaUsedBytes(state: EmulatorState, repoId: string): number {
  return state.artifacts.filter((artifact) => artifact.repoId === repoId).reduce((sum, a) => sum + a.size, 0);
}

/** Returns the users holding a permission on a repository. */
export function usersAttachedTo(state: EmulatorState, repoId: string): StoredUser[] {
  return state.users.filter((user) => user.permissions.some((permission) => permission.repoId === repoId));
}

/** Returns one more than the largest numeric id in `records`, so ids stay unique even after tests add records. */
export function nextNumericId(records: readonly { id: number }[]): number {
  return records.reduce((max, record) => Math.max(max, record.id), 0) + 1;
}

/** Appends a history line to a repository's usage history. */
export function appendHistory(
  state: EmulatorState,
  entry: { repoId: string; userName: string; resourceName: string; resourceType: HistoryResourceType; action: string },
  actionTime: string,
): void {
  state.history.push({ id: nextNumericId(state.history), ...entry, actionTime });
}

/** Returns the ISO time `days` days after `fromMs`. */
export function daysAfter(fromMs: number, days: number): string {
  return new Date(fromMs + days * 86_400_000).toISOString();
}

/** Removes the items matching `predicate` in place, so references tests hold to state arrays stay live. */
export function removeWhere<T>(items: T[], predicate: (item: T) => boolean): void {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if (predicate(items[index])) items.splice(index, 1);
  }
}
