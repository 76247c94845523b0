import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * Returns a header value by case-insensitive name. API Gateway HTTP APIs lower-case header names,
 * other callers may not, and repeated headers arrive joined with commas.
 */
export function getHeader(
  headers: APIGatewayProxyEventV2['headers'] | undefined,
  name: string,
): string | undefined {
  if (headers === undefined || headers === null) {
    return undefined;
  }

  const expected = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === expected) {
      return value;
    }
  }

  return undefined;
}

/** Returns the raw request body bytes, decoding base64 bodies that API Gateway marks as such. */
export function rawBody(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  if (event.body === undefined || event.body === null) {
    return Buffer.alloc(0);
  }

  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/**
 * Compares two secrets in constant time. Both sides are hashed first, so neither the content nor the
 * length of the expected value leaks through timing.
 */
export function secretsEqual(received: string | undefined, expected: string): boolean {
  if (received === undefined) {
    return false;
  }

  const receivedDigest = createHash('sha256').update(received, 'utf8').digest();
  const expectedDigest = createHash('sha256').update(expected, 'utf8').digest();

  return timingSafeEqual(receivedDigest, expectedDigest);
}
