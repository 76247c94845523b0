import { Logger } from '@aws-lambda-powertools/logger';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createTelegramWebhookHandler } from '../functions/telegram-webhook/create-handler';
import { createWhatsAppWebhookHandler } from '../functions/whatsapp-webhook/create-handler';
import { localLambdaContext } from '../infra/local/lambda-context';
import { signWhatsAppBody } from '../infra/local/local-whatsapp';
import { provisionLocalResources } from '../infra/local/provision';
import { createLocalSqsClient } from '../infra/local/sqs-client';
import { textUpdate } from '../infra/local/update-factory';
import { newWamid, whatsAppMessagePayload } from '../infra/local/whatsapp-payload';
import { WHATSAPP_SIGNATURE_HEADER } from '../lib/channels/whatsapp/verification';
import { summarize, type TimingSummary } from './stats';

const SECRET = 'bench-secret-token';
const PHONE_NUMBER_ID = '123456789012345';

/** A channel's webhook under measurement. */
export type BenchChannel = 'telegram' | 'whatsapp';

function webhookEvent(
  channel: BenchChannel,
  body: string,
  headers: Record<string, string>,
  sourceIp: string,
): APIGatewayProxyEventV2 {
  const path = `/webhooks/${channel}`;
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench',
      domainPrefix: 'bench',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp, userAgent: '' },
      requestId: 'bench',
      routeKey: `POST ${path}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    body,
    isBase64Encoded: false,
  };
}

/** One request to time: the API Gateway event, and the same body as a bare send would queue it. */
interface BenchRequest {
  event: APIGatewayProxyEventV2;
  body: string;
  groupId: string;
  dedupId: string;
}

type WebhookHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A signed WhatsApp webhook POST with one text message, as Meta sends it. */
function whatsAppRequest(): BenchRequest {
  const waId = '5511900000001';
  const messageId = newWamid();
  const body = JSON.stringify(
    whatsAppMessagePayload(
      { phoneNumberId: PHONE_NUMBER_ID, user: { waId, name: 'Bench' } },
      { id: messageId, type: 'text', text: { body: 'spent 12.50 on lunch at Subway' } },
    ),
  );
  const headers = { [WHATSAPP_SIGNATURE_HEADER]: signWhatsAppBody(body, SECRET) };

  return {
    event: webhookEvent('whatsapp', body, headers, '127.0.0.1'),
    body,
    groupId: waId,
    dedupId: `bare-${messageId}`.replace(/[^A-Za-z0-9_-]/g, '-'),
  };
}

/** A Telegram webhook POST with one text message, with the secret token, from Telegram's network. */
function telegramRequest(): BenchRequest {
  const update = textUpdate('spent 12.50 on lunch at Subway');
  const body = JSON.stringify(update);

  return {
    event: webhookEvent('telegram', body, { 'x-telegram-bot-api-secret-token': SECRET }, '149.154.167.220'),
    body,
    groupId: String(update.message!.chat.id),
    dedupId: `bare-${update.update_id}`,
  };
}

/** Result of the webhook comparison. */
export interface WebhookBenchResult {
  handler: TimingSummary;
  bareSend: TimingSummary;
}

/**
 * Times a channel's whole webhook handler (verify, validate, queue) against a bare SendMessage of the same
 * body to the same SQS emulator, alternating the two so drift affects both alike.
 */
export async function benchWebhook(
  iterations: number,
  channel: BenchChannel = 'telegram',
): Promise<WebhookBenchResult> {
  const sqs = createLocalSqsClient();
  const resources = await provisionLocalResources({ prefix: `bench-${channel}-${Date.now()}`, sqs });
  const logger = new Logger({ serviceName: 'bench', logLevel: 'SILENT' });
  const options = { sqs, logger };
  const handler: WebhookHandler =
    channel === 'telegram'
      ? createTelegramWebhookHandler(
          {
            inboundQueueUrl: resources.inboundQueueUrl,
            secrets: { kind: 'environment', botToken: 'bench:token', webhookSecret: SECRET },
            checkSourceIp: true,
            maxBodyBytes: 1_048_576,
          },
          options,
        )
      : createWhatsAppWebhookHandler(
          {
            inboundQueueUrl: resources.inboundQueueUrl,
            secrets: {
              kind: 'environment',
              accessToken: 'bench-access-token',
              appSecret: SECRET,
              verifyToken: 'bench-verify-token',
              phoneNumberIds: [PHONE_NUMBER_ID],
            },
            maxBodyBytes: 1_048_576,
          },
          options,
        );
  const nextRequest = channel === 'telegram' ? telegramRequest : whatsAppRequest;
  const handlerSamples: number[] = [];
  const bareSamples: number[] = [];
  const context = localLambdaContext(`${channel}-webhook`, 5);

  for (let index = 0; index < iterations + 20; index += 1) {
    const request = nextRequest();

    let started = performance.now();
    const result = await handler(request.event, context);
    const handlerMs = performance.now() - started;
    if (result.statusCode !== 200) {
      throw new Error(
        `The ${channel} webhook returned ${result.statusCode} during the benchmark: ${result.body}`,
      );
    }

    started = performance.now();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: resources.inboundQueueUrl,
        MessageBody: request.body,
        MessageGroupId: request.groupId,
        MessageDeduplicationId: request.dedupId,
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
