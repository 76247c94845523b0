import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { WeeklySummaryConfig } from '../../config';
import { createDocumentClient } from '../../store/clients';
import { IdempotencyStore } from '../../store/idempotency-store';
import { DynamoTransactionStore } from '../../store/transaction-store';
import { UserStore } from '../../store/user-store';
import { SqsNotificationQueue } from '../preferences/notification-queue';
import { type SummaryInsights, selectSummaryInsights } from './insights';
import type { WeeklySummaryDependencies } from './run-weekly-summary';

/** Optional overrides of {@link createWeeklySummaryDependencies}, for tests and local runs. */
export interface WeeklySummaryDependencyOverrides {
  dynamodb?: DynamoDBClient;
  /** SQS client of the notification queue. The emulator needs one that ignores queue URL hosts. */
  sqs?: SQSClient;
  now?: () => number;
  /** An AI insights generator. The plain one is used when it is absent or fails. */
  aiInsights?: SummaryInsights;
  /** Users table items read per Scan page. */
  pageSize?: number;
}

/** How long a queued summary's claim is remembered: two weeks, longer than any re-run of one week. */
const CLAIM_RETENTION_SECONDS = 14 * 86_400;

/** Builds the weekly summary's stores, queue and insights generator from configuration. */
export function createWeeklySummaryDependencies(
  config: WeeklySummaryConfig,
  logger: Logger,
  budgetMs: () => number,
  overrides: WeeklySummaryDependencyOverrides = {},
): WeeklySummaryDependencies {
  const client = createDocumentClient(overrides.dynamodb);
  const now = overrides.now ?? Date.now;

  return {
    users: new UserStore({
      client,
      usersTable: config.tables.users,
      // The run only reads users, so the defaults of new users never apply.
      identitiesTable: '',
      defaultCurrency: 'USD',
      defaultTimeZone: 'UTC',
      now,
    }),
    transactions: new DynamoTransactionStore({ client, tableName: config.tables.transactions, now }),
    claims: new IdempotencyStore({
      client,
      tableName: config.tables.idempotency,
      retentionSeconds: CLAIM_RETENTION_SECONDS,
      now,
    }),
    queue: new SqsNotificationQueue({
      sqs: overrides.sqs ?? new SQSClient({}),
      queueUrl: config.notificationQueueUrl,
    }),
    insights: selectSummaryInsights(overrides.aiInsights, logger),
    logger,
    budgetMs,
    settingsUrl: config.settingsUrl,
    pageSize: overrides.pageSize,
  };
}
