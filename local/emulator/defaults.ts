/** Fixed local-only values that let `npm start` and `npm run emulator` work with no configuration. */

/**
 * Demo IAM credentials the emulator accepts when none are given; they open nothing outside this process.
 * Tests pass their own random values instead.
 */
export const localDemoCredentials = {
  clientId: 'local-demo-client',
  clientSecret: 'local-demo-secret-not-real',
} as const;

/** The demo account id, the prefix of every `backendName` (`<accountId>-<name>`). */
export const localDemoAccountId = '10001234';

/** The docker registry host given to new repositories (HCM), as in docs/vcr-api.md#base-urls. */
export const defaultRegistryUrl = 'vcr.vngcloud.vn';

/** The HAN docker registry host, used by one seeded repository so clients read `registryUrl` rather than assume it. */
export const hanRegistryUrl = 'vcr-han.vngcloud.vn';

/** Port of the standalone runner when `VCR_EMULATOR_PORT` is not set. */
export const defaultEmulatorPort = 4010;

/** Token lifetime in seconds when none is given; IAM documents 1800. */
export const defaultTokenTtlSeconds = 1800;

/** The IAM token path, served on the same server as the management API. */
export const iamTokenPath = '/accounts-api/v2/auth/token';
