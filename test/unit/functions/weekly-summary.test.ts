import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createWeeklySummaryHandler } from '../../../functions/weekly-summary/create-handler';
import { loadWeeklySummaryConfig } from '../../../lib/config';
import { CapturingLogger } from '../../support/capturing-logger';
import { FakeTracer } from '../observability/fake-tracer';
import { lambdaContext } from './support';

const EVENT = JSON.parse(
  readFileSync(path.join(__dirname, '../../../events/weekly-summary-scheduled.json'), 'utf8'),
) as ScheduledEvent;

const ENVIRONMENT = {
  USERS_TABLE: 'unit-users',
  TRANSACTIONS_TABLE: 'unit-transactions',
  IDEMPOTENCY_TABLE: 'unit-idempotency',
  NOTIFICATION_QUEUE_URL: 'http://127.0.0.1:9/000000000000/unit-notifications',
};

const documentClientMock = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  documentClientMock.reset();
  // No user has opted in, so the run reads one empty page and queues nothing.
  documentClientMock.on(ScanCommand).resolves({ Items: [] });
});

afterAll(() => {
  documentClientMock.restore();
});

function wiredHandler() {
  const tracer = new FakeTracer('weekly-summary');
  const handler = createWeeklySummaryHandler(loadWeeklySummaryConfig(ENVIRONMENT), {
    tracer,
    logger: new CapturingLogger('weekly-summary'),
    dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
    sqs: new SQSClient({ region: 'us-east-1' }),
  });

  return { handler, tracer };
}

describe('weekly-summary function', () => {
  describe('tracing', () => {
    it('traces the invocation in a closed handler subsegment', async () => {
      const { handler, tracer } = wiredHandler();

      const result = await handler(EVENT, lambdaContext('weekly-summary'));

      expect(result.status).toBe('complete');
      // Powertools names the subsegment `## <_HANDLER>`, which Lambda sets and the tests do not.
      expect(tracer.root.subsegments).toHaveLength(1);
      expect(tracer.root.subsegments[0]!.name).toMatch(/^## /);
      expect(tracer.root.subsegments[0]!.closed).toBe(true);
    });

    it('annotates the handler subsegment with the correlation id', async () => {
      const { handler, tracer } = wiredHandler();

      await handler(EVENT, lambdaContext('weekly-summary'));

      const [handlerSegment] = tracer.root.subsegments;
      expect(handlerSegment!.annotations.correlationId).toBe(`weekly-summary-${EVENT.id}`);
    });

    it('traces the DynamoDB and SQS clients', () => {
      const { tracer } = wiredHandler();

      expect(tracer.capturedClients).toEqual(expect.arrayContaining(['DynamoDBClient', 'SQSClient']));
    });
  });
});
