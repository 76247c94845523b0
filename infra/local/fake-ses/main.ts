/**
 * Runs the fake SES v2 API until SIGINT or SIGTERM. Prints `{"url":…}` as one JSON line on stdout, then one
 * JSON line per sent e-mail on stderr with its id, subject and recipient count (no addresses).
 * Usage: npx tsx infra/local/fake-ses/main.ts [--port 0]
 */
import { parseArgs } from 'node:util';
import { startFakeSes } from './server';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port ${values.port} is invalid; pass a TCP port from 0 to 65535 (0 picks a free one).`);
  process.exit(2);
}

const fake = await startFakeSes({ port });
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);

let reported = 0;
const timer = setInterval(() => {
  for (const email of fake.sent.slice(reported)) {
    process.stderr.write(
      `${JSON.stringify({ messageId: email.messageId, subject: email.subject, recipients: email.to.length })}\n`,
    );
  }
  reported = fake.sent.length;
}, 200);

const shutdown = (signal: string) => {
  clearInterval(timer);
  process.stderr.write(`Fake SES stopping on ${signal}\n`);
  fake.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Fake SES failed to stop cleanly', error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
