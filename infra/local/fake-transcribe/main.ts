/**
 * Runs the fake Amazon Transcribe until SIGINT or SIGTERM, with the voice fixtures' manifest loaded.
 * Prints `{"url"}` as one JSON line on stdout and, when it stops, one JSON line per request on stderr.
 * Usage: AWS_ENDPOINT_URL_S3=http://127.0.0.1:<fauxqs port> npx tsx infra/local/fake-transcribe/main.ts
 *   [--port 0] [--manifest test/fixtures/voice/manifest.json] [--delay-ms 200]
 * Then set AWS_ENDPOINT_URL_TRANSCRIBE to the printed URL and TRANSCRIBER=transcribe.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { isLoopbackEndpoint, LOCAL_AWS_CREDENTIALS, LOCAL_AWS_REGION } from '../local-aws';
import { startFakeTranscribe } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    manifest: { type: 'string', default: path.join('test', 'fixtures', 'voice', 'manifest.json') },
    'delay-ms': { type: 'string', default: '200' },
  },
});

const port = Number(values.port);
const delayMs = Number(values['delay-ms']);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port ${values.port} is invalid; pass a TCP port from 0 to 65535 (0 picks a free one).`);
  process.exit(2);
}
if (!Number.isInteger(delayMs) || delayMs < 0) {
  console.error(
    `--delay-ms ${values['delay-ms']} is invalid; pass a whole number of milliseconds, 0 or more.`,
  );
  process.exit(2);
}
const s3Endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? '';
if (!isLoopbackEndpoint(s3Endpoint)) {
  console.error(
    `AWS_ENDPOINT_URL_S3 is "${s3Endpoint}"; set it to the S3 emulator on 127.0.0.1, which holds the media.`,
  );
  process.exit(2);
}

const s3 = new S3Client({
  endpoint: s3Endpoint,
  forcePathStyle: true,
  region: LOCAL_AWS_REGION,
  credentials: LOCAL_AWS_CREDENTIALS,
});
const fake = await startFakeTranscribe({
  s3,
  port,
  manifestPath: values.manifest,
  completionDelayMs: delayMs,
});
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);

// Each request is logged on stderr once the fake stops, so a local run can check what the transcriber sent.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    process.stderr.write(`${fake.requests.map((request) => JSON.stringify(request)).join('\n')}\n`);
    await fake.stop();
    process.exit(0);
  });
}
