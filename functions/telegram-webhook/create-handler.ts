import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handleTelegramWebhook } from '../../lib/channels/telegram/webhook';
import type { TelegramWebhookConfig } from '../../lib/config';
import { createTelegramSecretsLoader, type TelegramSecretsLoader } from '../../lib/secrets/telegram-secrets';

/** Optional overrides, for tests and the local stack. */
export interface TelegramWebhookHandlerOverrides {
  logger?: Logger;
  sqs?: SQSClient;
  loadSecrets?: TelegramSecretsLoader;
}

/** Wires the Telegram webhook function: Powertools logging through middy, then one call into lib/. */
export function createTelegramWebhookHandler(
  config: TelegramWebhookConfig,
  overrides: TelegramWebhookHandlerOverrides = {},
) {
  const logger = overrides.logger ?? new Logger({ serviceName: 'telegram-webhook' });
  if (!config.checkSourceIp) {
    logger.warn('Telegram source IP check is off (TELEGRAM_IP_CHECK=false); turn it on outside local use');
  }
  const dependencies = {
    sqs: overrides.sqs ?? new SQSClient({}),
    inboundQueueUrl: config.inboundQueueUrl,
    loadSecrets: overrides.loadSecrets ?? createTelegramSecretsLoader(config.secrets),
    checkSourceIp: config.checkSourceIp,
    maxBodyBytes: config.maxBodyBytes,
    logger,
  };

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => handleTelegramWebhook(event, dependencies));
}
