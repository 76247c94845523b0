/**
 * Runs the emulators as a separate process and prints their endpoints as one JSON line on stdout.
 * Jest's global setup starts it because both emulators load as ESM. It stops on SIGTERM or SIGINT.
 */
import { startEmulators } from './emulators';

const emulators = await startEmulators();
process.stdout.write(`${JSON.stringify(emulators.endpoints)}\n`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) {
    return;
  }
  stopping = true;
  await emulators.stop();
  process.exit(0);
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
