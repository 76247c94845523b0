import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of Slack incoming webhooks on 127.0.0.1. Each webhook has a secret path
 * `/services/T…/B…/<secret>`, as Slack's do. The fake responds as Slack documents: 200 with the body `ok`;
 * 400 `invalid_payload` for a body that is not a JSON object; 400 `no_text` for a message with neither
 * `text` nor `blocks`; 404 `no_service` for an unknown path. Injected failures cover 429 with
 * Retry-After and the other documented errors.
 */

/** An error response that {@link FakeSlack.failNext} injects. */
export interface SlackFailure {
  status: number;
  /** Slack's error string, sent as the plain-text body. */
  body: string;
  /** Seconds for the Retry-After header, sent when set. */
  retryAfterSeconds?: number;
}

/** Documented incoming-webhook errors, for {@link FakeSlack.failNext}. */
export const SLACK_ERRORS = {
  rateLimited: (retryAfterSeconds: number): SlackFailure => ({
    status: 429,
    body: 'rate_limited',
    retryAfterSeconds,
  }),
  invalidPayload: { status: 400, body: 'invalid_payload' },
  actionProhibited: { status: 403, body: 'action_prohibited' },
  channelNotFound: { status: 404, body: 'channel_not_found' },
  noService: { status: 404, body: 'no_service' },
  channelIsArchived: { status: 410, body: 'channel_is_archived' },
  rollupError: { status: 500, body: 'rollup_error' },
} as const;

/** A message that the fake accepted. */
export interface SlackMessage {
  /** Name the webhook was created with. */
  webhook: string;
  payload: { text?: string; blocks?: unknown[] } & Record<string, unknown>;
  at: number;
}

/** One request and the status of the fake's response. */
export interface SlackCall {
  /** Webhook name, or `unknown` for a path that is not a webhook. */
  webhook: string;
  status: number;
  at: number;
}

/** A running fake. */
export interface FakeSlack {
  readonly url: string;
  readonly messages: SlackMessage[];
  readonly calls: SlackCall[];
  /** Creates a webhook and returns its URL, which contains a random secret path. */
  createWebhook(name: string): string;
  /** Responds to the next `times` posts to webhook `name` with `failure`. */
  failNext(name: string, failure: SlackFailure, times?: number): void;
  reset(): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Starts the fake Slack webhooks on 127.0.0.1. */
export async function startFakeSlack(options: { port?: number } = {}): Promise<FakeSlack> {
  const webhooksByPath = new Map<string, string>();
  const messages: SlackMessage[] = [];
  const calls: SlackCall[] = [];
  const failures = new Map<string, SlackFailure[]>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const at = Date.now();
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const webhook = webhooksByPath.get(path);
    const body = await readBody(request);
    if (request.method !== 'POST' || webhook === undefined) {
      calls.push({ webhook: 'unknown', status: 404, at });
      sendText(response, 404, 'no_service');
      return;
    }

    const failure = failures.get(webhook)?.shift();
    if (failure !== undefined) {
      calls.push({ webhook, status: failure.status, at });
      sendText(response, failure.status, failure.body, failure.retryAfterSeconds);
      return;
    }

    const payload = parseObject(body);
    if (payload === undefined) {
      calls.push({ webhook, status: 400, at });
      sendText(response, 400, 'invalid_payload');
      return;
    }
    if (typeof payload.text !== 'string' && !Array.isArray(payload.blocks)) {
      calls.push({ webhook, status: 400, at });
      sendText(response, 400, 'no_text');
      return;
    }

    messages.push({ webhook, payload, at });
    calls.push({ webhook, status: 200, at });
    sendText(response, 200, 'ok');
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) {
        sendText(response, 500, 'rollup_error');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    messages,
    calls,
    createWebhook(name) {
      const path = `/services/T0FAKE/B0FAKE/${randomBytes(12).toString('hex')}`;
      webhooksByPath.set(path, name);
      return `${url}${path}`;
    },
    failNext(name, failure, times = 1) {
      const queue = failures.get(name) ?? [];
      queue.push(...Array.from({ length: times }, () => failure));
      failures.set(name, queue);
    },
    reset() {
      messages.length = 0;
      calls.length = 0;
      failures.clear();
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total <= MAX_BODY_BYTES) {
      chunks.push(chunk as Buffer);
    }
  }

  return Buffer.concat(chunks).toString('utf8');
}

function parseObject(
  body: string,
): (Record<string, unknown> & { text?: string; blocks?: unknown[] }) | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function sendText(response: ServerResponse, status: number, text: string, retryAfterSeconds?: number): void {
  const headers: Record<string, string | number> = {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  };
  if (retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(retryAfterSeconds);
  }
  response.writeHead(status, headers);
  response.end(text);
}
