import type { APIGatewayProxyEventV2, Context, SQSRecord } from 'aws-lambda';
import { localLambdaContext } from '../../../infra/local/lambda-context';

/** Environment of the webhook function, local variant: no Secrets Manager, no IP check. */
export const WEBHOOK_ENVIRONMENT = {
  INBOUND_QUEUE_URL: 'http://127.0.0.1:9/000000000000/unit-inbound.fifo',
  TELEGRAM_BOT_TOKEN: '123456:unit-bot-token',
  TELEGRAM_WEBHOOK_SECRET: 'unit-webhook-secret',
  TELEGRAM_IP_CHECK: 'false',
};

/** Environment of the processor function. Its clients are created but reach nothing in these tests. */
export const PROCESSOR_ENVIRONMENT = {
  USERS_TABLE: 'unit-users',
  IDENTITIES_TABLE: 'unit-identities',
  TRANSACTIONS_TABLE: 'unit-transactions',
  IDEMPOTENCY_TABLE: 'unit-idempotency',
  RESILIENCE_TABLE: 'unit-resilience',
  TELEGRAM_BOT_TOKEN: '123456:unit-bot-token',
  TELEGRAM_WEBHOOK_SECRET: 'unit-webhook-secret',
  TELEGRAM_API_BASE_URL: 'http://127.0.0.1:9',
};

/** Captures what is written to stdout and stderr, where Powertools prints log lines and EMF. */
export class OutputCapture {
  readonly chunks: string[] = [];
  #spies: jest.SpyInstance[] = [];

  start(): void {
    this.#spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk) => {
        this.chunks.push(String(chunk));
        return true;
      }),
    );
  }

  stop(): void {
    for (const spy of this.#spies) {
      spy.mockRestore();
    }
  }

  /** Parses the captured lines as JSON, skipping lines that are not JSON objects. */
  jsonLines(): Record<string, unknown>[] {
    return this.chunks
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** Sets environment variables until the returned function restores them. */
export function setEnvironment(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  apply(values);

  return () => apply(saved);
}

function apply(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = value;
    }
  }
}

/** Builds a Lambda context with a 30 s deadline. */
export function lambdaContext(functionName: string): Context {
  return localLambdaContext(functionName, 30);
}

/** Builds an API Gateway HTTP API event for POST /webhooks/telegram. */
export function webhookEvent(
  body: string,
  options: { secret?: string; requestId?: string; sourceIp?: string } = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/telegram',
    rawPath: '/webhooks/telegram',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'x-telegram-bot-api-secret-token': options.secret ?? WEBHOOK_ENVIRONMENT.TELEGRAM_WEBHOOK_SECRET,
    },
    requestContext: {
      accountId: '000000000000',
      apiId: 'unit',
      domainName: '127.0.0.1',
      domainPrefix: 'unit',
      http: {
        method: 'POST',
        path: '/webhooks/telegram',
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '149.154.167.220',
        userAgent: '',
      },
      requestId: options.requestId ?? 'unit-request',
      routeKey: 'POST /webhooks/telegram',
      stage: '$default',
      time: '04/Dec/2026:10:00:00 +0000',
      timeEpoch: 1_796_378_400_000,
    },
    body,
    isBase64Encoded: false,
  };
}

/** Builds an SQS record of the inbound queue that carries `body`. */
export function inboundRecord(body: string, messageId: string, groupId: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1796378400000',
      SenderId: 'unit',
      ApproximateFirstReceiveTimestamp: '1796378400000',
      MessageGroupId: groupId,
      MessageDeduplicationId: messageId,
      SequenceNumber: '1',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:unit-inbound.fifo',
    awsRegion: 'us-east-1',
  };
}
