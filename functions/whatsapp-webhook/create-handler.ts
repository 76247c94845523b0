import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handleWhatsAppWebhook } from '../../lib/channels/whatsapp/webhook';
import type { WhatsAppWebhookConfig } from '../../lib/config';
import { createFunctionLogger } from '../../lib/observability/function-logger';
import { DISCARDING_METRICS, type MetricsSink } from '../../lib/observability/metric-names';
import { createFunctionTracer, tracingWith } from '../../lib/observability/powertools-tracing';
import { createWhatsAppSecretsLoader, type WhatsAppSecretsLoader } from '../../lib/secrets/whatsapp-secrets';

/** Service name of the function's logs, traces and metrics. */
export const WHATSAPP_WEBHOOK_SERVICE = 'whatsapp-webhook';

/** Optional overrides, for tests and the local stack. */
export interface WhatsAppWebhookHandlerOverrides {
  logger?: Logger;
  sqs?: SQSClient;
  loadSecrets?: WhatsAppSecretsLoader;
  /**
   * Destination of the webhook metrics. The Lambda entry point passes a Powertools sink.
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
  /**
   * Tracer for the handler, the SQS and Secrets Manager clients and the annotations.
   * @default a Powertools Tracer, which traces only inside Lambda
   */
  tracer?: Tracer;
}

/**
 * Wires the WhatsApp webhook function (GET and POST /webhooks/whatsapp): Powertools tracing and logging
 * through middy, then one call into lib/. The SQS client is traced, so SendMessageBatch carries the X-Ray
 * trace header to the processor.
 */
export function createWhatsAppWebhookHandler(
  config: WhatsAppWebhookConfig,
  overrides: WhatsAppWebhookHandlerOverrides = {},
) {
  const logger = overrides.logger ?? createFunctionLogger(WHATSAPP_WEBHOOK_SERVICE);
  const tracer = overrides.tracer ?? createFunctionTracer(WHATSAPP_WEBHOOK_SERVICE);
  const secretsProvider = new SecretsProvider({
    awsSdkV3Client: tracer.captureAWSv3Client(new SecretsManagerClient({})),
  });
  const dependencies = {
    sqs: tracer.captureAWSv3Client(overrides.sqs ?? new SQSClient({})),
    inboundQueueUrl: config.inboundQueueUrl,
    loadSecrets: overrides.loadSecrets ?? createWhatsAppSecretsLoader(config.secrets, secretsProvider),
    maxBodyBytes: config.maxBodyBytes,
    logger,
    metrics: overrides.metrics ?? DISCARDING_METRICS,
    tracing: tracingWith(tracer),
  };

  return (
    middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
      // Responses stay out of traces: the handshake response is the challenge, and the logs and metrics
      // already carry the status and the reason.
      .use(captureLambdaHandler(tracer, { captureResponse: false }))
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler((event) => handleWhatsAppWebhook(event, dependencies))
  );
}
