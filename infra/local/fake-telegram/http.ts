import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeApiError } from './api-error';
import type { Params } from './validation';

/** Largest request body the fake reads. Text methods need far less; larger bodies get 413. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Reads Bot API parameters from the query string and a JSON or form-urlencoded body. Body values
 * win over query values. A body that does not parse is ignored, so the method reports the missing
 * parameters.
 * NOTE: multipart/form-data bodies (file uploads) are not parsed, so only their query parameters count.
 */
export async function readParams(request: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const body = await readBody(request);
  if (body.length === 0) {
    return params;
  }

  const contentType = (request.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('application/json')) {
    const parsed = parseJsonObject(body.toString('utf8'));
    return { ...params, ...parsed };
  }

  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }

  return params;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;

  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > MAX_BODY_BYTES) {
      throw new FakeApiError(413, 'Request Entity Too Large');
    }

    chunks.push(buffer);
  }

  return Buffer.concat(chunks);
}

function parseJsonObject(text: string): Params {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Params) : {};
  } catch {
    return {};
  }
}

/** Sends a JSON response with an exact Content-Length. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': payload.length });
  response.end(payload);
}

/** Sends file bytes. */
export function sendBytes(response: ServerResponse, bytes: Buffer): void {
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
  response.end(bytes);
}

/** Returns a signal that aborts when the client goes away before the response is complete. */
export function disconnectSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) {
      controller.abort();
    }
  });
  return controller.signal;
}
