import { createEmptyState } from '../../../local/emulator/emulator-state';
import { seedEmulatorState } from '../../../local/emulator/seed';

describe('emulator seed', () => {
  it('builds the same records on every run except the random user secrets', () => {
    // Prepare
    const first = createEmptyState();
    const second = createEmptyState();

    // Act
    seedEmulatorState(first, '777');
    seedEmulatorState(second, '777');

    // Assess
    const withoutSecrets = (state: typeof first) => ({
      ...state,
      users: state.users.map(({ secret: _secret, ...user }) => user),
    });
    expect(withoutSecrets(first)).toEqual(withoutSecrets(second));
    expect(first.users.map((user) => user.secret)).not.toEqual(second.users.map((user) => user.secret));
  });

  it('holds a public repository, an empty one, slashed image names and a disabled and an expiring user', () => {
    // Prepare
    const state = createEmptyState();

    // Act
    seedEmulatorState(state, '777');

    // Assess
    expect(state.repositories.filter((repository) => repository.isPublic)).toHaveLength(1);
    expect(state.repositories.filter((r) => !state.images.some((image) => image.repoId === r.uuid))).toHaveLength(1);
    expect(state.images.some((image) => image.name.includes('/'))).toBe(true);
    expect(state.artifacts.every((artifact) => /^sha256:[0-9a-f]{64}$/.test(artifact.digest))).toBe(true);
    expect(state.users.some((user) => user.disable)).toBe(true);
    expect(state.users.some((user) => user.expiredAt !== null)).toBe(true);
  });
});
