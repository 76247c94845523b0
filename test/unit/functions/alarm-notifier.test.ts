import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createAlarmNotifierHandler } from '../../../functions/alarm-notifier/create-handler';
import { loadAlarmNotifierConfig } from '../../../lib/config';
import { CapturingLogger } from '../../support/capturing-logger';
import { FakeTracer } from '../observability/fake-tracer';
import { lambdaContext } from './support';

const EVENT = JSON.parse(
  readFileSync(path.join(__dirname, '../../../events/alarm-dead-letter-queue-not-empty.json'), 'utf8'),
) as SNSEvent;

const ENVIRONMENT = {
  NOTIFICATION_QUEUE_URL: 'http://127.0.0.1:9/000000000000/unit-notifications',
  STAGE: 'prod',
};

const sqsMock = mockClient(SQSClient);

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'queued-1' });
});

afterAll(() => {
  sqsMock.restore();
});

function wiredHandler() {
  const tracer = new FakeTracer('alarm-notifier');
  const handler = createAlarmNotifierHandler(loadAlarmNotifierConfig(ENVIRONMENT), {
    tracer,
    logger: new CapturingLogger('alarm-notifier'),
    sqs: new SQSClient({ region: 'us-east-1' }),
  });

  return { handler, tracer };
}

describe('alarm-notifier function', () => {
  describe('tracing', () => {
    it('traces the invocation in a closed handler subsegment', async () => {
      const { handler, tracer } = wiredHandler();

      const summary = await handler(EVENT, lambdaContext('alarm-notifier'));

      expect(summary.forwarded).toBe(1);
      // Powertools names the subsegment `## <_HANDLER>`, which Lambda sets and the tests do not.
      expect(tracer.root.subsegments).toHaveLength(1);
      expect(tracer.root.subsegments[0]!.name).toMatch(/^## /);
      expect(tracer.root.subsegments[0]!.closed).toBe(true);
    });

    it('traces the SQS client', () => {
      const { tracer } = wiredHandler();

      expect(tracer.capturedClients).toEqual(['SQSClient']);
    });

    it('flags the handler subsegment when the queue fails', async () => {
      sqsMock.on(SendMessageCommand).rejects(new Error('queue unavailable'));
      const { handler, tracer } = wiredHandler();

      await expect(handler(EVENT, lambdaContext('alarm-notifier'))).rejects.toThrow('could not be queued');

      const [handlerSegment] = tracer.root.subsegments;
      expect(handlerSegment!.errors).toHaveLength(1);
      expect(handlerSegment!.closed).toBe(true);
    });
  });
});
