import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { provisionLocalResources } from '../../infra/local/provision';
import { createLocalSqsClient } from '../../infra/local/sqs-client';
import type { TableNames } from '../../lib/config';
import { createDocumentClient } from '../../lib/store/clients';

/** Tables on DynamoDB Local with a name prefix of their own, and a document client to reach them. */
export interface LocalTables {
  tables: TableNames;
  /** Table of the WhatsApp windows and delivery states. */
  whatsappStateTable: string;
  client: DynamoDBDocumentClient;
  destroy(): void;
}

/**
 * Creates the application's tables on the DynamoDB Local that jest's global setup started. The random
 * prefix keeps test files that run in parallel apart.
 */
export async function createLocalTables(label: string): Promise<LocalTables> {
  if (process.env.AWS_ENDPOINT_URL_DYNAMODB === undefined) {
    throw new Error(
      'AWS_ENDPOINT_URL_DYNAMODB is not set: run store tests through jest without FINANCY_UNIT_ONLY=1, ' +
        'so the global setup starts DynamoDB Local.',
    );
  }

  const dynamodb = new DynamoDBClient({});
  // fauxqs returns queue URLs on sqs.<region>.localhost, which not every resolver maps to 127.0.0.1, so
  // requests go to the configured endpoint instead of the queue URL's host.
  const sqs = createLocalSqsClient();
  const resources = await provisionLocalResources({
    prefix: `${label}-${randomBytes(4).toString('hex')}`,
    dynamodb,
    sqs,
  });
  sqs.destroy();
  const client = createDocumentClient(dynamodb);

  return {
    tables: resources.tables,
    whatsappStateTable: resources.whatsappStateTable,
    client,
    destroy: () => {
      client.destroy();
      dynamodb.destroy();
    },
  };
}
