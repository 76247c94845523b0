/**
 * HTTP transport of the providers: one GET with a timeout, the body parsed as exact JSON. Failures that our
 * request did not cause throw {@link FxProviderUnavailableError}: network errors, timeouts, 5xx and 408
 * statuses, and a 2xx body that is not JSON, such as an HTML error page. The resilience layer retries them
 * and counts them against the provider's circuit breaker. Every other response is returned for the
 * provider to interpret, whatever its status, because some APIs report errors in a JSON body with 200.
 */
import type { FxProviderId } from '../config';
import { rateLimitsFor } from '../resilience/limits';
import type { ResilientCaller } from '../resilience/resilient-call';
import { FxProviderUnavailableError } from './errors';
import { parseJsonExact } from './json';

/** One GET request to a provider. */
export interface FxHttpRequest {
  provider: FxProviderId;
  url: string;
  /** Values to mask in error messages, such as an API key that is part of the URL. */
  secrets?: readonly string[];
}

/** A response that the provider interprets. */
export interface FxHttpResponse {
  status: number;
  /** The body parsed with {@link parseJsonExact}, or undefined when it is not JSON. */
  body: unknown;
}

/** Sends provider requests. */
export interface FxHttpClient {
  get(request: FxHttpRequest): Promise<FxHttpResponse>;
}

/** Largest response body read, in characters; a full currency table is about 10 KB. */
const MAX_BODY_CHARACTERS = 1_000_000;

/** {@link FxHttpClient} on `fetch`, without retries or rate limits. */
export class FetchFxHttpClient implements FxHttpClient {
  constructor(
    private readonly timeoutMs: number,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async get(request: FxHttpRequest): Promise<FxHttpResponse> {
    const mask = (text: string) =>
      (request.secrets ?? []).reduce(
        (masked, secret) => (secret === '' ? masked : masked.replaceAll(secret, '***')),
        text,
      );

    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(request.url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // Checked by name: the DOMException of AbortSignal.timeout may come from another realm (a test VM).
      const errorName =
        typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
      const timedOut = errorName === 'TimeoutError' || errorName === 'AbortError';
      const detail = timedOut
        ? `no response within ${this.timeoutMs} ms`
        : `the request failed (${mask(describeError(error))})`;

      throw new FxProviderUnavailableError(
        request.provider,
        timedOut ? 'timeout' : 'network',
        detail,
        undefined,
        {
          cause: error,
        },
      );
    }

    const { status } = response;
    if (status >= 500 || status === 408) {
      throw new FxProviderUnavailableError(
        request.provider,
        `http-${status}`,
        `it answered HTTP ${status}`,
        status,
      );
    }
    if (text.length > MAX_BODY_CHARACTERS) {
      throw new FxProviderUnavailableError(
        request.provider,
        'response-too-large',
        `the response body has more than ${MAX_BODY_CHARACTERS} characters`,
        status,
      );
    }

    const body = tryParseJson(text);
    if (body === undefined && status >= 200 && status < 300) {
      throw new FxProviderUnavailableError(
        request.provider,
        'not-json',
        `it answered HTTP ${status} with a body that is not JSON (${response.headers.get('content-type') ?? 'no content type'})`,
        status,
      );
    }

    return { status, body };
  }
}

function tryParseJson(text: string): unknown {
  try {
    return parseJsonExact(text);
  } catch {
    return undefined;
  }
}

function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) {
    return String(error);
  }
  // undici reports "fetch failed" and keeps the reason, such as ECONNREFUSED, in `cause`.
  const { name, message, cause } = error as {
    name?: unknown;
    message?: unknown;
    cause?: { message?: unknown };
  };
  const reason = typeof cause?.message === 'string' ? `: ${cause.message}` : '';

  return `${String(name)}: ${String(message)}${reason}`;
}

/** Counts of HTTP requests sent to each provider, retries included, for logs and metrics. */
export class FxRequestCounter {
  readonly #counts = new Map<FxProviderId, number>();

  increment(provider: FxProviderId): void {
    this.#counts.set(provider, this.count(provider) + 1);
  }

  count(provider: FxProviderId): number {
    return this.#counts.get(provider) ?? 0;
  }
}

/** Options of {@link ResilientFxHttpClient}. */
export interface ResilientFxHttpClientOptions {
  inner: FxHttpClient;
  caller: ResilientCaller;
  counter: FxRequestCounter;
  /** Time one provider call may take, retries and rate-limit waits included, in milliseconds. */
  budgetMs: () => number;
  /**
   * Attempts per call, the first included. A refresh runs every hour, so one quick retry covers a network
   * blip and the next hour covers longer outages.
   * @default 2
   */
  maxAttempts?: number;
}

/**
 * {@link FxHttpClient} that sends each request through the resilience layer: the circuit breaker
 * `fx:<provider>`, the `fx:requests` token buckets of that provider (10 per minute, 100,000 per month), and
 * retries with backoff. It counts every attempt that reaches the network.
 */
export class ResilientFxHttpClient implements FxHttpClient {
  constructor(private readonly options: ResilientFxHttpClientOptions) {}

  get(request: FxHttpRequest): Promise<FxHttpResponse> {
    const { inner, caller, counter, budgetMs, maxAttempts = 2 } = this.options;

    return caller.call(
      {
        dependency: `fx:${request.provider}`,
        rateLimits: rateLimitsFor('fx:requests', request.provider),
        idempotent: true,
        budgetMs: Math.max(0, budgetMs()),
        maxAttempts,
        classify: (error) =>
          error instanceof FxProviderUnavailableError ? 'dependency-failure' : 'caller-error',
      },
      () => {
        counter.increment(request.provider);
        return inner.get(request);
      },
    );
  }
}
