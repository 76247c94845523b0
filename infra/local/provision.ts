import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TableNames } from '../../lib/config';
import { TABLES, type TableDefinition } from '../../lib/store/tables';
import { INBOUND_QUEUE } from '../definitions';
import { createLocalSqsClient } from './sqs-client';

/** Names and URLs of the resources created on the emulators. */
export interface LocalResources {
  tables: TableNames;
  /** Table of the WhatsApp windows and delivery states. */
  whatsappStateTable: string;
  inboundQueueUrl: string;
  deadLetterQueueUrl: string;
}

/** Options of {@link provisionLocalResources}. */
export interface ProvisionOptions {
  /** Prefix of every table and queue name, so test files sharing one emulator stay apart. */
  prefix: string;
  /**
   * Visibility timeout of the inbound queue.
   * @default the deployed value from infra/definitions.ts
   */
  visibilityTimeoutSeconds?: number;
  /**
   * Deliveries before a record moves to the dead-letter queue.
   * @default the deployed value from infra/definitions.ts
   */
  maxReceiveCount?: number;
  dynamodb?: DynamoDBClient;
  sqs?: SQSClient;
}

function createTableInput(definition: TableDefinition, tableName: string) {
  const attributes = new Map<string, AttributeDefinition>();
  const keys = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  for (const key of keys) {
    if (key !== undefined) {
      attributes.set(key.name, { AttributeName: key.name, AttributeType: key.type });
    }
  }

  const keySchema = (partition: { name: string }, sort?: { name: string }) => [
    { AttributeName: partition.name, KeyType: 'HASH' as const },
    ...(sort === undefined ? [] : [{ AttributeName: sort.name, KeyType: 'RANGE' as const }]),
  ];

  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes.values()],
    KeySchema: keySchema(definition.partitionKey, definition.sortKey),
    GlobalSecondaryIndexes:
      definition.globalSecondaryIndexes.length === 0
        ? undefined
        : definition.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
  };
}

/**
 * Creates the application's tables and queues on the emulators, from the same definitions the CDK stack
 * uses. Endpoints come from `AWS_ENDPOINT_URL_DYNAMODB` and `AWS_ENDPOINT_URL_SQS`.
 */
export async function provisionLocalResources(options: ProvisionOptions): Promise<LocalResources> {
  const dynamodb = options.dynamodb ?? new DynamoDBClient({});
  const sqs = options.sqs ?? createLocalSqsClient();
  const tableName = (id: string) => `${options.prefix}-${id}`;

  await Promise.all(
    TABLES.map(async (definition) => {
      await dynamodb.send(new CreateTableCommand(createTableInput(definition, tableName(definition.id))));
      if (definition.timeToLiveAttribute !== undefined) {
        await dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: tableName(definition.id),
            TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
          }),
        );
      }
    }),
  );

  const deadLetter = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${options.prefix}-${INBOUND_QUEUE.deadLetterName}`,
      Attributes: {
        FifoQueue: 'true',
        MessageRetentionPeriod: String(INBOUND_QUEUE.deadLetterRetentionDays * 86_400),
      },
    }),
  );
  const deadLetterAttributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: deadLetter.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const inbound = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${options.prefix}-${INBOUND_QUEUE.name}`,
      Attributes: {
        FifoQueue: 'true',
        ContentBasedDeduplication: 'false',
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? INBOUND_QUEUE.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetterAttributes.Attributes?.QueueArn,
          maxReceiveCount: options.maxReceiveCount ?? INBOUND_QUEUE.maxReceiveCount,
        }),
      },
    }),
  );

  return {
    tables: {
      users: tableName('users'),
      identities: tableName('identities'),
      transactions: tableName('transactions'),
      idempotency: tableName('idempotency'),
      resilience: tableName('resilience'),
    },
    whatsappStateTable: tableName('whatsappState'),
    inboundQueueUrl: inbound.QueueUrl!,
    deadLetterQueueUrl: deadLetter.QueueUrl!,
  };
}
