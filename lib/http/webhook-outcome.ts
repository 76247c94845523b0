import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { correlationIdOf } from '../observability/correlation-id';
import {
  DISCARDING_METRICS,
  METRICS,
  type MetricsSink,
  type WebhookOutcome,
  type WebhookRejectReason,
} from '../observability/metric-names';
import type { Tracing } from '../observability/tracing';
import { jsonResponse } from './response';

/** A webhook response and how it counts in the webhook metrics. */
export type WebhookResult =
  | { outcome: Exclude<WebhookOutcome, 'rejected'>; response: APIGatewayProxyStructuredResultV2 }
  | { outcome: 'rejected'; reason: WebhookRejectReason; response: APIGatewayProxyStructuredResultV2 };

/** Builds a rejected result whose JSON body contains the reason in `error`. */
export function rejectedResult(
  reason: WebhookRejectReason,
  statusCode: number,
  error: string,
): WebhookResult {
  return { outcome: 'rejected', reason, response: jsonResponse(statusCode, { error }) };
}

/**
 * Builds an unavailable result, so the sender delivers the request again. Its body names no cause, because
 * a 5xx response must not reveal internals.
 */
export function unavailableResult(statusCode: 500 | 503): WebhookResult {
  return {
    outcome: 'unavailable',
    response: jsonResponse(statusCode, { error: 'Temporarily unavailable.' }),
  };
}

/** Settings of {@link handleWebhookRequest} besides the request. */
export interface WebhookRequestContext {
  /** The `channel` dimension and trace annotation, such as `whatsapp`. */
  channel: string;
  logger: Logger;
  /** @default DISCARDING_METRICS */
  metrics?: MetricsSink;
  /** @default no tracing */
  tracing?: Tracing;
}

/**
 * Runs `handle` for one webhook request and records its outcome: one WebhookRequests data point, plus
 * WebhookRejected for a rejected request and WebhookUnavailable for one the sender must deliver again.
 *
 * API Gateway's request id becomes the correlation id: `handle` receives it, the trace is annotated with it
 * and the channel, and the logger adds it to every line until `handle` returns.
 */
export async function handleWebhookRequest(
  event: APIGatewayProxyEventV2,
  context: WebhookRequestContext,
  handle: (correlationId: string) => Promise<WebhookResult>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const { channel, logger } = context;
  const correlationId = correlationIdOf(event);
  logger.appendKeys({ correlationId });
  context.tracing?.annotate({ channel, correlationId });
  try {
    const result = await handle(correlationId);
    const metrics = context.metrics ?? DISCARDING_METRICS;
    metrics.record(METRICS.webhookRequests, { channel, outcome: result.outcome });
    if (result.outcome === 'rejected') {
      metrics.record(METRICS.webhookRejected, { channel, reason: result.reason });
    }
    if (result.outcome === 'unavailable') {
      metrics.record(METRICS.webhookUnavailable, { channel });
    }

    return result.response;
  } finally {
    logger.removeKeys(['correlationId']);
  }
}

/** Name and message of an error for a log line; the webhooks' errors never carry secrets or message text. */
export function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Unknown', message: String(error) };
}
