import { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createTelegramWebhookHandler } from '../functions/telegram-webhook/create-handler';
import { localLambdaContext } from '../infra/local/lambda-context';
import { provisionLocalResources } from '../infra/local/provision';
import { createLocalSqsClient } from '../infra/local/sqs-client';
import { textUpdate } from '../infra/local/update-factory';
import { summarize, type TimingSummary } from './stats';

const SECRET = 'bench-secret-token';

function webhookEvent(body: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/telegram',
    rawPath: '/webhooks/telegram',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench',
      domainPrefix: 'bench',
      http: {
        method: 'POST',
        path: '/webhooks/telegram',
        protocol: 'HTTP/1.1',
        sourceIp: '149.154.167.220',
        userAgent: '',
      },
      requestId: 'bench',
      routeKey: 'POST /webhooks/telegram',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    body,
    isBase64Encoded: false,
  };
}

/** Result of the webhook comparison. */
export interface WebhookBenchResult {
  handler: TimingSummary;
  bareSend: TimingSummary;
}

/**
 * Times the whole webhook handler (verify, validate, SendMessage) against a bare SendMessage of the same
 * body to the same SQS emulator, alternating the two so drift affects both alike.
 */
export async function benchWebhook(iterations: number): Promise<WebhookBenchResult> {
  const sqs = createLocalSqsClient();
  const resources = await provisionLocalResources({ prefix: `bench-${Date.now()}`, sqs });
  const handler = createTelegramWebhookHandler(
    {
      inboundQueueUrl: resources.inboundQueueUrl,
      secrets: { kind: 'environment', botToken: 'bench:token', webhookSecret: SECRET },
      checkSourceIp: true,
      maxBodyBytes: 1_048_576,
    },
    { sqs, logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }) },
  );
  const handlerSamples: number[] = [];
  const bareSamples: number[] = [];
  const context = localLambdaContext('telegram-webhook', 5);

  for (let index = 0; index < iterations + 20; index += 1) {
    const update = textUpdate('spent 12.50 on lunch at Subway');
    const body = JSON.stringify(update);

    let started = performance.now();
    const result = await handler(webhookEvent(body), context);
    const handlerMs = performance.now() - started;
    if (result.statusCode !== 200) {
      throw new Error(`Webhook returned ${result.statusCode} during the benchmark: ${result.body}`);
    }

    started = performance.now();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: resources.inboundQueueUrl,
        MessageBody: body,
        MessageGroupId: String(update.message!.chat.id),
        MessageDeduplicationId: `bare-${update.update_id}`,
      }),
    );
    const bareMs = performance.now() - started;

    // The first 20 rounds warm up connections and the JIT.
    if (index >= 20) {
      handlerSamples.push(handlerMs);
      bareSamples.push(bareMs);
    }
  }
  sqs.destroy();

  return { handler: summarize(handlerSamples), bareSend: summarize(bareSamples) };
}
