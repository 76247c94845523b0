import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeGraphError } from './graph-error';

/** Largest request body the fake reads. Message bodies are a few kilobytes at most. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Chunk size of downloads sent without Content-Length. */
const STREAM_CHUNK_BYTES = 16 * 1024;

/**
 * Reads a request body as a JSON object.
 * @throws FakeGraphError 100 when the body is too large, not JSON or not an object.
 */
export async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > MAX_BODY_BYTES) {
      throw new FakeGraphError(100, {
        status: 413,
        details: `Request body is larger than ${MAX_BODY_BYTES} bytes.`,
      });
    }
    chunks.push(buffer);
  }

  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new FakeGraphError(100, {
      details: 'Request body is not valid JSON; send Content-Type: application/json.',
    });
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FakeGraphError(100, { details: 'Request body must be a JSON object.' });
  }

  return value as Record<string, unknown>;
}

/** Sends media bytes, with Content-Length or streamed in chunks without it. */
export function sendMedia(
  response: ServerResponse,
  bytes: Uint8Array,
  mimeType: string,
  contentLength: boolean,
): void {
  if (contentLength) {
    response.writeHead(200, { 'content-type': mimeType, 'content-length': bytes.byteLength });
    response.end(bytes);
    return;
  }

  response.writeHead(200, { 'content-type': mimeType });
  for (let offset = 0; offset < bytes.byteLength; offset += STREAM_CHUNK_BYTES) {
    response.write(bytes.subarray(offset, offset + STREAM_CHUNK_BYTES));
  }
  response.end();
}

/** Sends an HTML error page, as a proxy or load balancer in front of the Graph API does. */
export function sendHtml(response: ServerResponse, status: number, headers: Record<string, string>): void {
  const page = Buffer.from(
    `<!DOCTYPE html><html><head><title>Error</title></head><body><h1>${status}</h1>` +
      '<p>Sorry, something went wrong. We are working on getting this fixed as soon as we can.</p></body></html>',
    'utf8',
  );
  response.writeHead(status, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': page.length,
  });
  response.end(page);
}
