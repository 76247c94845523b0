import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { createProcessorHandler } from '../functions/message-processor/create-handler';
import { startFakeTelegram } from '../infra/local/fake-telegram/server';
import { localLambdaContext } from '../infra/local/lambda-context';
import { provisionLocalResources } from '../infra/local/provision';
import { createLocalSqsClient } from '../infra/local/sqs-client';
import { textUpdate } from '../infra/local/update-factory';
import { TelegramApiClient } from '../lib/channels/telegram/api-client';
import { TelegramChannel } from '../lib/channels/telegram/telegram-channel';
import { loadProcessorConfig } from '../lib/config';
import { serializeEnvelope } from '../lib/inbound/envelope';
import { DynamoCircuitBreaker } from '../lib/resilience/circuit-breaker';
import { createResilientCaller } from '../lib/resilience/resilient-call';
import { DynamoTokenBucket } from '../lib/resilience/token-bucket';
import { createDocumentClient } from '../lib/store/clients';
import { summarize, type TimingSummary } from './stats';

const READ_COMMANDS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);

/** DynamoDB requests split by kind and by whether they serve the resilience layer or the application. */
export interface RequestCounts {
  applicationReads: number;
  applicationWrites: number;
  resilienceReads: number;
  resilienceWrites: number;
}

/** Creates a DynamoDB client that counts every request it sends, by command and table. */
function countingClient(resilienceTable: string): { client: DynamoDBClient; counts: RequestCounts } {
  const counts: RequestCounts = {
    applicationReads: 0,
    applicationWrites: 0,
    resilienceReads: 0,
    resilienceWrites: 0,
  };
  const client = new DynamoDBClient({});
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; TransactItems?: unknown[] };
      const resilience = input.TableName === resilienceTable;
      const read = READ_COMMANDS.has(context.commandName ?? '');
      if (resilience) {
        counts[read ? 'resilienceReads' : 'resilienceWrites'] += 1;
      } else {
        counts[read ? 'applicationReads' : 'applicationWrites'] += 1;
      }
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );

  return { client, counts };
}

function perMessageBetween(before: RequestCounts, after: RequestCounts, messages: number): RequestCounts {
  return {
    applicationReads: (after.applicationReads - before.applicationReads) / messages,
    applicationWrites: (after.applicationWrites - before.applicationWrites) / messages,
    resilienceReads: (after.resilienceReads - before.resilienceReads) / messages,
    resilienceWrites: (after.resilienceWrites - before.resilienceWrites) / messages,
  };
}

function sqsEvent(update: ReturnType<typeof textUpdate>, index: number): SQSEvent {
  return {
    Records: [
      {
        messageId: `m${index}`,
        receiptHandle: `r${index}`,
        body: serializeEnvelope({
          version: 1,
          channel: 'telegram',
          updateId: update.update_id,
          receivedAtEpochMs: Date.now(),
          update,
        }),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'bench',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
          MessageGroupId: String(update.message!.chat.id),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench.fifo',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

/** Result of the processor benchmark. */
export interface ProcessorBenchResult {
  messages: number;
  /** First message of a user, which also creates the user. */
  firstMessage: RequestCounts;
  /** A later message of a known user, the common case. */
  laterMessage: RequestCounts;
  processingTime: TimingSummary;
}

/**
 * Processes text messages through the real processor handler, one SQS record per invocation as Lambda
 * would hand them over, with the fake Bot API replying. It counts DynamoDB requests per message, first for
 * `messages` new users, whose first message also creates the user, then for a second message of each.
 */
export async function benchProcessor(messages: number): Promise<ProcessorBenchResult> {
  const fake = await startFakeTelegram();
  const sqs = createLocalSqsClient();
  const resources = await provisionLocalResources({ prefix: `bench-${randomBytes(4).toString('hex')}`, sqs });
  const { client, counts } = countingClient(resources.tables.resilience);
  const config = loadProcessorConfig({
    USERS_TABLE: resources.tables.users,
    IDENTITIES_TABLE: resources.tables.identities,
    TRANSACTIONS_TABLE: resources.tables.transactions,
    IDEMPOTENCY_TABLE: resources.tables.idempotency,
    RESILIENCE_TABLE: resources.tables.resilience,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_WEBHOOK_SECRET: 'bench',
    TELEGRAM_API_BASE_URL: fake.url,
  });
  const handler = createProcessorHandler(config, {
    dynamodb: client,
    sqs,
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
  });
  const samples: number[] = [];
  const context = localLambdaContext('message-processor', 30);
  const process = async (userId: number, index: number) => {
    const update = textUpdate('spent 12.50 on lunch at Subway', { user: { id: userId, firstName: 'Bench' } });
    const started = performance.now();
    const response = await handler(sqsEvent(update, index), context);
    if ((response?.batchItemFailures ?? []).length > 0) {
      throw new Error(`The processor failed message ${index} during the benchmark.`);
    }

    return performance.now() - started;
  };

  // The first five messages warm up connections and caches and are not counted.
  for (let index = 0; index < 5; index += 1) {
    await process(89_000_000 + index, index);
  }
  const beforeFirst = { ...counts };
  for (let index = 0; index < messages; index += 1) {
    samples.push(await process(90_000_000 + index, 1_000 + index));
  }
  const beforeLater = { ...counts };
  for (let index = 0; index < messages; index += 1) {
    samples.push(await process(90_000_000 + index, 2_000 + index));
  }
  const after = { ...counts };

  await fake.stop();
  sqs.destroy();
  client.destroy();

  return {
    messages,
    firstMessage: perMessageBetween(beforeFirst, beforeLater, messages),
    laterMessage: perMessageBetween(beforeLater, after, messages),
    processingTime: summarize(samples),
  };
}

/** Result of the outbound-call overhead comparison. */
export interface OverheadBenchResult {
  direct: TimingSummary;
  throughLayer: TimingSummary;
  /** The same layer with the breaker's CLOSED-state cache turned off, so every call reads the breaker. */
  withoutBreakerCache: TimingSummary;
}

/**
 * Times sendMessage to the fake Bot API through the breaker and buckets against the same call made
 * directly with the client, alternating the two. Each call goes to a new chat, so the per-chat bucket
 * never makes a call wait and the difference is the layer's own cost.
 */
export async function benchCallOverhead(iterations: number): Promise<OverheadBenchResult> {
  const fake = await startFakeTelegram();
  const sqs = createLocalSqsClient();
  const resources = await provisionLocalResources({ prefix: `bench-${randomBytes(4).toString('hex')}`, sqs });
  const documents = createDocumentClient(new DynamoDBClient({}));
  const api = new TelegramApiClient({ token: fake.token, baseUrl: fake.url });
  const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const layer = (closedCacheMs?: number) =>
    new TelegramChannel(
      api,
      createResilientCaller({
        breaker: new DynamoCircuitBreaker({
          client: documents,
          tableName: resources.tables.resilience,
          settings: closedCacheMs === undefined ? undefined : { closedCacheMs },
        }),
        buckets: new DynamoTokenBucket({ client: documents, tableName: resources.tables.resilience }),
        logger: silent,
      }),
      () => 10_000,
    );
  const channel = layer();
  const uncached = layer(0);
  const direct: number[] = [];
  const layered: number[] = [];
  const layeredUncached: number[] = [];

  for (let index = 0; index < iterations + 20; index += 1) {
    // Telegram allows about 30 messages/s per bot, so the loop keeps under that pace: the bot bucket
    // must not make a call wait, or the wait would be timed as the layer's cost.
    await new Promise((resolve) => setTimeout(resolve, 40));
    let started = performance.now();
    await api.sendMessage(80_000_000 + index, 'bench');
    const directMs = performance.now() - started;

    started = performance.now();
    await channel.send(String(81_000_000 + index), { text: 'bench' });
    const layeredMs = performance.now() - started;

    await new Promise((resolve) => setTimeout(resolve, 40));
    started = performance.now();
    await uncached.send(String(82_000_000 + index), { text: 'bench' });
    const uncachedMs = performance.now() - started;

    if (index >= 20) {
      direct.push(directMs);
      layered.push(layeredMs);
      layeredUncached.push(uncachedMs);
    }
  }
  await fake.stop();
  sqs.destroy();
  documents.destroy();

  return {
    direct: summarize(direct),
    throughLayer: summarize(layered),
    withoutBreakerCache: summarize(layeredUncached),
  };
}
