import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of the Amazon SES v2 API on 127.0.0.1 for the two operations the sender uses, SendEmail
 * (`POST /v2/email/outbound-emails`) and GetSuppressedDestination
 * (`GET /v2/email/suppression/addresses/{EmailAddress}`), plus PutSuppressedDestination to fill the
 * account-level suppression list. Errors use the REST-JSON shape that the AWS SDK reads: the error name
 * in the `x-amzn-ErrorType` header and `{"message": …}` in the body. Requests are not authenticated.
 * Point the SDK at it with `AWS_ENDPOINT_URL_SESV2` or the client's `endpoint`.
 */

/** An SES v2 operation the fake implements. */
export type SesOperation = 'SendEmail' | 'GetSuppressedDestination' | 'PutSuppressedDestination';

/** An error response: HTTP status, SES error name and message. */
export interface SesFailure {
  status: number;
  errorType: string;
  message: string;
}

/** Documented SES v2 errors, with their HTTP status, for {@link FakeSes.failNext}. */
export const SES_ERRORS = {
  throttled: {
    status: 429,
    errorType: 'TooManyRequestsException',
    message: 'Maximum sending rate exceeded.',
  },
  messageRejected: { status: 400, errorType: 'MessageRejected', message: 'Email address is not verified.' },
  accountSuspended: {
    status: 400,
    errorType: 'AccountSuspendedException',
    message: 'The account is suspended from sending email.',
  },
  sendingPaused: {
    status: 400,
    errorType: 'SendingPausedException',
    message: 'Email sending is paused for this account.',
  },
  mailFromNotVerified: {
    status: 400,
    errorType: 'MailFromDomainNotVerifiedException',
    message: 'The MAIL FROM domain is not verified.',
  },
  internal: { status: 500, errorType: 'InternalServiceErrorException', message: 'Internal service error.' },
} as const satisfies Record<string, SesFailure>;

/** An e-mail that the fake accepted. */
export interface SentEmail {
  messageId: string;
  from: string;
  to: string[];
  subject?: string;
  html?: string;
  text?: string;
  configurationSetName?: string;
  tags: Record<string, string>;
  at: number;
}

/** One request and the status of the fake's response. */
export interface SesCall {
  operation: SesOperation | 'unknown';
  status: number;
  errorType?: string;
  at: number;
}

/** A running fake. */
export interface FakeSes {
  /** Base URL, such as `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly sent: SentEmail[];
  readonly calls: SesCall[];
  /** Puts an address on the account-level suppression list. */
  suppress(address: string, reason?: 'BOUNCE' | 'COMPLAINT'): void;
  /** Responds to the next `times` requests of `operation` with `failure`. */
  failNext(operation: SesOperation, failure: SesFailure, times?: number): void;
  reset(): void;
  stop(): Promise<void>;
}

/** Options of {@link startFakeSes}. */
export interface FakeSesOptions {
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Configuration sets that exist. Default: any name is accepted. */
  configurationSets?: readonly string[];
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const SEND_EMAIL_PATH = '/v2/email/outbound-emails';
const SUPPRESSION_PATH = '/v2/email/suppression/addresses';

/** The parts of a `Content.Simple` message that the fake records. */
interface SimpleMessage {
  Subject?: { Data?: string };
  Body?: { Html?: { Data?: string }; Text?: { Data?: string } };
}

class ResponseError extends Error {
  constructor(readonly failure: SesFailure) {
    super(failure.message);
  }
}

function badRequest(message: string): ResponseError {
  return new ResponseError({ status: 400, errorType: 'BadRequestException', message });
}

/** Starts the fake SES v2 API on 127.0.0.1. */
export async function startFakeSes(options: FakeSesOptions = {}): Promise<FakeSes> {
  const sent: SentEmail[] = [];
  const calls: SesCall[] = [];
  const suppressed = new Map<string, { reason: string; at: number }>();
  const failures = new Map<SesOperation, SesFailure[]>();

  const sendEmail = (body: Record<string, unknown>): unknown => {
    const destination = (body.Destination ?? {}) as { ToAddresses?: unknown };
    const to = Array.isArray(destination.ToAddresses) ? destination.ToAddresses.map(String) : [];
    if (typeof body.FromEmailAddress !== 'string' || to.length === 0) {
      throw badRequest('FromEmailAddress and at least one destination address are required.');
    }
    const configurationSetName = body.ConfigurationSetName as string | undefined;
    if (
      configurationSetName !== undefined &&
      options.configurationSets !== undefined &&
      !options.configurationSets.includes(configurationSetName)
    ) {
      throw new ResponseError({
        status: 404,
        errorType: 'NotFoundException',
        message: `Configuration set <${configurationSetName}> does not exist.`,
      });
    }
    const simple = ((body.Content ?? {}) as { Simple?: SimpleMessage }).Simple;
    if (simple === undefined) {
      throw badRequest('The fake accepts only Content.Simple messages.');
    }
    const tags = Object.fromEntries(
      ((body.EmailTags ?? []) as { Name: string; Value: string }[]).map((tag) => [tag.Name, tag.Value]),
    );
    const email: SentEmail = {
      messageId: `0100${randomUUID().replaceAll('-', '')}-000000`,
      from: body.FromEmailAddress,
      to,
      subject: simple.Subject?.Data,
      html: simple.Body?.Html?.Data,
      text: simple.Body?.Text?.Data,
      configurationSetName,
      tags,
      at: Date.now(),
    };
    sent.push(email);

    return { MessageId: email.messageId };
  };

  const getSuppressed = (address: string): unknown => {
    const entry = suppressed.get(address.toLowerCase());
    if (entry === undefined) {
      throw new ResponseError({
        status: 404,
        errorType: 'NotFoundException',
        message: `Email address ${address} does not exist on your suppression list.`,
      });
    }

    return {
      SuppressedDestination: {
        EmailAddress: address,
        Reason: entry.reason,
        LastUpdateTime: Math.floor(entry.at / 1_000),
        Attributes: { MessageId: 'fake-message', FeedbackId: 'fake-feedback' },
      },
    };
  };

  const route = (method: string, path: string) => {
    if (method === 'POST' && path === SEND_EMAIL_PATH) {
      return { operation: 'SendEmail' as const, run: sendEmail };
    }
    if (method === 'PUT' && path === SUPPRESSION_PATH) {
      return {
        operation: 'PutSuppressedDestination' as const,
        run: (body: Record<string, unknown>) => {
          suppressed.set(String(body.EmailAddress).toLowerCase(), {
            reason: String(body.Reason),
            at: Date.now(),
          });
          return {};
        },
      };
    }
    if (method === 'GET' && path.startsWith(`${SUPPRESSION_PATH}/`)) {
      const address = decodeURIComponent(path.slice(SUPPRESSION_PATH.length + 1));
      return { operation: 'GetSuppressedDestination' as const, run: () => getSuppressed(address) };
    }

    return undefined;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const at = Date.now();
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const target = route(request.method ?? 'GET', path);
    if (target === undefined) {
      calls.push({ operation: 'unknown', status: 404, errorType: 'UnknownOperationException', at });
      sendError(response, {
        status: 404,
        errorType: 'UnknownOperationException',
        message: 'Unknown operation.',
      });
      return;
    }

    try {
      const body = await readJsonBody(request);
      const injected = failures.get(target.operation)?.shift();
      if (injected !== undefined) {
        throw new ResponseError(injected);
      }
      const result = target.run(body);
      calls.push({ operation: target.operation, status: 200, at });
      sendJson(response, 200, result);
    } catch (error) {
      const failure =
        error instanceof ResponseError
          ? error.failure
          : { status: 500, errorType: 'InternalServiceErrorException', message: String(error) };
      calls.push({ operation: target.operation, status: failure.status, errorType: failure.errorType, at });
      sendError(response, failure);
    }
  };

  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    calls,
    suppress(address, reason = 'BOUNCE') {
      suppressed.set(address.toLowerCase(), { reason, at: Date.now() });
    },
    failNext(operation, failure, times = 1) {
      const queue = failures.get(operation) ?? [];
      queue.push(...Array.from({ length: times }, () => failure));
      failures.set(operation, queue);
    },
    reset() {
      sent.length = 0;
      calls.length = 0;
      suppressed.clear();
      failures.clear();
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total > MAX_BODY_BYTES) {
      throw badRequest('The request body is too large.');
    }
    chunks.push(chunk as Buffer);
  }
  if (total === 0) {
    return {};
  }

  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error('not an object');
    }
    return value as Record<string, unknown>;
  } catch {
    throw badRequest('The request body is not a JSON object.');
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': payload.length,
    'x-amzn-requestid': randomUUID(),
  });
  response.end(payload);
}

function sendError(response: ServerResponse, failure: SesFailure): void {
  const payload = Buffer.from(JSON.stringify({ message: failure.message }), 'utf8');
  response.writeHead(failure.status, {
    'content-type': 'application/json',
    'content-length': payload.length,
    'x-amzn-errortype': failure.errorType,
    'x-amzn-requestid': randomUUID(),
  });
  response.end(payload);
}
