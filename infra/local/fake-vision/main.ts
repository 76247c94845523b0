/**
 * Runs the fake Google Cloud Vision server until SIGINT or SIGTERM. It prints `{"url","apiKey"}` as one
 * JSON line on stdout, to be put into VISION_API_ENDPOINT and VISION_API_KEY, then one JSON line per
 * request on stderr with the status and the number of images.
 * Usage: npx tsx infra/local/fake-vision/main.ts [--port 0] [--api-key KEY]
 */
import { parseArgs } from 'node:util';
import { startFakeVision } from './server';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'api-key': { type: 'string' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port ${values.port} is invalid; pass a TCP port from 0 to 65535 (0 picks a free one).`);
  process.exit(2);
}

const fake = await startFakeVision({ port, apiKey: values['api-key'] });
process.stdout.write(`${JSON.stringify({ url: fake.url, apiKey: fake.apiKey })}\n`);

let reported = 0;
const timer = setInterval(() => {
  for (const call of fake.calls.slice(reported)) {
    process.stderr.write(`${JSON.stringify(call)}\n`);
  }
  reported = fake.calls.length;
}, 200);

const shutdown = (signal: string) => {
  clearInterval(timer);
  process.stderr.write(`Fake Vision stopping on ${signal}\n`);
  fake.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Fake Vision failed to stop cleanly', error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
