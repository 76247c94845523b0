import { parseRetryAfter } from '../../resilience/retry-after';

/**
 * A failed post to a Slack incoming webhook. `status` is the HTTP status (undefined when no response
 * arrived), `code` Slack's error string from the body, such as `invalid_payload` or `no_service`.
 * `retryAfterMs` comes from a 429's Retry-After header, and the resilience layer waits at least that long
 * before the next attempt. The message names the webhook, never its URL, because the URL is a secret.
 */
export class SlackWebhookError extends Error {
  override readonly name = 'SlackWebhookError';

  constructor(
    readonly webhook: string,
    readonly status: number | undefined,
    readonly code: string,
    readonly retryAfterMs?: number,
    options?: { cause: unknown },
  ) {
    super(
      status === undefined
        ? `Slack webhook "${webhook}" request failed: ${code}.`
        : `Slack webhook "${webhook}" returned ${status} "${code}".`,
      options,
    );
  }
}

/** Options of {@link SlackWebhookClient}. */
export interface SlackWebhookClientOptions {
  fetch?: typeof fetch;
  /** Time one request may take before it is aborted. Default 5,000 ms. */
  timeoutMs?: number;
  /** Clock in epoch milliseconds, for Retry-After dates. Default `Date.now`. */
  now?: () => number;
}

/** Longest Slack error string kept from a response body; real ones are short codes. */
const MAX_CODE_LENGTH = 100;

/**
 * Posts messages to Slack incoming webhooks. Slack responds with 200 and the body `ok`, or with an error status
 * and a short code in the body: 400 `invalid_payload`, 403 `action_prohibited`, 404 `channel_not_found`
 * or `no_service`, 410 `channel_is_archived`, 429 with a Retry-After header, 500 `rollup_error`.
 */
export class SlackWebhookClient {
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(options: SlackWebhookClientOptions = {}) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  /** Posts `payload` as JSON to the webhook named `webhook` at `webhookUrl`. */
  async post(webhook: string, webhookUrl: string, payload: unknown): Promise<void> {
    let response: Response;
    try {
      response = await this.#fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      // undici's messages and causes name the host and port at most, never the secret path of the URL.
      throw new SlackWebhookError(webhook, undefined, networkReason(error), undefined, { cause: error });
    }

    const body = (await response.text().catch(() => '')).trim();
    if (response.ok) {
      return;
    }

    const retryAfterMs =
      response.status === 429 ? parseRetryAfter(response.headers.get('retry-after'), this.#now()) : undefined;
    throw new SlackWebhookError(webhook, response.status, errorCodeOf(body), retryAfterMs);
  }
}

/** Returns Slack's error code from a response body, or a placeholder for an empty or unexpected body. */
function errorCodeOf(body: string): string {
  if (body === '') {
    return 'empty_body';
  }
  if (!/^[a-z_]+$/.test(body)) {
    return 'unexpected_body';
  }

  return body.slice(0, MAX_CODE_LENGTH);
}

function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'timed out';
  }
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;

  return typeof code === 'string' ? code : 'network error';
}
