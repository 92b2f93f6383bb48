/** The docker registry host of a repository, as the docker push, pull and login lines print it. */

/** The HCM registry host, for a repository that names none (docs/vcr-api.md#base-urls). */
export const defaultRegistryHost = 'vcr.vngcloud.vn';

/** Returns the host part of a repository's `registryUrl` (which may carry a scheme or a path), or undefined. */
export function registryHostOf(registryUrl: unknown): string | undefined {
  if (typeof registryUrl !== 'string') return undefined;
  const host = registryUrl
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')[0];
  return host === '' ? undefined : host;
}

/** Returns the registry host of `repo` for docker commands: its `registryUrl`'s host, else the HCM host. */
export function registryHost(repo: { registryUrl?: unknown }): string {
  return registryHostOf(repo.registryUrl) ?? defaultRegistryHost;
}
