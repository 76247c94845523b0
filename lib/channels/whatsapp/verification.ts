import { createHmac, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { secretsEqual } from '../../http/request';

/** Header in which Meta sends the HMAC-SHA256 signature of a webhook POST body. */
export const WHATSAPP_SIGNATURE_HEADER = 'X-Hub-Signature-256';

/** Query parameters of Meta's GET subscription handshake. */
export const HUB_MODE = 'hub.mode';
export const HUB_VERIFY_TOKEN = 'hub.verify_token';
export const HUB_CHALLENGE = 'hub.challenge';

/** `sha256=` followed by the 32-byte digest in hex, matched case-insensitively because neither part carries meaning in its case. */
const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/i;

/**
 * Raised when a webhook is verified with an empty verify token or app secret, because any request
 * that sends an empty value would then pass. The message names the setting, never its value.
 */
export class WhatsAppVerificationConfigError extends Error {
  override readonly name = 'WhatsAppVerificationConfigError';

  constructor(readonly setting: 'verifyToken' | 'appSecret') {
    super(`WhatsApp ${setting} is empty. Configure it before verifying webhook requests.`);
  }
}

/**
 * Reason a subscription handshake was rejected:
 * - `mode`: `hub.mode` is missing or not `subscribe`, which includes a request without a query string.
 * - `token`: `hub.verify_token` is missing or differs from the configured verify token.
 * - `challenge-missing`: `hub.challenge` is missing or empty.
 * - `challenge-duplicated`: `hub.challenge` contains a comma, which is how API Gateway joins a
 *   repeated parameter, so the value to echo is ambiguous.
 */
export type SubscriptionRejectReason = 'mode' | 'token' | 'challenge-missing' | 'challenge-duplicated';

/** Outcome of {@link verifySubscription}. Send `challenge` as the whole `text/plain` body, with no quotes or newline. */
export type SubscriptionVerification =
  | { ok: true; challenge: string }
  | { ok: false; reason: SubscriptionRejectReason };

/**
 * Verifies Meta's GET subscription handshake and returns the challenge to echo.
 *
 * Accepts only `hub.mode=subscribe` with a `hub.verify_token` equal to `verifyToken`, compared in
 * constant time. API Gateway HTTP APIs pass `queryStringParameters` as `undefined` when the URL has no
 * query string (hand-built events may carry `null`) and join a repeated parameter's values with commas.
 * A repeated mode or token therefore fails the comparison, and a repeated challenge is rejected.
 *
 * @example
 * const result = verifySubscription(event.queryStringParameters, config.whatsappVerifyToken);
 * if (result.ok) {
 *   return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: result.challenge };
 * }
 *
 * @throws WhatsAppVerificationConfigError when `verifyToken` is empty.
 */
export function verifySubscription(
  query: APIGatewayProxyEventV2['queryStringParameters'] | null,
  verifyToken: string,
): SubscriptionVerification {
  if (verifyToken === '') {
    throw new WhatsAppVerificationConfigError('verifyToken');
  }

  const mode = query?.[HUB_MODE];
  if (mode !== 'subscribe') {
    return { ok: false, reason: 'mode' };
  }

  if (!secretsEqual(query?.[HUB_VERIFY_TOKEN], verifyToken)) {
    return { ok: false, reason: 'token' };
  }

  const challenge = query?.[HUB_CHALLENGE];
  if (challenge === undefined || challenge === '') {
    return { ok: false, reason: 'challenge-missing' };
  }

  if (challenge.includes(',')) {
    return { ok: false, reason: 'challenge-duplicated' };
  }

  return { ok: true, challenge };
}

/**
 * Reason a webhook signature was rejected:
 * - `missing`: no `X-Hub-Signature-256` header, or an empty one.
 * - `malformed`: the value is not `sha256=` followed by 64 hex digits.
 * - `mismatch`: well formed, but not the HMAC of this body with this app secret.
 */
export type SignatureRejectReason = 'missing' | 'malformed' | 'mismatch';

/** Outcome of {@link verifySignature}. */
export type SignatureVerification = { ok: true } | { ok: false; reason: SignatureRejectReason };

/**
 * Verifies the `X-Hub-Signature-256` header of a WhatsApp webhook POST.
 *
 * Meta signs the exact bytes it sends with the app secret. Pass the body from `rawBody(event)`,
 * because parsing and re-serializing the JSON can change those bytes (`\uXXXX` escapes become UTF-8,
 * spacing changes) and the digest then no longer matches. The `sha256=` prefix and the hex digits
 * are accepted in either case, and the digests are compared as bytes in constant time.
 *
 * @example
 * const signature = verifySignature(rawBody(event), getHeader(event.headers, WHATSAPP_SIGNATURE_HEADER), appSecret);
 * if (!signature.ok) {
 *   return { statusCode: 401, body: '' };
 * }
 *
 * @throws WhatsAppVerificationConfigError when `appSecret` is empty.
 */
export function verifySignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): SignatureVerification {
  if (appSecret === '') {
    throw new WhatsAppVerificationConfigError('appSecret');
  }

  const value = header?.trim();
  if (value === undefined || value === '') {
    return { ok: false, reason: 'missing' };
  }

  const match = SIGNATURE_PATTERN.exec(value);
  if (match?.[1] === undefined) {
    return { ok: false, reason: 'malformed' };
  }

  const received = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();

  // Both buffers are 32 bytes, because the pattern fixes the received length and SHA-256 the expected one.
  if (!timingSafeEqual(received, expected)) {
    return { ok: false, reason: 'mismatch' };
  }

  return { ok: true };
}
