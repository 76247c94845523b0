/**
 * Runs the fake OpenAI API until SIGINT or SIGTERM. Prints `{"url","baseURL","apiKey"}` as one JSON line on
 * stdout, then one JSON line per request on stderr with its path, status and size (never its content).
 * Usage: npx tsx infra/local/fake-openai/main.ts [--port 0] [--api-key KEY] [--audio-manifest FILE]
 *   [--unknown-audio-text TEXT]
 */
import { parseArgs } from 'node:util';
import { startFakeOpenAi } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'api-key': { type: 'string' },
    'audio-manifest': { type: 'string' },
    'unknown-audio-text': { type: 'string' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port ${values.port} is invalid; pass a TCP port from 0 to 65535 (0 picks a free one).`);
  process.exit(2);
}

const unknownText = values['unknown-audio-text'];
const fake = await startFakeOpenAi({
  port,
  apiKey: values['api-key'],
  audioManifestPath: values['audio-manifest'],
  unknownAudio: unknownText === undefined ? undefined : { text: unknownText, durationSeconds: 1 },
});
process.stdout.write(`${JSON.stringify({ url: fake.url, baseURL: fake.baseURL, apiKey: fake.apiKey })}\n`);

let logged = 0;
const timer = setInterval(() => {
  for (const request of fake.requests.slice(logged)) {
    process.stderr.write(
      `${JSON.stringify({ path: request.path, status: request.status, bytes: request.bytes })}\n`,
    );
  }
  logged = fake.requests.length;
}, 200);

const shutdown = (signal: string) => {
  clearInterval(timer);
  process.stderr.write(`Fake OpenAI stopping on ${signal}\n`);
  fake.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Fake OpenAI failed to stop cleanly', error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
