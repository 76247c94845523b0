import type { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { getHeader, rawBody, secretsEqual } from '../../http/request';
import { jsonResponse } from '../../http/response';
import {
  describeError,
  handleWebhookRequest,
  rejectedResult,
  unavailableResult,
  type WebhookResult,
} from '../../http/webhook-outcome';
import { type InboundEnvelope, serializeEnvelope } from '../../inbound/envelope';
import type { MetricsSink } from '../../observability/metric-names';
import type { Tracing } from '../../observability/tracing';
import type { TelegramSecretsLoader } from '../../secrets/telegram-secrets';
import { isTelegramSourceIp } from './source-ip';
import { checkTelegramUpdate } from './update-shape';

/** Header in which Telegram sends the `secret_token` given to setWebhook. */
export const TELEGRAM_SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

/** Dependencies of {@link handleTelegramWebhook}. */
export interface TelegramWebhookDependencies {
  sqs: SQSClient;
  inboundQueueUrl: string;
  loadSecrets: TelegramSecretsLoader;
  checkSourceIp: boolean;
  maxBodyBytes: number;
  logger: Logger;
  now?: () => number;
  /**
   * Receives one WebhookRequests data point per response, plus WebhookRejected for a 4xx and
   * WebhookUnavailable for a 503.
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
  /**
   * Annotates the current trace segment with `channel`, `correlationId` and, once known, `updateId`.
   * @default no tracing
   */
  tracing?: Tracing;
}

const CHANNEL = 'telegram';

/**
 * Verifies a Telegram webhook request and queues the update for the processor.
 *
 * 403 wrong source network, 401 missing or wrong secret token, 413 body too large, 400 not a Telegram
 * update; none of them queues anything. 200 for queued and deliberately ignored updates. 503 only when
 * the queue cannot be reached, so Telegram delivers the update again.
 *
 * API Gateway's request id becomes the correlation id: the log lines of this request carry it as
 * `correlationId`, the trace is annotated with it, and the envelope takes it to the processor.
 */
export function handleTelegramWebhook(
  event: APIGatewayProxyEventV2,
  dependencies: TelegramWebhookDependencies,
): Promise<APIGatewayProxyStructuredResultV2> {
  return handleWebhookRequest(event, { channel: CHANNEL, ...dependencies }, (correlationId) =>
    verifyAndQueue(event, dependencies, correlationId),
  );
}

async function verifyAndQueue(
  event: APIGatewayProxyEventV2,
  dependencies: TelegramWebhookDependencies,
  correlationId: string,
): Promise<WebhookResult> {
  const { logger } = dependencies;
  const sourceIp = event.requestContext?.http?.sourceIp;
  if (dependencies.checkSourceIp && !isTelegramSourceIp(sourceIp)) {
    logger.warn('Rejected Telegram webhook: source IP outside Telegram networks', {
      reason: 'source-ip',
      sourceIp,
    });
    return rejectedResult('source-ip', 403, 'Requests are accepted only from Telegram webhook networks.');
  }

  let webhookSecret: string;
  try {
    ({ webhookSecret } = await dependencies.loadSecrets());
  } catch (error) {
    logger.error('Could not load the Telegram webhook secret; Telegram will deliver the update again', {
      error: describeError(error),
    });
    return unavailableResult(503);
  }
  if (!secretsEqual(getHeader(event.headers, TELEGRAM_SECRET_HEADER), webhookSecret)) {
    logger.warn('Rejected Telegram webhook: missing or wrong secret token', { reason: 'secret-token' });
    return rejectedResult('secret-token', 401, `Missing or wrong ${TELEGRAM_SECRET_HEADER} header.`);
  }

  const body = rawBody(event);
  if (body.byteLength > dependencies.maxBodyBytes) {
    logger.warn('Rejected Telegram webhook: body too large', {
      reason: 'body-size',
      bodyBytes: body.byteLength,
      maxBodyBytes: dependencies.maxBodyBytes,
    });
    return rejectedResult(
      'body-size',
      413,
      `Body of ${body.byteLength} bytes exceeds ${dependencies.maxBodyBytes} bytes.`,
    );
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    logger.warn('Rejected Telegram webhook: body is not JSON', {
      reason: 'json',
      bodyBytes: body.byteLength,
    });
    return rejectedResult('json', 400, 'Body is not valid JSON.');
  }

  const check = checkTelegramUpdate(parsed);
  if (check.outcome === 'invalid') {
    logger.warn('Rejected Telegram webhook: not a Telegram update', {
      reason: 'shape',
      detail: check.reason,
    });
    return rejectedResult('shape', 400, `Not a Telegram update: ${check.reason}.`);
  }
  dependencies.tracing?.annotate({ updateId: check.updateId });
  if (check.outcome === 'ignored') {
    logger.info('Ignored Telegram update', { updateId: check.updateId, updateType: check.type });
    return { outcome: 'ignored', response: jsonResponse(200, { ok: true, ignored: check.type }) };
  }

  const envelope: InboundEnvelope = {
    version: 1,
    channel: CHANNEL,
    updateId: check.updateId,
    receivedAtEpochMs: (dependencies.now ?? Date.now)(),
    correlationId,
    update: check.update,
  };
  try {
    await dependencies.sqs.send(
      new SendMessageCommand({
        QueueUrl: dependencies.inboundQueueUrl,
        MessageBody: serializeEnvelope(envelope),
        MessageGroupId: check.groupId,
        MessageDeduplicationId: String(check.updateId),
      }),
    );
  } catch (error) {
    logger.error('Could not queue Telegram update; Telegram will deliver it again', {
      updateId: check.updateId,
      error: describeError(error),
    });
    return unavailableResult(503);
  }

  logger.info('Queued Telegram update', {
    updateId: check.updateId,
    updateType: check.type,
    bodyBytes: body.byteLength,
  });

  return { outcome: 'queued', response: jsonResponse(200, { ok: true }) };
}
