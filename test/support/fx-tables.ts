import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { provisionLocalResources } from '../../infra/local/provision';
import { createLocalSqsClient } from '../../infra/local/sqs-client';
import { createDocumentClient } from '../../lib/store/clients';

/** The FX rates and resilience tables on DynamoDB Local, with a client to reach them. */
export interface FxTables {
  ratesTable: string;
  resilienceTable: string;
  client: DynamoDBDocumentClient;
  dynamodb: DynamoDBClient;
  destroy(): void;
}

/**
 * Creates the application's tables on the DynamoDB Local that jest's global setup started, under a random
 * prefix, and returns the names of the two that the FX refresh uses. provisionLocalResources names each
 * table `<prefix>-<table id>`.
 */
export async function createFxTables(label: string): Promise<FxTables> {
  if (process.env.AWS_ENDPOINT_URL_DYNAMODB === undefined) {
    throw new Error(
      'AWS_ENDPOINT_URL_DYNAMODB is not set: run FX store tests through jest without FINANCY_UNIT_ONLY=1, ' +
        'so the global setup starts DynamoDB Local.',
    );
  }

  const prefix = `${label}-${randomBytes(4).toString('hex')}`;
  const dynamodb = new DynamoDBClient({});
  const sqs = createLocalSqsClient();
  await provisionLocalResources({ prefix, dynamodb, sqs });
  sqs.destroy();
  const client = createDocumentClient(dynamodb);

  return {
    ratesTable: `${prefix}-fxRates`,
    resilienceTable: `${prefix}-resilience`,
    client,
    dynamodb,
    destroy: () => {
      client.destroy();
      dynamodb.destroy();
    },
  };
}
