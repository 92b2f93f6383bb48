/** The one-time secret of a repository user as delivered by DM: the secret, the docker login lines, the warning. */
import type { VcrReads } from '../../vcr/client';
import { defaultRegistryHost, registryHostOf } from '../registry-host';
import type { Reply } from '../reply';

// Enough to find every registry host in practice (there are two); a user on more repositories shares them.
const maxRepositoriesRead = 10;

/**
 * Returns the registry hosts of the given repositories, reading at most ten of them; a failed read is skipped, since
 * this runs before a secret is made and must not stop its delivery. Falls back to the HCM host.
 */
export async function registryHostsOf(
  vcr: Pick<VcrReads, 'repositories'>,
  repoIds: readonly string[],
): Promise<string[]> {
  const reads = await Promise.allSettled(
    repoIds.slice(0, maxRepositoriesRead).map((repoId) => vcr.repositories.get(repoId)),
  );
  const hosts = reads.flatMap((read) => {
    const host = read.status === 'fulfilled' ? registryHostOf(read.value?.registryUrl) : undefined;
    return host ? [host] : [];
  });
  return uniqueHosts(hosts);
}

/** Returns the hosts without repeats, in order, or the HCM host when there are none. */
export function uniqueHosts(hosts: readonly (string | undefined)[]): string[] {
  const unique = [...new Set(hosts.filter((host): host is string => typeof host === 'string' && host !== ''))];
  return unique.length > 0 ? unique : [defaultRegistryHost];
}

/** Builds the secret part of a reply: the value, one `docker login` line per registry host, and the shown-once note. */
export function userSecret(
  value: string,
  user: { name: string; backendName: string },
  hosts: readonly string[],
  title: string,
): NonNullable<Reply['secret']> {
  return {
    value,
    title,
    lines: [
      ...hosts.map((host) => `docker login ${host} -u ${user.backendName}`),
      `This secret of \`${user.name}\` is shown once: vCR cannot show it again. Store it now, e.g. in your CI's secret store.`,
    ],
  };
}
