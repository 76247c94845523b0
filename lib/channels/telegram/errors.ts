import type { ApiError, Message, ResponseParameters } from '@grammyjs/types';

/** Largest file that the Bot API lets bots download, per the getFile documentation (20 MB). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** Largest `callback_data` of an inline keyboard button, in UTF-8 bytes, per the InlineKeyboardButton docs. */
export const MAX_CALLBACK_DATA_BYTES = 64;

/**
 * Base class for every failed Bot API request.
 * `errorCode` is the Bot API `error_code` (or the HTTP status when the body had none), and
 * `undefined` when no response arrived. Messages never contain the bot token.
 */
export class TelegramApiError extends Error {
  override readonly name: string = 'TelegramApiError';

  /** Whether sending the same request later can succeed. The caller's retry policy decides. */
  readonly retryable: boolean = false;

  /** `parameters` of the error response, for example `retry_after` or `migrate_to_chat_id`. */
  readonly parameters: ResponseParameters | undefined;

  /**
   * Messages of a split `sendMessage` that Telegram accepted before this error, so a retry can
   * skip them. Empty for every other call.
   */
  deliveredMessages: Message.TextMessage[] = [];

  constructor(
    readonly method: string,
    readonly errorCode: number | undefined,
    readonly description: string,
    message: string,
    options: { parameters?: ResponseParameters; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.parameters = options.parameters;
  }
}

/** Telegram responded with 429 and a delay of `retryAfterSeconds` before the next request. */
export class TelegramRateLimitError extends TelegramApiError {
  override readonly name = 'TelegramRateLimitError';
  override readonly retryable = true;

  constructor(
    method: string,
    description: string,
    /** Seconds to wait before resending, or `undefined` when Telegram named no delay. */
    readonly retryAfterSeconds: number | undefined,
    parameters?: ResponseParameters,
  ) {
    const wait =
      retryAfterSeconds === undefined
        ? 'Telegram named no delay, so back off before resending'
        : `resend no earlier than ${retryAfterSeconds} s from now, for example by deferring the job`;
    super(method, 429, description, `Telegram ${method} was rate limited (429 "${description}"); ${wait}.`, {
      parameters,
    });
  }
}

/** The user blocked the bot, deleted their account, or removed the bot from the chat. Permanent. */
export class TelegramBlockedError extends TelegramApiError {
  override readonly name = 'TelegramBlockedError';

  constructor(
    method: string,
    description: string,
    /** `chat_id` of the failed request, when it had one. */
    readonly chatId: number | string | undefined,
  ) {
    super(
      method,
      403,
      description,
      `Telegram ${method} to chat ${chatId ?? '(none)'} failed with 403 "${description}"; ` +
        'mark the chat inactive and stop sending to it, because retries fail the same way.',
    );
  }
}

/** A 4xx response other than 401, 403 blocked and 429: the request itself is wrong. */
export class TelegramRequestError extends TelegramApiError {
  override readonly name: string = 'TelegramRequestError';

  constructor(
    method: string,
    errorCode: number,
    description: string,
    parameters?: ResponseParameters,
    message = `Telegram ${method} failed with ${errorCode} "${description}"; fix the request, ` +
      'because resending it unchanged fails again.',
  ) {
    super(method, errorCode, description, message, { parameters });
  }
}

/** Telegram rejected the bot token (401). */
export class TelegramUnauthorizedError extends TelegramRequestError {
  override readonly name = 'TelegramUnauthorizedError';

  constructor(method: string, description: string) {
    super(
      method,
      401,
      description,
      undefined,
      `Telegram ${method} failed with 401 "${description}"; check that the bot token is current ` +
        '(BotFather /token) and that baseUrl points to the intended Bot API server.',
    );
  }
}

/** A 5xx response, or a response that is not a Bot API JSON body. The request may be retried. */
export class TelegramServerError extends TelegramApiError {
  override readonly name = 'TelegramServerError';
  override readonly retryable = true;

  constructor(method: string, status: number, description: string) {
    super(
      method,
      status,
      description,
      `Telegram ${method} failed with ${status} "${description}"; the server side failed, so retry later.`,
    );
  }
}

/** No response arrived: the connection failed, was reset, or the request timed out. */
export class TelegramNetworkError extends TelegramApiError {
  override readonly name = 'TelegramNetworkError';
  override readonly retryable = true;

  constructor(
    method: string,
    reason: string,
    /** Whether the request ran out of time, as opposed to failing to connect or being reset. */
    readonly timedOut: boolean,
    cause?: unknown,
  ) {
    super(
      method,
      undefined,
      reason,
      `Telegram ${method} request failed before a response arrived (${reason}); retry later, ` +
        'and note that Telegram may already have executed it.',
      { cause },
    );
  }
}

/** A file is larger than the 20 MB that the Bot API lets bots download. */
export class TelegramFileTooLargeError extends TelegramApiError {
  override readonly name = 'TelegramFileTooLargeError';

  constructor(
    readonly filePath: string,
    readonly sizeBytes: number,
  ) {
    super(
      'downloadFile',
      undefined,
      'file is too big',
      `Telegram file ${filePath} is at least ${sizeBytes} bytes, above the ${MAX_DOWNLOAD_BYTES}-byte ` +
        'download limit of the Bot API; ask the user for a smaller file.',
    );
  }
}

/** An inline keyboard button's `callback_data` is longer than the 64 bytes that Telegram accepts. */
export class CallbackDataTooLongError extends Error {
  override readonly name = 'CallbackDataTooLongError';
  readonly retryable = false;

  constructor(
    readonly data: string,
    readonly byteLength: number,
  ) {
    super(
      `Callback data "${data}" is ${byteLength} bytes in UTF-8, above Telegram's ${MAX_CALLBACK_DATA_BYTES}-byte ` +
        'limit; store the payload on the server and put a short key in the button.',
    );
  }
}

const BLOCKED_DESCRIPTIONS = [/bot was blocked by the user/i, /user is deactivated/i, /bot was kicked/i];

/** Reads the delay from a 429 body, falling back to the "retry after N" text of its description. */
export function retryAfterSeconds(body: Pick<ApiError, 'description' | 'parameters'>): number | undefined {
  const fromParameters = body.parameters?.retry_after;
  if (typeof fromParameters === 'number' && Number.isFinite(fromParameters)) {
    return fromParameters;
  }

  const match = /retry after (\d+)/i.exec(body.description);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Checks whether a parsed response body is a Bot API success, `{ ok: true, result }`. */
export function isApiSuccess(body: unknown): body is { ok: true; result: unknown } {
  return (
    typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true && 'result' in body
  );
}

/**
 * Builds the error for a failed Bot API response.
 * `parsedBody` is the parsed JSON body, or `undefined` when the body was not JSON.
 */
export function errorFromResponse(
  method: string,
  status: number,
  parsedBody: unknown,
  chatId: number | string | undefined,
): TelegramApiError {
  const body = asApiError(parsedBody);
  const errorCode = body?.error_code ?? status;
  const description = body?.description ?? `HTTP ${status} with a body that is not Bot API JSON`;

  if (errorCode === 429) {
    return new TelegramRateLimitError(
      method,
      description,
      retryAfterSeconds({ description, parameters: body?.parameters }),
      body?.parameters,
    );
  }

  if (errorCode === 403 && BLOCKED_DESCRIPTIONS.some((pattern) => pattern.test(description))) {
    return new TelegramBlockedError(method, description, chatId);
  }

  if (errorCode === 401) {
    return new TelegramUnauthorizedError(method, description);
  }

  // A 2xx status with a body that is not Bot API JSON points at a proxy or a partial response.
  if (errorCode >= 500 || (body === undefined && status < 400)) {
    return new TelegramServerError(method, errorCode, description);
  }

  return new TelegramRequestError(method, errorCode, description, body?.parameters);
}

/**
 * Wraps a fetch failure. The message names the cause, for example `connect ECONNREFUSED`, but never
 * the URL, and any occurrence of `token` is replaced, because request paths contain the token.
 */
export function networkErrorFrom(
  method: string,
  error: unknown,
  timeoutMs: number,
  token: string,
): TelegramNetworkError {
  // Duck typing, because fetch errors such as DOMException may come from another realm than Error.
  const failure = error as { name?: unknown; message?: unknown; cause?: { message?: unknown } } | undefined;
  if (failure?.name === 'TimeoutError') {
    return new TelegramNetworkError(method, `timed out after ${timeoutMs} ms`, true);
  }

  const detail = failure?.cause?.message ?? failure?.message ?? error;
  const reason = String(detail).split(token).join('<token>');
  return new TelegramNetworkError(method, reason, false, { name: 'FetchError', message: reason });
}

function asApiError(body: unknown): ApiError | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }

  const candidate = body as Partial<ApiError>;
  const valid = candidate.ok === false && typeof candidate.description === 'string';
  return valid ? (candidate as ApiError) : undefined;
}

/** Checks whether Telegram rejected the text's formatting ("Bad Request: can't parse entities: ..."). */
export function isParseEntitiesError(error: unknown): error is TelegramRequestError {
  return (
    error instanceof TelegramRequestError && /^Bad Request: can't parse entities/i.test(error.description)
  );
}

/** Checks whether an edit failed only because the new content equals the current content. */
export function isNotModifiedError(error: unknown): error is TelegramRequestError {
  return error instanceof TelegramRequestError && /message is not modified/i.test(error.description);
}

/** Checks whether answerCallbackQuery failed because the query expired or its id is unknown. */
export function isExpiredQueryError(error: unknown): error is TelegramRequestError {
  return (
    error instanceof TelegramRequestError && /query is too old|query ID is invalid/i.test(error.description)
  );
}
