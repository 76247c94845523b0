import type { Update } from '@grammyjs/types';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createProcessorHandler } from '../../../functions/message-processor/create-handler';
import { loadProcessorConfig } from '../../../lib/config';
import { serializeEnvelope, type TelegramEnvelope } from '../../../lib/inbound/envelope';
import { RECORD_SUBSEGMENT } from '../../../lib/processor/process-record';
import { CapturingLogger } from '../../support/capturing-logger';
import { FakeTracer } from '../observability/fake-tracer';
import { RecordingMetrics } from '../observability/recording-metrics';
import {
  inboundRecord,
  lambdaContext,
  OutputCapture,
  PROCESSOR_ENVIRONMENT,
  setEnvironment,
} from './support';

const NOW_MS = Date.now();

/** Builds an envelope of a poll update, which the processor ignores, so the record needs no DynamoDB. */
function ignoredEnvelope(updateId: number, correlationId?: string): TelegramEnvelope {
  return {
    version: 1,
    channel: 'telegram',
    updateId,
    receivedAtEpochMs: NOW_MS - 250,
    correlationId,
    update: {
      update_id: updateId,
      poll: { id: `poll-${updateId}`, question: 'lunch?', options: [], total_voter_count: 0 },
    } as unknown as Update,
  };
}

function batch(...envelopes: TelegramEnvelope[]): SQSEvent {
  return {
    Records: envelopes.map((envelope) =>
      inboundRecord(serializeEnvelope(envelope), `m-${envelope.updateId}`, `group-${envelope.updateId}`),
    ),
  };
}

function wiredHandler() {
  const tracer = new FakeTracer('message-processor');
  const lines: string[] = [];
  const metrics = new RecordingMetrics();
  const handler = createProcessorHandler(loadProcessorConfig(PROCESSOR_ENVIRONMENT), {
    tracer,
    metrics,
    logger: new CapturingLogger('message-processor', lines),
    now: () => NOW_MS,
  });
  const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  return { handler, tracer, metrics, logged };
}

describe('message-processor function', () => {
  describe('tracing', () => {
    it('wraps each record in an annotated subsegment', async () => {
      const { handler, tracer } = wiredHandler();

      await handler(batch(ignoredEnvelope(501, 'req-501'), ignoredEnvelope(502)), lambdaContext('mp'));

      expect(tracer.named(RECORD_SUBSEGMENT).map((segment) => segment.annotations)).toEqual([
        { channel: 'telegram', updateId: 501, correlationId: 'req-501' },
        { channel: 'telegram', updateId: 502 },
      ]);
    });

    it('nests record subsegments under the handler subsegment', async () => {
      const { handler, tracer } = wiredHandler();

      await handler(batch(ignoredEnvelope(503)), lambdaContext('mp'));

      const [handlerSegment] = tracer.root.subsegments;
      expect(handlerSegment!.subsegments.map((segment) => segment.name)).toEqual([RECORD_SUBSEGMENT]);
    });

    it('traces the DynamoDB, SQS and Secrets Manager clients', () => {
      const { tracer } = wiredHandler();

      expect(tracer.capturedClients).toEqual(
        expect.arrayContaining(['DynamoDBClient', 'SQSClient', 'SecretsManagerClient']),
      );
    });
  });

  describe('log keys', () => {
    it("adds the record's ids while it runs", async () => {
      const { handler, logged } = wiredHandler();

      await handler(batch(ignoredEnvelope(511, 'req-511')), lambdaContext('mp'));

      expect(logged().find((line) => line.message === 'Ignored update')).toMatchObject({
        updateId: 511,
        channel: 'telegram',
        correlationId: 'req-511',
      });
    });

    it('removes the ids after the record', async () => {
      const { handler, logged } = wiredHandler();

      await handler(batch(ignoredEnvelope(512, 'req-512'), ignoredEnvelope(513)), lambdaContext('mp'));

      const second = logged().find((line) => line.message === 'Ignored update' && line.updateId === 513);
      expect(second).toBeDefined();
      expect(second).not.toHaveProperty('correlationId');
    });
  });

  describe('metrics', () => {
    it('counts each finished record', async () => {
      const { handler, metrics } = wiredHandler();

      await handler(batch(ignoredEnvelope(521), ignoredEnvelope(522)), lambdaContext('mp'));

      expect(metrics.named('UpdatesProcessed')).toEqual([
        { name: 'UpdatesProcessed', dimensions: { channel: 'telegram' }, value: 1, unit: 'Count' },
        { name: 'UpdatesProcessed', dimensions: { channel: 'telegram' }, value: 1, unit: 'Count' },
      ]);
    });

    it('measures the lag since the webhook accepted the update', async () => {
      const { handler, metrics } = wiredHandler();

      await handler(batch(ignoredEnvelope(523)), lambdaContext('mp'));

      expect(metrics.named('ProcessingLag')).toEqual([
        { name: 'ProcessingLag', dimensions: { channel: 'telegram' }, value: 250, unit: 'Milliseconds' },
      ]);
    });

    it('counts no update for a record that fails, only the invocation’s AI cost of 0', async () => {
      const { handler, metrics } = wiredHandler();
      const event = { Records: [inboundRecord('not an envelope', 'm-bad', 'group-bad')] };

      const response = (await handler(event, lambdaContext('mp'))) as SQSBatchResponse;

      expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-bad' }]);
      expect(metrics.points).toEqual([
        { name: 'AiInvocationCostUsd', dimensions: {}, value: 0, unit: 'None' },
      ]);
    });
  });

  describe('Lambda entry point', () => {
    let output: OutputCapture;
    let restoreEnvironment: () => void;
    let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

    beforeAll(() => {
      restoreEnvironment = setEnvironment({ ...PROCESSOR_ENVIRONMENT, POWERTOOLS_LOG_LEVEL: 'ERROR' });
      jest.isolateModules(() => {
        handler = require('../../../functions/message-processor/handler').handler;
      });
    });

    afterAll(() => {
      restoreEnvironment();
    });

    beforeEach(() => {
      output = new OutputCapture();
      output.start();
    });

    afterEach(() => {
      output.stop();
    });

    it('prints EMF lines for a finished record', async () => {
      await handler(batch(ignoredEnvelope(531, 'req-531')), lambdaContext('message-processor'));

      const emf = output.jsonLines().filter((line) => '_aws' in line);
      expect(emf).toEqual([
        expect.objectContaining({ service: 'message-processor', channel: 'telegram', UpdatesProcessed: 1 }),
        expect.objectContaining({
          service: 'message-processor',
          channel: 'telegram',
          ProcessingLag: expect.any(Number),
        }),
        // Every invocation records its AI cost, 0 when the local parser answered alone.
        expect.objectContaining({ service: 'message-processor', AiInvocationCostUsd: 0 }),
      ]);
    });
  });
});
