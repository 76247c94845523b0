/**
 * Typed errors of the WhatsApp Cloud API (Graph API) client, built from failed responses with the code
 * table in `graph-error-codes.ts`. Messages name the operation, the code, the title and the fix, but
 * never contain the access token or message text.
 */
import { parseRetryAfter } from '../../resilience/retry-after';
import {
  type CodeRule,
  type GraphErrorKind,
  kindOfStatus,
  NEXT_STEP,
  ruleFor,
  THROUGHPUT_WAIT_MS,
} from './graph-error-codes';
import type { GraphOperation } from './graph-types';

export type { GraphErrorKind } from './graph-error-codes';

/** Fields of a {@link GraphApiError}. */
export interface GraphApiErrorInit {
  operation: GraphOperation | undefined;
  kind: GraphErrorKind;
  /** HTTP status of the response, `undefined` when none arrived. */
  httpStatus: number | undefined;
  code: number | undefined;
  subcode?: number;
  title: string;
  /** Meta's `error_data.details`, which names the invalid parameter or the reason. */
  details?: string;
  fbtraceId?: string;
  retryAfterMs?: number;
  /** Full error message. Default: operation, code, title, details and the next step for the kind. */
  message?: string;
  cause?: unknown;
}

/**
 * A failed Graph API call.
 *
 * `status` is the HTTP status as the resilience layer's `classifyFailure` should see it, which is not
 * always the status Meta sent (that one is `httpStatus`):
 * - `rate-limited` errors carry 429, because Meta sends most rate limits as HTTP 400. The layer then
 *   retries them, honours `retryAfterMs`, and treats the request as not executed.
 * - `auth` errors carry 503. A wrong token or permission is not retryable, but it breaks every call, so it
 *   must count as a dependency failure and open the circuit breaker rather than pass as a caller error.
 *   NOTE: the layer then also retries idempotent calls (markRead, media) up to its attempt limit.
 * - `transient` errors carry the 5xx status Meta sent, 503 when the code is transient but the status was
 *   not 5xx, and `undefined` when no response arrived.
 * - Every other kind carries the 4xx status Meta sent (400 if Meta sent something else), a caller error.
 */
export class GraphApiError extends Error {
  override readonly name: string = 'GraphApiError';
  readonly operation: GraphOperation | undefined;
  readonly kind: GraphErrorKind;
  readonly status: number | undefined;
  readonly httpStatus: number | undefined;
  /** Graph API error `code`, `undefined` when the response had none. */
  readonly code: number | undefined;
  /** Graph API `error_subcode`, which Meta stopped sending in v16.0 for most WhatsApp errors. */
  readonly subcode: number | undefined;
  readonly title: string;
  readonly details: string | undefined;
  /** Meta's trace id for support requests. */
  readonly fbtraceId: string | undefined;
  /** Delay before a retry can succeed, in ms: from `Retry-After`, Meta's usage headers or the code's default. */
  readonly retryAfterMs: number | undefined;
  /** Whether sending the same request later can succeed. */
  readonly retryable: boolean;

  constructor(init: GraphApiErrorInit) {
    super(init.message ?? describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.operation = init.operation;
    this.kind = init.kind;
    this.httpStatus = init.httpStatus;
    this.status = classificationStatus(init.kind, init.httpStatus);
    this.code = init.code;
    this.subcode = init.subcode;
    this.title = init.title;
    this.details = init.details;
    this.fbtraceId = init.fbtraceId;
    this.retryAfterMs = init.retryAfterMs;
    this.retryable = init.kind === 'rate-limited' || init.kind === 'transient';
  }
}

/**
 * A media URL or media id that no longer resolves: download URLs expire minutes after `GET /{media-id}`
 * and media ids after about 30 days. Request a new URL for the id, or ask the user to resend the file.
 */
export class WhatsAppMediaExpiredError extends GraphApiError {
  override readonly name = 'WhatsAppMediaExpiredError';

  constructor(operation: GraphOperation, httpStatus: number, mediaId?: string) {
    const subject = mediaId === undefined ? 'The media download URL' : `Media ${mediaId}`;
    super({
      operation,
      kind: 'media',
      httpStatus,
      code: undefined,
      title: 'Media expired',
      message:
        `${subject} is expired or unknown (WhatsApp ${operation} returned HTTP ${httpStatus}); look up the ` +
        'media id again for a fresh URL, or ask the user to send the file again if the id itself expired.',
    });
  }
}

/** A media file larger than the caller's limit, found from its announced size or while reading it. */
export class WhatsAppMediaTooLargeError extends Error {
  override readonly name = 'WhatsAppMediaTooLargeError';
  readonly retryable = false;

  constructor(
    /** Announced size, or the bytes read when the download was stopped (the file is at least that large). */
    readonly sizeBytes: number,
    readonly limitBytes: number,
    /** Whether `sizeBytes` was announced (`file_size`, Content-Length) rather than counted while reading. */
    readonly announced: boolean,
  ) {
    super(
      `WhatsApp media file is ${announced ? '' : 'at least '}${sizeBytes} bytes, above the ${limitBytes}-byte ` +
        'limit; ask the user for a smaller file or raise WHATSAPP_MAX_MEDIA_BYTES.',
    );
  }
}

/** A media download URL on a host that is not Meta's, to which the client does not send the access token. */
export class WhatsAppMediaUrlError extends Error {
  override readonly name = 'WhatsAppMediaUrlError';
  readonly retryable = false;

  constructor(readonly host: string) {
    super(
      `WhatsApp media URL host "${host}" is neither the Graph API origin nor a Meta media host, so the access ` +
        'token is not sent there; pass only URLs from GET /{media-id}.',
    );
  }
}

/** Headers as fetch returns them, or as a plain object with lower-case names. */
export type GraphHeaders = Headers | Readonly<Record<string, string | undefined>>;

/** Context of {@link classifyGraphError}. */
export interface GraphErrorContext {
  operation?: GraphOperation;
  /** Clock in epoch milliseconds for a `Retry-After` date, default `Date.now()`. */
  nowMs?: number;
  /** Values replaced by `<redacted>` wherever the response repeats them, such as the access token. */
  secrets?: readonly string[];
}

/**
 * Builds the error for a failed Graph API response.
 * `body` is the parsed JSON body, or the raw text when the body is not JSON. A text body, such as a
 * proxy's HTML 502 page, becomes a `transient` error that names the status and the body's length.
 * @example throw classifyGraphError(response.status, parsedOrText, response.headers, { operation: 'sendMessage' });
 */
export function classifyGraphError(
  status: number,
  body: unknown,
  headers: GraphHeaders,
  context: GraphErrorContext = {},
): GraphApiError {
  const operation = context.operation;
  if (typeof body === 'string' || body === undefined) {
    const bodyBytes = Buffer.byteLength(body ?? '', 'utf8');
    return new GraphApiError({
      operation,
      kind: 'transient',
      httpStatus: status,
      code: undefined,
      title: 'Response is not JSON',
      retryAfterMs: retryAfterHeaderMs(headers, context.nowMs),
      message:
        `WhatsApp ${operation ?? 'request'} returned HTTP ${status} with a ${bodyBytes}-byte body that is not ` +
        'Graph API JSON, which points at a proxy or an outage; retry later.',
    });
  }

  const error = graphErrorObject(body);
  const code = error?.code;
  const rule = code === undefined ? undefined : ruleFor(code);
  const kind = rule?.kind ?? kindOfStatus(status);
  const redact = (text: string | undefined) => redactSecrets(text, context.secrets ?? []);
  const metaTitle = redact(error?.message)?.replace(/^\(#\d+\)\s*/, '');

  return new GraphApiError({
    operation,
    kind,
    httpStatus: status,
    code,
    subcode: error?.error_subcode,
    title: metaTitle || rule?.title || `HTTP ${status}`,
    details: redact(error?.error_data?.details),
    fbtraceId: error?.fbtrace_id,
    retryAfterMs: retryAfterMsFor(kind, rule, headers, context.nowMs),
  });
}

/**
 * Wraps a fetch failure. The message names the cause, for example `connect ECONNREFUSED 127.0.0.1:1`,
 * which the resilience layer reads to tell that the request was never sent, but never the URL.
 */
export function graphNetworkError(
  operation: GraphOperation,
  error: unknown,
  timeoutMs: number,
  secrets: readonly string[] = [],
): GraphApiError {
  // Duck typing, because fetch errors such as DOMException may come from another realm than Error.
  const failure = error as { name?: unknown; message?: unknown; cause?: { message?: unknown } } | undefined;
  const timedOut = failure?.name === 'TimeoutError';
  const detail = timedOut
    ? `timed out after ${timeoutMs} ms`
    : String(failure?.cause?.message ?? failure?.message ?? error);
  const reason = redactSecrets(detail, secrets) ?? detail;

  return new GraphApiError({
    operation,
    kind: 'transient',
    httpStatus: undefined,
    code: undefined,
    title: timedOut ? 'Request timed out' : 'Network error',
    message:
      `WhatsApp ${operation} request failed before a response arrived (${reason}); retry later, and note ` +
      'that Meta may already have executed it.',
    cause: { name: 'FetchError', message: reason },
  });
}

/** The `error` object of a Graph API error response. */
interface GraphErrorObject {
  message?: string;
  code?: number;
  error_subcode?: number;
  error_data?: { messaging_product?: string; details?: string };
  fbtrace_id?: string;
}

function graphErrorObject(body: unknown): GraphErrorObject | undefined {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }

  const fields = error as Record<string, unknown>;
  const data = typeof fields.error_data === 'object' && fields.error_data !== null ? fields.error_data : {};
  const details = (data as { details?: unknown }).details;
  return {
    message: stringOrUndefined(fields.message),
    code: integerOrUndefined(fields.code),
    error_subcode: integerOrUndefined(fields.error_subcode),
    error_data: { details: stringOrUndefined(details) },
    fbtrace_id: stringOrUndefined(fields.fbtrace_id),
  };
}

function classificationStatus(kind: GraphErrorKind, httpStatus: number | undefined): number | undefined {
  switch (kind) {
    case 'rate-limited':
      return 429;
    case 'auth':
      return 503;
    case 'transient':
      if (httpStatus === undefined) {
        return undefined;
      }
      return httpStatus >= 500 ? httpStatus : 503;
    default:
      return httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500 && httpStatus !== 429
        ? httpStatus
        : 400;
  }
}

function retryAfterMsFor(
  kind: GraphErrorKind,
  rule: CodeRule | undefined,
  headers: GraphHeaders,
  nowMs: number | undefined,
): number | undefined {
  if (kind !== 'rate-limited' && kind !== 'transient') {
    return undefined;
  }

  const fromHeaders = retryAfterHeaderMs(headers, nowMs) ?? regainAccessMs(headers);
  if (fromHeaders !== undefined || kind === 'transient') {
    return fromHeaders;
  }

  return rule?.defaultRetryAfterMs ?? THROUGHPUT_WAIT_MS;
}

function retryAfterHeaderMs(headers: GraphHeaders, nowMs: number | undefined): number | undefined {
  return parseRetryAfter(headerValue(headers, 'retry-after'), nowMs ?? Date.now());
}

/**
 * Reads `estimated_time_to_regain_access` (minutes) from the `X-Business-Use-Case-Usage` header that Graph
 * API sends with business use case rate limits, such as `{"<waba id>":[{"type":"whatsapp_business_management",
 * "estimated_time_to_regain_access":5}]}`. Returns the largest positive value in ms.
 */
function regainAccessMs(headers: GraphHeaders): number | undefined {
  const value = headerValue(headers, 'x-business-use-case-usage');
  if (value === undefined) {
    return undefined;
  }

  let usage: unknown;
  try {
    usage = JSON.parse(value);
  } catch {
    return undefined;
  }

  const entries = typeof usage === 'object' && usage !== null ? Object.values(usage).flat() : [];
  const minutes = entries
    .map(
      (entry: unknown) =>
        (entry as { estimated_time_to_regain_access?: unknown } | null)?.estimated_time_to_regain_access,
    )
    .filter((value): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0);

  return minutes.length === 0 ? undefined : Math.max(...minutes) * 60_000;
}

function headerValue(headers: GraphHeaders, name: string): string | undefined {
  if (headers instanceof Headers) {
    return headers.get(name) ?? undefined;
  }

  return headers[name];
}

function describe(init: GraphApiErrorInit): string {
  const code = init.code === undefined ? `HTTP ${init.httpStatus ?? 'error'}` : `error ${init.code}`;
  const status = init.code === undefined || init.httpStatus === undefined ? '' : ` (HTTP ${init.httpStatus})`;
  const details = init.details === undefined ? '' : `: ${init.details.replace(/\.+$/, '')}`;
  const wait =
    init.kind === 'rate-limited' && init.retryAfterMs !== undefined
      ? ` (retry after ${init.retryAfterMs} ms)`
      : '';

  return (
    `WhatsApp ${init.operation ?? 'request'} failed with ${code} "${init.title}"${status}${details}; ` +
    `${NEXT_STEP[init.kind]}${wait}.`
  );
}

function redactSecrets(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) {
    return undefined;
  }

  return secrets
    .filter((secret) => secret !== '')
    .reduce((result, secret) => result.split(secret).join('<redacted>'), text);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function integerOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}
