import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createWhatsAppWebhookHandler } from '../../functions/whatsapp-webhook/create-handler';
import { localLambdaContext } from '../../infra/local/lambda-context';
import { parseEnvelope, type WhatsAppEnvelope } from '../../lib/inbound/envelope';
import { normalizeEnvelope } from '../../lib/inbound/normalize';
import { CapturingLogger } from '../support/capturing-logger';
import { seededRandom } from '../support/seeded-random';
import { createStatusTally, sendAndCount } from './status-tally';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 5_000);
const SEED = 20260605;
const APP_SECRET = 'fuzz-app-secret_0123456789';
const VERIFY_TOKEN = 'fuzz-verify-token_9876543210';
const MAX_BODY_BYTES = 1_048_576;
/** The phone number ids of the shared WhatsApp cases and of the samples in events/whatsapp. */
const PHONE_NUMBER_IDS = ['200000000000002', '200000000000009', '123456789012345', '123456789012346'];
const ROOT = path.resolve(__dirname, '..', '..');
/** What SQS accepts as a FIFO group or deduplication id. */
const FIFO_ID = /^[!-~]{1,128}$/;

type Payload = Record<string, unknown>;

/** Wraps single messages, as the interactive and reaction case lists them, into webhook payloads. */
function payloadOfMessage(message: unknown): Payload {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '100000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: PHONE_NUMBER_IDS[0] },
              messages: [message],
            },
          },
        ],
      },
    ],
  };
}

/** Webhook payloads from events/whatsapp and the shared WhatsApp cases (skipped when that folder is absent). */
function samples(): Payload[] {
  const found: Payload[] = [];
  const sources = [
    { directory: path.join(ROOT, 'events', 'whatsapp'), pattern: /\.json$/ },
    { directory: path.join(ROOT, '..', 'shared', 'cases', 'inputs'), pattern: /^WA-0[3567]\.json$/ },
  ];
  for (const { directory, pattern } of sources) {
    let files: string[] = [];
    try {
      files = readdirSync(directory).filter((file) => pattern.test(file));
    } catch {
      continue;
    }
    for (const file of files) {
      const parsed = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as Payload;
      if (Array.isArray(parsed.entry)) {
        found.push(parsed);
      } else if (Array.isArray(parsed.messages)) {
        found.push(...parsed.messages.map(payloadOfMessage));
      }
    }
  }

  return found;
}

/** Counts the messages and statuses of a well-formed payload that belong to the configured numbers. */
function expectedItems(payload: Payload): number {
  let count = 0;
  for (const entry of payload.entry as Array<{ changes: Array<Record<string, unknown>> }>) {
    for (const change of entry.changes) {
      const value = change.value as {
        metadata: { phone_number_id: string };
        messages?: unknown[];
        statuses?: unknown[];
      };
      if (change.field === 'messages' && PHONE_NUMBER_IDS.includes(value.metadata.phone_number_id)) {
        count += (value.messages?.length ?? 0) + (value.statuses?.length ?? 0);
      }
    }
  }

  return count;
}

const WRONG_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 60,
  '',
  'x',
  'é🧾',
  'x'.repeat(300),
  [],
  [1, 'a'],
  {},
  { a: 1 },
  '\u0000',
  '\ud800',
];

type Path = Array<string | number>;

/** Lists the path of every value below the root of `value`. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const children: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((item, index) => [index, item] as [number, unknown])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];

  return children.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** Returns a deep copy of `value` with the value at `at` replaced, or deleted when `replacement` is `undefined`. */
function replaced(value: unknown, at: Path, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of at.slice(0, -1)) {
    parent = parent[key] as Record<string | number, unknown>;
  }
  const last = at[at.length - 1]!;
  if (replacement === undefined && !Array.isArray(parent)) {
    delete parent[last];
  } else {
    parent[last] = replacement;
  }

  return copy;
}

function sign(bytes: Buffer, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
}

type Category =
  | 'field-sweep'
  | 'wrong-type'
  | 'random-bytes'
  | 'truncated'
  | 'nested'
  | 'huge'
  | 'signature'
  | 'non-ascii'
  | 'method'
  | 'handshake'
  | 'valid';

interface Case {
  category: Category;
  method: string;
  body?: Buffer;
  base64: boolean;
  /** Headers besides content-type; `signed` adds the right signature of the body as API Gateway delivers it. */
  headers: Record<string, string>;
  signed: boolean;
  query?: Record<string, string>;
  /** Whether the request is invalid by construction, so nothing may be queued for it. */
  mustNotQueue: boolean;
  /** For well-formed payloads: how many items must be queued. */
  expectedQueued?: number;
}

function request(category: Category, body: Buffer, next: () => number, overrides: Partial<Case> = {}): Case {
  return {
    category,
    method: 'POST',
    body,
    base64: next() < 0.3,
    headers: {},
    signed: true,
    mustNotQueue: false,
    ...overrides,
  };
}

function randomText(next: () => number, length: number): string {
  const alphabet = [
    'é',
    '€',
    '🧾',
    '💸',
    'ß',
    '\u00a0',
    '\u202f',
    'ع',
    '中',
    '\u200d',
    'a',
    '7',
    ',',
    '"',
    '\\',
  ];
  return Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

/** Replaces every `text.body` string of a payload with random non-ASCII text. */
function withNonAsciiText(payload: Payload, next: () => number): Payload {
  const copy = structuredClone(payload);
  for (const at of pathsOf(copy)) {
    if (at[at.length - 1] === 'body' && at[at.length - 2] === 'text') {
      const parent = at
        .slice(0, -1)
        .reduce<Record<string | number, unknown>>(
          (node, key) => node[key] as Record<string | number, unknown>,
          copy as Record<string | number, unknown>,
        );
      parent.body = randomText(next, 1 + Math.floor(next() * 40));
    }
  }

  return copy;
}

function generate(next: () => number, sample: Payload): Case {
  const json = Buffer.from(JSON.stringify(sample));
  const roll = next();
  if (roll < 0.3) {
    const paths = pathsOf(sample);
    const at = paths[Math.floor(next() * paths.length)]!;
    const wrong = next() < 0.1 ? undefined : WRONG_VALUES[Math.floor(next() * WRONG_VALUES.length)];
    return request('wrong-type', Buffer.from(JSON.stringify(replaced(sample, at, wrong))), next);
  }
  if (roll < 0.4) {
    const length = Math.floor(next() * 2_000);
    const bytes = Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));
    return request('random-bytes', bytes, next, { mustNotQueue: true });
  }
  if (roll < 0.5) {
    const cut = Math.max(1, Math.floor(next() * (json.length - 1)));
    return request('truncated', json.subarray(0, cut), next, { mustNotQueue: true });
  }
  if (roll < 0.53) {
    const depth = 1 + Math.floor(next() * 50_000);
    const nesting = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const body = JSON.stringify(sample).replace('"type":', `"referral":{"nest":${nesting}},"type":`);
    return request('nested', Buffer.from(body), next);
  }
  if (roll < 0.56) {
    const size = Math.floor(next() * 2_500_000);
    const body = Buffer.from(JSON.stringify({ ...sample, huge: 'é'.repeat(Math.floor(size / 2)) }));
    return request('huge', body, next, {
      mustNotQueue: body.length > MAX_BODY_BYTES,
      expectedQueued: body.length > MAX_BODY_BYTES ? 0 : expectedItems(sample),
    });
  }
  if (roll < 0.76) {
    return signatureCase(next, json);
  }
  if (roll < 0.84) {
    const payload = withNonAsciiText(sample, next);
    const text = JSON.stringify(payload);
    // Meta may send non-ASCII literally or as \uXXXX escapes, and the signature covers whichever bytes arrive.
    const escaped =
      next() < 0.5
        ? text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
        : text;
    return request('non-ascii', Buffer.from(escaped, 'utf8'), next, {
      expectedQueued: expectedItems(payload),
    });
  }
  if (roll < 0.88) {
    const methods = ['PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'get ', '', 'CONNECT'];
    return request('method', json, next, {
      method: methods[Math.floor(next() * methods.length)]!,
      mustNotQueue: true,
    });
  }
  if (roll < 0.92) {
    return handshakeCase(next);
  }

  return request('valid', json, next, {
    headers: {},
    expectedQueued: expectedItems(sample),
  });
}

/** Requests whose signature header is missing, malformed, duplicated or computed over other bytes. */
function signatureCase(next: () => number, json: Buffer): Case {
  const good = sign(json);
  const variants: Array<Record<string, string>> = [
    {},
    { 'x-hub-signature-256': '' },
    { 'x-hub-signature-256': `${good},${good}` },
    { 'x-hub-signature-256': `${good},${sign(json, 'other-secret')}` },
    { 'x-hub-signature-256': good.replace('sha256=', 'sha1=') },
    { 'x-hub-signature-256': `${good}0` },
    { 'x-hub-signature-256': sign(json, 'other-secret') },
    { 'x-hub-signature-256': sign(Buffer.from(`${json.toString()} `)) },
    { 'x-hub-signature-256': sign(Buffer.from(json.toString('base64'))) },
    { 'x-hub-signature': good.replace('sha256=', 'sha1=') },
    { 'X-Hub-Signature-256': sign(json, 'a'), 'x-hub-signature-256': sign(json, 'b') },
    { 'x-hub-signature-256': `sha256=${'é'.repeat(64)}` },
  ];

  return {
    ...request('signature', json, next, { mustNotQueue: true, signed: false }),
    base64: false,
    headers: variants[Math.floor(next() * variants.length)]!,
  };
}

function handshakeCase(next: () => number): Case {
  const query: Record<string, string> = {};
  if (next() < 0.8) {
    query['hub.mode'] = next() < 0.8 ? 'subscribe' : 'unsubscribe';
  }
  if (next() < 0.8) {
    query['hub.verify_token'] = next() < 0.5 ? VERIFY_TOKEN : `${VERIFY_TOKEN}x`;
  }
  if (next() < 0.8) {
    query['hub.challenge'] = String(Math.floor(next() * 1e10));
  }

  return {
    category: 'handshake',
    method: 'GET',
    base64: false,
    headers: {},
    signed: false,
    query: next() < 0.1 ? undefined : query,
    mustNotQueue: true,
  };
}

function event(testCase: Case): APIGatewayProxyEventV2 {
  const body =
    testCase.body === undefined
      ? undefined
      : testCase.base64
        ? testCase.body.toString('base64')
        : testCase.body.toString('utf8');
  const headers: Record<string, string> = { 'content-type': 'application/json', ...testCase.headers };
  if (testCase.signed && body !== undefined) {
    // Sign what the handler receives: a body that is not valid UTF-8 changes when API Gateway passes it as text.
    const delivered = testCase.base64 ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
    headers['x-hub-signature-256'] = sign(delivered);
  }

  return {
    version: '2.0',
    routeKey: `${testCase.method} /webhooks/whatsapp`,
    rawPath: '/webhooks/whatsapp',
    rawQueryString: '',
    headers,
    queryStringParameters: testCase.query,
    requestContext: {
      accountId: '000000000000',
      apiId: 'fuzz',
      domainName: 'fuzz',
      domainPrefix: 'fuzz',
      http: {
        method: testCase.method,
        path: '/webhooks/whatsapp',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: '',
      },
      requestId: 'fuzz',
      routeKey: `${testCase.method} /webhooks/whatsapp`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    body,
    isBase64Encoded: testCase.base64,
  };
}

/** Returns why a queued entry breaks the webhook's contract, or `undefined` when it is valid. */
function entryProblem(entry: SendMessageBatchRequestEntry): string | undefined {
  if (!FIFO_ID.test(entry.MessageGroupId ?? '') || !FIFO_ID.test(entry.MessageDeduplicationId ?? '')) {
    return 'FIFO id that SQS rejects';
  }
  const body = entry.MessageBody ?? '';
  if (!/^[\x20-\x7e]*$/.test(body)) {
    return 'body with characters outside printable ASCII';
  }
  let envelope: WhatsAppEnvelope;
  try {
    envelope = parseEnvelope(body) as WhatsAppEnvelope;
    normalizeEnvelope(envelope);
  } catch (error) {
    return `unprocessable body: ${(error as Error).name}`;
  }
  if (envelope.channel !== 'whatsapp' || !PHONE_NUMBER_IDS.includes(envelope.phoneNumberId)) {
    return 'envelope for a number that is not configured';
  }
  const { item } = envelope;
  const strings =
    item.kind === 'message'
      ? [item.message.id, item.message.from, item.message.type, item.message.timestamp]
      : [item.status.id, item.status.status, item.status.timestamp];
  if (!strings.every((value) => typeof value === 'string')) {
    return `${item.kind} with a required field that is not a string`;
  }

  return undefined;
}

describe('WhatsApp webhook fuzzing', () => {
  it('survives generated requests', async () => {
    const calls: SendMessageBatchRequestEntry[][] = [];
    const sqs = {
      send: async (command: { input: { Entries: SendMessageBatchRequestEntry[] } }) => {
        calls.push(command.input.Entries);
        return { Successful: command.input.Entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
      },
    } as unknown as SQSClient;
    const lines: string[] = [];
    const handler = createWhatsAppWebhookHandler(
      {
        inboundQueueUrl: 'http://127.0.0.1:9/000000000000/fuzz.fifo',
        secrets: {
          kind: 'environment',
          accessToken: 'fuzz-access-token',
          appSecret: APP_SECRET,
          verifyToken: VERIFY_TOKEN,
          phoneNumberIds: PHONE_NUMBER_IDS,
        },
        maxBodyBytes: MAX_BODY_BYTES,
      },
      { sqs, logger: new CapturingLogger('whatsapp-webhook', lines) },
    );
    const pool = samples();
    const next = seededRandom(SEED);
    // Every field of every sample gets one wrong value first, then the random cases follow.
    const sweep = pool.flatMap((sample) =>
      pathsOf(sample).map((at) => ({
        category: 'field-sweep' as const,
        sample,
        at,
      })),
    );
    const tally = createStatusTally();
    const { counts, failures } = tally;
    const invalid: string[] = [];
    let queuedItems = 0;
    let secretLeaks = 0;

    for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
      const swept = sweep[iteration];
      const testCase = swept
        ? request(
            'field-sweep',
            Buffer.from(
              JSON.stringify(
                replaced(swept.sample, swept.at, WRONG_VALUES[Math.floor(next() * WRONG_VALUES.length)]),
              ),
            ),
            next,
          )
        : generate(next, pool[Math.floor(next() * pool.length)]!);
      const callsBefore = calls.length;
      const status = await sendAndCount(tally, iteration, testCase.category, () =>
        handler(event(testCase), localLambdaContext('whatsapp-webhook', 5)),
      );
      if (status === undefined) {
        continue;
      }

      const newCalls = calls.slice(callsBefore);
      const entries = newCalls.flat();
      queuedItems += entries.length;
      if (testCase.mustNotQueue && entries.length > 0) {
        invalid.push(
          `#${iteration} ${testCase.category}: queued ${entries.length} items of an invalid request`,
        );
      }
      if (testCase.expectedQueued !== undefined && entries.length !== testCase.expectedQueued) {
        invalid.push(
          `#${iteration} ${testCase.category}: queued ${entries.length} of ${testCase.expectedQueued} items`,
        );
      }
      for (const call of newCalls) {
        const bytes = call.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0);
        if (call.length > 10 || bytes > 1_048_576) {
          invalid.push(
            `#${iteration} ${testCase.category}: batch of ${call.length} entries and ${bytes} bytes`,
          );
        }
      }
      for (const entry of entries) {
        const problem = entryProblem(entry);
        if (problem !== undefined) {
          invalid.push(`#${iteration} ${testCase.category}: ${problem}`);
        }
      }
      if (lines.some((line) => line.includes(APP_SECRET) || line.includes(VERIFY_TOKEN))) {
        secretLeaks += 1;
      }
      lines.length = 0;
    }

    console.log(
      `Fuzzed ${ITERATIONS} requests (seed ${SEED}, ${Math.min(sweep.length, ITERATIONS)} field sweeps over ` +
        `${pool.length} samples): ${JSON.stringify(counts)}; queued ${queuedItems} items; ` +
        `crashes or 5xx ${failures.length}; queued although invalid ${invalid.length}; secret leaks ${secretLeaks}`,
    );
    expect(pool.length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect(invalid).toEqual([]);
    expect(secretLeaks).toBe(0);
    expect(Object.keys(counts.valid ?? {})).toEqual(['200']);
    expect(Object.keys(counts['non-ascii'] ?? {})).toEqual(['200']);
    expect(Object.keys(counts.signature ?? {})).toEqual(['401']);
    expect(queuedItems).toBeGreaterThan(0);
  }, 120_000);
});
