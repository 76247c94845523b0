import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { getHeader, rawBody } from '../../http/request';
import { jsonResponse } from '../../http/response';
import {
  describeError,
  handleWebhookRequest,
  rejectedResult,
  unavailableResult,
  type WebhookResult,
} from '../../http/webhook-outcome';
import type { MetricsSink } from '../../observability/metric-names';
import type { Tracing } from '../../observability/tracing';
import type { WhatsAppSecrets, WhatsAppSecretsLoader } from '../../secrets/whatsapp-secrets';
import { isObject } from './split-item-checks';
import { splitWhatsAppPayload, WHATSAPP_BUSINESS_ACCOUNT_OBJECT } from './split-payload';
import {
  verifySignature,
  verifySubscription,
  WHATSAPP_SIGNATURE_HEADER,
  WhatsAppVerificationConfigError,
} from './verification';
import { logQueueResult, logSplit } from './webhook-logging';
import { queueWhatsAppEnvelopes } from './webhook-queue';

/** Dependencies of {@link handleWhatsAppWebhook}. */
export interface WhatsAppWebhookDependencies {
  sqs: Pick<SQSClient, 'send'>;
  /** URL of the FIFO inbound queue that the processor reads. */
  inboundQueueUrl: string;
  loadSecrets: WhatsAppSecretsLoader;
  /** Maximum POST body size, in bytes. A larger body gets 413. */
  maxBodyBytes: number;
  logger: Logger;
  now?: () => number;
  /**
   * Receives one WebhookRequests data point per response, plus WebhookRejected for a 4xx and
   * WebhookUnavailable for a 5xx.
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
  /**
   * Annotates the current trace segment with `channel` and `correlationId`.
   * @default no tracing
   */
  tracing?: Tracing;
}

const CHANNEL = 'whatsapp';

/**
 * Handles a request to /webhooks/whatsapp.
 *
 * GET is Meta's subscription handshake: 200 with the `hub.challenge` as the whole `text/plain` body when
 * the verify token matches, else 403.
 *
 * POST carries notifications. 413 body too large, 401 missing or wrong X-Hub-Signature-256, 400 not JSON or
 * no `entry` array. None of them queues anything. 200 for a POST about another Meta product, and for one
 * whose items were all queued or skipped. Every message and status for the bot's phone numbers goes to the
 * FIFO inbound queue as its own envelope. 500 when some item could not be queued, and 503 when the
 * secrets cannot be read, so Meta delivers the POST again. Other methods get 405.
 *
 * API Gateway's request id becomes the correlation id: the log lines of this request carry it as
 * `correlationId`, the trace is annotated with it, and every envelope takes it to the processor.
 */
export function handleWhatsAppWebhook(
  event: APIGatewayProxyEventV2,
  dependencies: WhatsAppWebhookDependencies,
): Promise<APIGatewayProxyStructuredResultV2> {
  return handleWebhookRequest(event, { channel: CHANNEL, ...dependencies }, (correlationId) =>
    routeRequest(event, dependencies, correlationId),
  );
}

async function routeRequest(
  event: APIGatewayProxyEventV2,
  dependencies: WhatsAppWebhookDependencies,
  correlationId: string,
): Promise<WebhookResult> {
  const method = event.requestContext?.http?.method?.toUpperCase();
  if (method !== 'GET' && method !== 'POST') {
    dependencies.logger.warn('Rejected WhatsApp webhook: method not allowed', {
      reason: 'method',
      method: method?.slice(0, 16),
    });
    const result = rejectedResult('method', 405, 'Only GET and POST are allowed.');
    result.response.headers = { ...result.response.headers, allow: 'GET, POST' };
    return result;
  }

  try {
    return method === 'GET'
      ? await verifyHandshake(event, dependencies)
      : await verifyAndQueue(event, dependencies, correlationId);
  } catch (error) {
    if (error instanceof WhatsAppVerificationConfigError) {
      dependencies.logger.error(
        'WhatsApp secrets contain an empty value. Set it in the secret or the WHATSAPP_* variables',
        {
          setting: error.setting,
        },
      );
      return unavailableResult(503);
    }
    throw error;
  }
}

/** Reads the secrets, or returns the 503 result after logging why they could not be read. */
async function secretsOrUnavailable(
  dependencies: WhatsAppWebhookDependencies,
): Promise<WhatsAppSecrets | WebhookResult> {
  try {
    return await dependencies.loadSecrets();
  } catch (error) {
    dependencies.logger.error('Could not load the WhatsApp secrets, so Meta will deliver the request again', {
      error: describeError(error),
    });
    return unavailableResult(503);
  }
}

async function verifyHandshake(
  event: APIGatewayProxyEventV2,
  dependencies: WhatsAppWebhookDependencies,
): Promise<WebhookResult> {
  const secrets = await secretsOrUnavailable(dependencies);
  if ('outcome' in secrets) {
    return secrets;
  }

  const verification = verifySubscription(event.queryStringParameters, secrets.verifyToken);
  if (!verification.ok) {
    dependencies.logger.warn('Rejected WhatsApp subscription handshake', {
      reason: 'subscription',
      detail: verification.reason,
    });
    return rejectedResult(
      'subscription',
      403,
      'Wrong or missing hub.mode, hub.verify_token or hub.challenge.',
    );
  }

  dependencies.logger.info('Verified WhatsApp subscription handshake');

  return {
    outcome: 'verified',
    response: { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: verification.challenge },
  };
}

async function verifyAndQueue(
  event: APIGatewayProxyEventV2,
  dependencies: WhatsAppWebhookDependencies,
  correlationId: string,
): Promise<WebhookResult> {
  const { logger } = dependencies;
  const body = rawBody(event);
  if (body.byteLength > dependencies.maxBodyBytes) {
    logger.warn('Rejected WhatsApp webhook: body too large', {
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

  const secrets = await secretsOrUnavailable(dependencies);
  if ('outcome' in secrets) {
    return secrets;
  }
  const signature = verifySignature(
    body,
    getHeader(event.headers, WHATSAPP_SIGNATURE_HEADER),
    secrets.appSecret,
  );
  if (!signature.ok) {
    logger.warn('Rejected WhatsApp webhook: missing or wrong signature', {
      reason: 'signature',
      detail: signature.reason,
      bodyBytes: body.byteLength,
    });
    return rejectedResult('signature', 401, `Missing or wrong ${WHATSAPP_SIGNATURE_HEADER} header.`);
  }

  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    logger.warn('Rejected WhatsApp webhook: body is not JSON', {
      reason: 'json',
      bodyBytes: body.byteLength,
    });
    return rejectedResult('json', 400, 'Body is not valid JSON.');
  }
  if (!isObject(payload) || !Array.isArray(payload.entry)) {
    logger.warn('Rejected WhatsApp webhook: no entry array', { reason: 'shape', bodyBytes: body.byteLength });
    return rejectedResult('shape', 400, 'Body must be a JSON object with an entry array.');
  }
  if (payload.object !== WHATSAPP_BUSINESS_ACCOUNT_OBJECT) {
    logger.info('Ignored webhook POST about another object', {
      object: typeof payload.object === 'string' ? payload.object.slice(0, 64) : typeof payload.object,
    });
    return { outcome: 'ignored', response: jsonResponse(200, { ok: true, ignored: 'object' }) };
  }

  const split = splitWhatsAppPayload(
    { entry: payload.entry },
    {
      phoneNumberIds: secrets.phoneNumberIds,
      receivedAtEpochMs: (dependencies.now ?? Date.now)(),
      correlationId,
    },
  );
  logSplit(logger, split);
  if (split.envelopes.length === 0) {
    logger.info('WhatsApp webhook POST carried no items to queue', { entries: payload.entry.length });
    return { outcome: 'ignored', response: jsonResponse(200, { ok: true, queued: 0 }) };
  }

  const queueResult = await queueWhatsAppEnvelopes(
    dependencies.sqs,
    dependencies.inboundQueueUrl,
    split.envelopes,
  );
  logQueueResult(logger, split.envelopes, queueResult, body.byteLength);
  if (queueResult.failed.length > 0 || queueResult.notSent.length > 0) {
    return unavailableResult(500);
  }

  return queueResult.queued.length > 0
    ? { outcome: 'queued', response: jsonResponse(200, { ok: true, queued: queueResult.queued.length }) }
    : { outcome: 'ignored', response: jsonResponse(200, { ok: true, queued: 0 }) };
}
