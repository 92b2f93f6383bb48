/**
 * A CPU quota for the bench's cold starts, so that a process gets the share of one core Lambda gives a memory size
 * (one vCPU at 1,769 MB, in proportion below: 512 MB is about 0.29). It is a cgroup of its own, v1 (`cpu`
 * controller) or v2 (`cpu.max`), created where this user may write and removed by `close()`.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A cgroup limiting the processes put in it to `cores` of CPU time. */
export interface CpuShare {
  /** The cgroup's directory, for `runPackagedHandler`'s `cgroup` option. */
  dir: string;
  cores: number;
  close(): void;
}

/** The CPU share Lambda gives `memoryMb` (one vCPU at 1,769 MB, in proportion). */
export function lambdaCores(memoryMb: number): number {
  return memoryMb / 1769;
}

const periodUs = 100_000;

/** Creates a cgroup with a quota of `cores`, or says why it cannot (no writable cgroup CPU controller). */
export function createCpuShare(cores: number, name: string): CpuShare | { skipped: string } {
  const quotaUs = Math.round(cores * periodUs);
  try {
    const v2Root = '/sys/fs/cgroup';
    if (existsSync(join(v2Root, 'cgroup.controllers'))) {
      // v2: a child of this process's own group; the cpu controller must be enabled for its children.
      const own = readFileSync('/proc/self/cgroup', 'utf8').match(/^0::(.*)$/m)?.[1] ?? '/';
      const parent = join(v2Root, own);
      if (!readFileSync(join(parent, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('cpu')) {
        return { skipped: `the cpu controller is not enabled for children of ${parent}` };
      }
      return made(join(parent, name), cores, { 'cpu.max': `${quotaUs} ${periodUs}` });
    }
    const v1Root = '/sys/fs/cgroup/cpu';
    if (existsSync(join(v1Root, 'cpu.cfs_quota_us'))) {
      return made(join(v1Root, name), cores, {
        'cpu.cfs_period_us': String(periodUs),
        'cpu.cfs_quota_us': String(quotaUs),
      });
    }
    return { skipped: 'no cgroup CPU controller is mounted' };
  } catch (error) {
    return { skipped: `the cgroup could not be made (${(error as Error).message})` };
  }
}

function made(dir: string, cores: number, settings: Record<string, string>): CpuShare {
  mkdirSync(dir);
  try {
    for (const [file, value] of Object.entries(settings)) writeFileSync(join(dir, file), value);
  } catch (error) {
    rmdirSync(dir);
    throw error;
  }
  return { dir, cores, close: () => rmdirSync(dir) };
}
