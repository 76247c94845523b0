import { randomBytes } from 'node:crypto';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Update } from '@grammyjs/types';
import { startFakeTelegram } from '../../infra/local/fake-telegram/server';
import type { FakeTelegram } from '../../infra/local/fake-telegram/types';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import type { Transaction } from '../../lib/domain/transaction';
import type { User } from '../../lib/domain/user';
import type { CircuitBreakerSettings } from '../../lib/resilience/circuit-breaker';
import { type MetricPoint, RecordingMetrics } from '../unit/observability/recording-metrics';
import { CapturingLogger } from './capturing-logger';

/** A local stack with a fake Bot API and captured logs, for one test file. */
export interface TestStack {
  stack: LocalStack;
  fake: FakeTelegram;
  /** Every log line of both functions, as JSON strings. */
  logLines: string[];
  /** Every metric data point of both functions, in place of EMF lines. */
  metricPoints: MetricPoint[];
  /** Posts a raw request to the webhook. */
  post(body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  /** Posts an update with the right secret, as Telegram does. */
  postUpdate(update: Update): Promise<{ status: number; body: string }>;
  transactions(): Promise<Transaction[]>;
  users(): Promise<User[]>;
  stop(): Promise<void>;
}

/** Options of {@link startTestStack}. */
export interface TestStackOptions {
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  environment?: Record<string, string>;
  startProcessor?: boolean;
  processorTimeoutSeconds?: number;
  breakerSettings?: Partial<CircuitBreakerSettings>;
  /** Tracers for the two functions, such as fakes that record segments. */
  webhookTracer?: Tracer;
  processorTracer?: Tracer;
}

/**
 * Starts the local stack against the emulators that jest's global setup started, with its own table
 * and queue names so test files can run in parallel.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const fake = await startFakeTelegram();
  const logLines: string[] = [];
  const metricPoints: MetricPoint[] = [];
  const stack = await startLocalStack({
    botToken: fake.token,
    telegramApiBaseUrl: fake.url,
    prefix: `test-${randomBytes(4).toString('hex')}`,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1,
    maxReceiveCount: options.maxReceiveCount ?? 3,
    webhookLogger: new CapturingLogger('telegram-webhook', logLines),
    processorLogger: new CapturingLogger('message-processor', logLines),
    environment: options.environment,
    startProcessor: options.startProcessor,
    processorTimeoutSeconds: options.processorTimeoutSeconds,
    breakerSettings: options.breakerSettings,
    metrics: new RecordingMetrics(metricPoints),
    webhookTracer: options.webhookTracer,
    processorTracer: options.processorTracer,
  });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const scan = async <T>(table: string): Promise<T[]> => {
    const result = await documents.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    return (result.Items ?? []) as T[];
  };
  const post = async (body: string | Buffer, headers: Record<string, string> = {}) => {
    const response = await fetch(stack.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: response.status, body: await response.text() };
  };

  return {
    stack,
    fake,
    logLines,
    metricPoints,
    post,
    postUpdate: (update) => {
      fake.observeUpdate(update);
      return post(JSON.stringify(update), { 'X-Telegram-Bot-Api-Secret-Token': stack.webhookSecret });
    },
    transactions: () => scan<Transaction>(stack.resources.tables.transactions),
    users: () => scan<User>(stack.resources.tables.users),
    async stop() {
      await stack.stop();
      await fake.stop();
      documents.destroy();
    },
  };
}
