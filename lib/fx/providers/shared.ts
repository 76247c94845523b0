import { createHash } from 'node:crypto';
import type { FxProviderId } from '../../config';
import { FxInvalidResponseError } from '../errors';
import type { FxHttpResponse } from '../http';
import { asObject } from '../json';
import type { ProviderRates, RateRequest } from '../types';
import { type ErrorContext, errorForType, readEnvelope, validateRates } from '../validation';

/** Returns a short SHA-256 digest of `parts`, so that secrets in them are never stored. */
export function fingerprint(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/**
 * Returns the body as an object, or throws the error that its status implies when the body is not a JSON
 * object: 401 and 403 mean a credential problem, 429 throttling, 404 an unsupported code.
 */
export function requireObjectBody(context: ErrorContext, response: FxHttpResponse): Record<string, unknown> {
  const body = asObject(response.body);
  if (body !== undefined) {
    return body;
  }

  const byStatus = statusErrorType(response.status);
  if (byStatus !== undefined) {
    throw errorForType(context, byStatus);
  }

  throw new FxInvalidResponseError(
    context.provider,
    'malformed-response',
    `HTTP ${response.status} with a body that is not a JSON object`,
  );
}

/** Error type implied by an HTTP status alone, for error responses without a recognised body. */
export function statusErrorType(status: number): string | undefined {
  if (status === 401 || status === 403) {
    return 'access-denied';
  }
  if (status === 429) {
    return 'rate-limited';
  }
  if (status === 404) {
    return 'unsupported-code';
  }

  return undefined;
}

/**
 * Applies the envelope rules: an error envelope throws its classified error, whatever the HTTP status.
 * With `requireSuccessFlag`, a body must also declare success (`result: "success"` or `success: true`).
 */
export function checkEnvelope(
  context: ErrorContext,
  response: FxHttpResponse,
  body: Record<string, unknown>,
  requireSuccessFlag: boolean,
): void {
  const envelope = readEnvelope(body);
  if (envelope.status === 'error') {
    throw errorForType(context, envelope.errorType);
  }

  const byStatus = response.status >= 400 ? statusErrorType(response.status) : undefined;
  if (byStatus !== undefined) {
    throw errorForType(context, byStatus);
  }
  if (response.status >= 300) {
    throw new FxInvalidResponseError(
      context.provider,
      'malformed-response',
      `HTTP ${response.status} with a body that is not an error envelope`,
    );
  }
  if (requireSuccessFlag && envelope.status !== 'success') {
    throw new FxInvalidResponseError(
      context.provider,
      'malformed-response',
      'the body declares neither result "success" nor success true',
    );
  }
}

/** Builds {@link ProviderRates} from a validated payload. */
export function toProviderRates(
  provider: FxProviderId,
  request: RateRequest,
  payload: { reportedBase: unknown; rates: unknown },
  providerUpdatedAt: string,
): ProviderRates {
  const validated = validateRates({ provider, base: request.base }, payload, request.currencies);

  return {
    provider,
    base: request.base,
    providerUpdatedAt,
    rates: validated.rates,
    rejected: validated.rejected,
  };
}
