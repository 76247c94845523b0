import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import type { TelegramLogger } from '../../lib/channels/telegram/api-client';
import {
  parseApiBaseUrl,
  parseRegistrationProperties,
  reconcileTelegramWebhook,
  type WebhookRegistrationResult,
} from '../../lib/channels/telegram/register-webhook';
import { createFunctionLogger } from '../../lib/observability/function-logger';
import { createFunctionTracer, tracingWith } from '../../lib/observability/powertools-tracing';
import { createTelegramSecretsLoader } from '../../lib/secrets/telegram-secrets';

// One physical id for the life of the resource: a changed id would make CloudFormation delete the
// "old" resource after an update, and that delete would remove the webhook that was just set.
const PHYSICAL_RESOURCE_ID = 'telegram-webhook';

const SERVICE = 'telegram-register-webhook';

const logger = createFunctionLogger(SERVICE);
const tracer = createFunctionTracer(SERVICE);
const tracing = tracingWith(tracer);
const secretsProvider = new SecretsProvider({
  awsSdkV3Client: tracer.captureAWSv3Client(new SecretsManagerClient({})),
});
const apiBaseUrl = parseApiBaseUrl(process.env.TELEGRAM_API_BASE_URL);

// Powertools Logger methods do not accept `undefined` as the extra argument, which TelegramLogger passes.
const telegramLogger: TelegramLogger = {
  debug: (message, extra) => logger.debug(message, extra ?? {}),
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
};

type RegistrationResponse = CdkCustomResourceResponse<{
  Status: WebhookRegistrationResult['status'];
  Message: string;
}>;

/**
 * Sets or deletes the Telegram webhook for the `Custom::TelegramWebhook` resource of the CDK stack.
 * The custom resource provider framework calls it and reports the result to CloudFormation.
 */
async function onEvent(event: CdkCustomResourceEvent): Promise<RegistrationResponse> {
  const properties = parseRegistrationProperties(event.ResourceProperties);
  // No caching: a deploy that follows a secret update must see the new value.
  const loadSecrets = createTelegramSecretsLoader(
    { kind: 'secrets-manager', secretId: properties.SecretArn, maxAgeSeconds: 0 },
    secretsProvider,
  );

  // One subsegment for the whole registration, named like the resilience layer's provider calls.
  // Its Telegram requests are not captured one by one, because their URLs contain the bot token.
  const result = await tracing.inSubsegment(
    event.RequestType === 'Delete' ? 'telegram.deleteWebhook' : 'telegram.setWebhook',
    () =>
      reconcileTelegramWebhook(
        {
          requestType: event.RequestType,
          webhookUrl: properties.WebhookUrl,
          allowedUpdates: properties.AllowedUpdates,
        },
        { loadSecrets, apiBaseUrl, logger: telegramLogger },
      ),
    { remote: true },
  );
  logger.info('Telegram webhook registration finished', {
    requestType: event.RequestType,
    status: result.status,
    // Powertools reserves the `message` key for the log line itself.
    detail: result.message,
  });

  return {
    PhysicalResourceId: event.RequestType === 'Create' ? PHYSICAL_RESOURCE_ID : event.PhysicalResourceId,
    Data: { Status: result.status, Message: result.message },
  };
}

/** Lambda entry point of the webhook registration custom resource. */
export const handler = middy<CdkCustomResourceEvent, RegistrationResponse>()
  // The response repeats Telegram's description of the result, which the log line already carries.
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(onEvent);
