/**
 * Reading of Bot API response bodies: JSON decoding of method results and the size-limited read of a
 * file download. Read failures become TelegramNetworkError, built by `networkErrorFrom`.
 */
import { MAX_DOWNLOAD_BYTES, networkErrorFrom, TelegramApiError, TelegramFileTooLargeError } from './errors';

/** Reads `response` as JSON. Returns `undefined` when the body is not valid JSON. */
export async function readJson(
  method: string,
  response: Response,
  timeoutMs: number,
  token: string,
): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkErrorFrom(method, error, timeoutMs, token);
  }

  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Reads a file download into memory.
 * @throws TelegramFileTooLargeError as soon as more than MAX_DOWNLOAD_BYTES (20 MiB) arrived, without reading the rest.
 */
export async function readLimited(
  method: string,
  filePath: string,
  response: Response,
  timeoutMs: number,
  token: string,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;

  try {
    for await (const chunk of response.body ?? []) {
      total += chunk.byteLength;
      // Throwing inside for await cancels the stream, so the rest is never read.
      if (total > MAX_DOWNLOAD_BYTES) {
        throw new TelegramFileTooLargeError(filePath, total);
      }

      chunks.push(chunk);
    }
  } catch (error) {
    throw error instanceof TelegramApiError ? error : networkErrorFrom(method, error, timeoutMs, token);
  }

  return Buffer.concat(chunks);
}
