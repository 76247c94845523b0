/**
 * Media download checks of the Graph API client: which hosts receive the access token, the size limit
 * (announced and counted while reading) and the SHA-256 that Meta reports for a media file.
 */
import { createHash } from 'node:crypto';
import { WhatsAppMediaTooLargeError, WhatsAppMediaUrlError } from './graph-errors';

/**
 * Host suffixes of Meta's media download URLs (`lookaside.fbsbx.com` in practice). The access token goes
 * only to these hosts over HTTPS, or to the configured Graph API origin, where the local fake serves media.
 */
const META_MEDIA_HOST_SUFFIXES = ['.fbsbx.com', '.facebook.com', '.fbcdn.net', '.whatsapp.net'];

/**
 * Checks a caller's media size limit.
 * @throws TypeError when `maxBytes` is not a positive safe integer.
 */
export function assertByteLimit(maxBytes: number): void {
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new TypeError(
      `WhatsApp media maxBytes ${maxBytes} is invalid; pass a positive whole number of bytes.`,
    );
  }
}

/** Parses `file_size`, which Meta sends as a number or as a decimal string. */
export function parseSize(value: unknown): number | undefined {
  const size = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

  return typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : undefined;
}

/**
 * Parses a media download URL and checks that it may receive the access token.
 * @param graphBaseUrl Graph API origin and path prefix, such as `https://graph.facebook.com`.
 * @throws WhatsAppMediaUrlError when the URL is on neither Meta's media hosts nor the Graph API origin.
 */
export function trustedMediaUrl(url: string, graphBaseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WhatsAppMediaUrlError('(not a URL)');
  }

  const isGraphOrigin = parsed.origin === new URL(graphBaseUrl).origin;
  const isMetaHost =
    parsed.protocol === 'https:' &&
    META_MEDIA_HOST_SUFFIXES.some((suffix) => `.${parsed.hostname}`.endsWith(suffix));
  if (!isGraphOrigin && !isMetaHost) {
    throw new WhatsAppMediaUrlError(parsed.host);
  }

  return parsed.href;
}

/**
 * Rejects a download whose Content-Length is above `maxBytes`, cancelling its body unread.
 * @throws WhatsAppMediaTooLargeError with `announced: true`.
 */
export async function rejectAnnouncedOversize(response: Response, maxBytes: number): Promise<void> {
  const declaredBytes = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declaredBytes > maxBytes) {
    await response.body?.cancel();
    throw new WhatsAppMediaTooLargeError(declaredBytes, maxBytes, true);
  }
}

/**
 * Reads a download into memory, stopping as soon as more than `maxBytes` arrived.
 * @param networkError Wraps a failure of the stream itself, such as a reset connection or a timeout.
 * @throws WhatsAppMediaTooLargeError with `announced: false` when the body is larger than `maxBytes`.
 */
export async function readLimited(
  response: Response,
  maxBytes: number,
  networkError: (error: unknown) => Error,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;

  try {
    for await (const chunk of response.body ?? []) {
      total += chunk.byteLength;
      // Throwing inside for await cancels the stream, so the rest is never read.
      if (total > maxBytes) {
        throw new WhatsAppMediaTooLargeError(total, maxBytes, false);
      }

      chunks.push(chunk);
    }
  } catch (error) {
    throw error instanceof WhatsAppMediaTooLargeError ? error : networkError(error);
  }

  return new Uint8Array(Buffer.concat(chunks));
}

/** Compares bytes with a SHA-256 given as hex or base64. */
export function matchesSha256(bytes: Uint8Array, expected: string): boolean {
  const digest = createHash('sha256').update(bytes).digest();

  return expected.toLowerCase() === digest.toString('hex') || expected === digest.toString('base64');
}
