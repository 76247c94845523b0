import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createTelegramWebhookHandler } from '../../functions/telegram-webhook/create-handler';
import { localLambdaContext } from '../../infra/local/lambda-context';
import { parseEnvelope } from '../../lib/inbound/envelope';
import { normalizeEnvelope } from '../../lib/inbound/normalize';
import { CapturingLogger } from '../support/capturing-logger';
import { seededRandom } from '../support/seeded-random';
import { createStatusTally, sendAndCount } from './status-tally';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 10_000);
const SECRET = 'fuzz-secret-token_0123456789';
const TELEGRAM_IP = '149.154.167.220';
const ROOT = path.resolve(__dirname, '..', '..');

function samples(): unknown[] {
  const found: unknown[] = [];
  const directories = [
    path.join(ROOT, 'events', 'telegram'),
    path.join(ROOT, '..', 'shared', 'cases', 'inputs'),
  ];
  for (const directory of directories) {
    let files: string[] = [];
    try {
      files = readdirSync(directory).filter((file) => /^(TG-0[1-6]|[a-z-]+)\.json$/.test(file));
    } catch {
      continue;
    }
    for (const file of files) {
      const parsed = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as unknown;
      const list = Array.isArray(parsed)
        ? parsed
        : ((parsed as { deliveries?: unknown[] }).deliveries ?? [parsed]);
      found.push(...list.filter((item) => typeof (item as { update_id?: unknown })?.update_id === 'number'));
    }
  }

  return found;
}

type Category = 'random-bytes' | 'truncated' | 'nested' | 'wrong-type' | 'huge-string' | 'headers' | 'valid';

interface Case {
  category: Category;
  body: Buffer;
  headers: Record<string, string>;
  sourceIp: string;
  base64: boolean;
  /** Whether the case is invalid by construction, so nothing may be queued for it. */
  mustNotQueue: boolean;
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
  [],
  [1, 'a'],
  {},
  { a: 1 },
  '\u0000',
  '\ud800',
];

function mutateField(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return WRONG_VALUES[Math.floor(next() * WRONG_VALUES.length)];
    }
    const copy = [...value];
    const index = Math.floor(next() * copy.length);
    copy[index] = mutateField(copy[index], next);
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const key = keys[Math.floor(next() * keys.length)];
    if (key === undefined || next() < 0.3) {
      return WRONG_VALUES[Math.floor(next() * WRONG_VALUES.length)];
    }
    if (next() < 0.15) {
      delete copy[key];
      return copy;
    }
    copy[key] = mutateField(copy[key], next);
    return copy;
  }

  return WRONG_VALUES[Math.floor(next() * WRONG_VALUES.length)];
}

function generate(next: () => number, sample: unknown): Case {
  const goodHeaders = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET };
  const roll = next();
  const json = Buffer.from(JSON.stringify(sample));
  if (roll < 0.15) {
    const length = Math.floor(next() * 2_000);
    const bytes = Buffer.alloc(length);
    for (let index = 0; index < length; index += 1) {
      bytes[index] = Math.floor(next() * 256);
    }
    return {
      category: 'random-bytes',
      body: bytes,
      headers: goodHeaders,
      sourceIp: TELEGRAM_IP,
      base64: next() < 0.5,
      mustNotQueue: true,
    };
  }
  if (roll < 0.3) {
    const cut = Math.max(1, Math.floor(next() * (json.length - 1)));
    return {
      category: 'truncated',
      body: json.subarray(0, cut),
      headers: goodHeaders,
      sourceIp: TELEGRAM_IP,
      base64: false,
      mustNotQueue: true,
    };
  }
  if (roll < 0.4) {
    const depth = 1 + Math.floor(next() * 50_000);
    const open = next() < 0.5 ? '[' : '{"a":';
    const close = open === '[' ? ']' : '}';
    const body = Buffer.from(`{"update_id":1,"message":${open.repeat(depth)}1${close.repeat(depth)}}`);
    return {
      category: 'nested',
      body,
      headers: goodHeaders,
      sourceIp: TELEGRAM_IP,
      base64: false,
      mustNotQueue: true,
    };
  }
  if (roll < 0.7) {
    const mutated = mutateField(sample, next);
    return {
      category: 'wrong-type',
      body: Buffer.from(JSON.stringify(mutated) ?? 'null'),
      headers: goodHeaders,
      sourceIp: TELEGRAM_IP,
      base64: false,
      mustNotQueue: false,
    };
  }
  if (roll < 0.78) {
    const size = Math.floor(next() * 2_500_000);
    const body = Buffer.from(JSON.stringify({ ...(sample as object), huge: 'é'.repeat(size / 2) }));
    return {
      category: 'huge-string',
      body,
      headers: goodHeaders,
      sourceIp: TELEGRAM_IP,
      base64: false,
      mustNotQueue: body.length > 1_048_576,
    };
  }
  if (roll < 0.95) {
    // Every header variant is wrong: no secret, a duplicated or altered secret, or a source outside Telegram.
    const variant = Math.floor(next() * 6);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    let sourceIp = TELEGRAM_IP;
    if (variant === 0) {
      // Missing secret.
    } else if (variant === 1) {
      headers['x-telegram-bot-api-secret-token'] = `${SECRET},${SECRET}`;
    } else if (variant === 2) {
      headers['X-Telegram-Bot-Api-Secret-Token'] = SECRET.toUpperCase();
    } else if (variant === 3) {
      headers['x-telegram-bot-api-secret-token'] = SECRET;
      headers['x-forwarded-for'] = TELEGRAM_IP;
      sourceIp = `${Math.floor(next() * 256)}.${Math.floor(next() * 256)}.0.1`;
    } else if (variant === 4) {
      headers['x-telegram-bot-api-secret-token'] = SECRET;
      sourceIp = next() < 0.5 ? '::ffff:10.0.0.1' : 'not-an-ip';
    } else {
      headers['x-telegram-bot-api-secret-token'] = `${SECRET}\u0000`;
    }
    return {
      category: 'headers',
      body: json,
      headers,
      sourceIp,
      base64: false,
      mustNotQueue: true,
    };
  }

  return {
    category: 'valid',
    body: json,
    headers: goodHeaders,
    sourceIp: TELEGRAM_IP,
    base64: next() < 0.3,
    mustNotQueue: false,
  };
}

function event(testCase: Case): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/telegram',
    rawPath: '/webhooks/telegram',
    rawQueryString: '',
    headers: testCase.headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'fuzz',
      domainName: 'fuzz',
      domainPrefix: 'fuzz',
      http: {
        method: 'POST',
        path: '/webhooks/telegram',
        protocol: 'HTTP/1.1',
        sourceIp: testCase.sourceIp,
        userAgent: '',
      },
      requestId: 'fuzz',
      routeKey: 'POST /webhooks/telegram',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    body: testCase.base64 ? testCase.body.toString('base64') : testCase.body.toString('utf8'),
    isBase64Encoded: testCase.base64,
  };
}

describe('Telegram webhook fuzzing', () => {
  it('survives generated requests', async () => {
    const sent: string[] = [];
    const sqs = {
      send: async (command: { input: { MessageBody: string } }) => {
        sent.push(command.input.MessageBody);
        return {};
      },
    } as unknown as SQSClient;
    const handler = createTelegramWebhookHandler(
      {
        inboundQueueUrl: 'http://127.0.0.1:9/000000000000/fuzz.fifo',
        secrets: { kind: 'environment', botToken: 'fuzz:token', webhookSecret: SECRET },
        checkSourceIp: true,
        maxBodyBytes: 1_048_576,
      },
      { sqs, logger: new CapturingLogger('telegram-webhook', []) },
    );
    const pool = samples();
    const next = seededRandom(20261204);
    const tally = createStatusTally();
    const { counts, failures } = tally;
    let queuedInvalid = 0;
    let unprocessable = 0;

    for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
      const testCase = generate(next, pool[Math.floor(next() * pool.length)]);
      const before = sent.length;
      const status = await sendAndCount(tally, iteration, testCase.category, () =>
        handler(event(testCase), localLambdaContext('telegram-webhook', 5)),
      );
      if (status === undefined) {
        continue;
      }
      if (sent.length > before) {
        if (testCase.mustNotQueue) {
          queuedInvalid += 1;
        }
        try {
          normalizeEnvelope(parseEnvelope(sent[sent.length - 1]!));
        } catch {
          unprocessable += 1;
        }
      }
    }

    console.log(
      `Fuzzed ${ITERATIONS} requests (seed 20261204): ${JSON.stringify(counts)}; queued ${sent.length}; ` +
        `crashes or 5xx ${failures.length}; queued although invalid ${queuedInvalid}; queued but unprocessable ${unprocessable}`,
    );
    expect(failures).toEqual([]);
    expect(Object.keys(counts.valid ?? {})).toEqual(['200']);
    expect(sent.length).toBeGreaterThan(0);
    expect(queuedInvalid).toBe(0);
    expect(unprocessable).toBe(0);
  }, 300_000);
});
