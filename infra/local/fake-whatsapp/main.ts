/**
 * Runs the fake WhatsApp Cloud API until SIGINT or SIGTERM.
 * Prints `{"url":…,"accessToken":…,"phoneNumberIds":[…]}` as one JSON line on stdout.
 * Usage: npx tsx infra/local/fake-whatsapp/main.ts [--port 0] [--access-token EAAtest] [--phone-number-id 200000000000001]
 *   [--no-window]
 */
import { parseArgs } from 'node:util';
import { startFakeWhatsApp } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'access-token': { type: 'string' },
    'phone-number-id': { type: 'string', multiple: true },
    'no-window': { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port ${values.port} is invalid; pass a TCP port from 0 to 65535 (0 picks a free one).`);
  process.exit(2);
}

const fake = await startFakeWhatsApp({
  port,
  accessToken: values['access-token'],
  phoneNumberIds: values['phone-number-id'],
  enforceWindow: !values['no-window'],
});
process.stdout.write(
  `${JSON.stringify({ url: fake.url, accessToken: fake.accessToken, phoneNumberIds: fake.phoneNumberIds })}\n`,
);

const shutdown = (signal: string) => {
  process.stderr.write(`Fake WhatsApp stopping on ${signal}\n`);
  fake.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Fake WhatsApp failed to stop cleanly', error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
