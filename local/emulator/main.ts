/** Standalone runner (`npm run emulator`): serves the seeded emulator on VCR_EMULATOR_PORT or 4010 until stopped. */
import { defaultEmulatorPort } from './defaults';
import { startVcrEmulator } from './vcr-emulator';

async function main(): Promise<void> {
  // Local code, never deployed: it may read process.env directly (src/config.ts is the reader for the bot).
  const port = Number(process.env.VCR_EMULATOR_PORT ?? defaultEmulatorPort);
  const emulator = await startVcrEmulator({ port });
  console.log(`vCR emulator API:  ${emulator.url}`);
  console.log(`vCR emulator IAM:  ${emulator.iamUrl}`);
  console.log(`IAM client id:     ${emulator.clientId}`);
  console.log('IAM client secret: the local demo value in local/emulator/defaults.ts (localDemoCredentials)');

  const stop = (signal: string) => {
    console.log(`${signal}: stopping the vCR emulator`);
    emulator.close().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`vCR emulator did not stop cleanly: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
  console.error(`vCR emulator failed to start: ${error.message}`);
  process.exit(1);
});
