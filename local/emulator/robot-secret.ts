import { randomBytes } from 'node:crypto';

/** Returns a fresh random robot secret; secrets are never derived from seed data so none is ever committed. */
export function createRobotSecret(): string {
  return randomBytes(24).toString('base64url');
}
