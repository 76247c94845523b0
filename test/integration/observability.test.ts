import { textUpdate } from '../../infra/local/update-factory';
import { RECORD_SUBSEGMENT } from '../../lib/processor/process-record';
import { startTestStack, type TestStack } from '../support/test-stack';
import { FakeTracer } from '../unit/observability/fake-tracer';

const USER = { id: 64_220_017, firstName: 'Quinn' };
const PRIVATE_TEXT = 'zebracorn brunch 48.15 at Quillfeather';

type LogLine = Record<string, unknown>;

describe('observability through the local stack', () => {
  let harness: TestStack;
  let webhookTracer: FakeTracer;
  let processorTracer: FakeTracer;
  let updateId: number;

  beforeAll(async () => {
    webhookTracer = new FakeTracer('telegram-webhook');
    processorTracer = new FakeTracer('message-processor');
    harness = await startTestStack({ webhookTracer, processorTracer });

    const update = textUpdate(PRIVATE_TEXT, { user: USER });
    updateId = update.update_id;
    await harness.postUpdate(update);
    await harness.stack.settle();
  });

  afterAll(async () => {
    await harness.stop();
  });

  function linesOf(service: string): LogLine[] {
    return harness.logLines
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.service === service && line.updateId === updateId);
  }

  describe('correlation id', () => {
    it("matches across both functions' log lines", () => {
      const webhookLines = linesOf('telegram-webhook');
      const processorLines = linesOf('message-processor');
      const correlationId = webhookLines[0]?.correlationId;

      expect(typeof correlationId).toBe('string');
      expect(processorLines.length).toBeGreaterThan(0);
      expect([...webhookLines, ...processorLines].map((line) => line.correlationId)).toEqual(
        [...webhookLines, ...processorLines].map(() => correlationId),
      );
    });

    it('names the user on processor lines after the lookup', async () => {
      const processorLines = linesOf('message-processor');
      const users = await harness.users();
      const user = users.find((candidate) => candidate.identities.includes(`telegram:${USER.id}`));
      const stored = processorLines.find((line) => line.message === 'Stored transaction');

      expect(user).toBeDefined();
      expect(stored?.userId).toBe(user?.userId);
    });

    it('annotates both traces with it', () => {
      const [webhookHandler] = webhookTracer.root.subsegments;
      const [record] = processorTracer.named(RECORD_SUBSEGMENT);

      expect(webhookHandler!.annotations.correlationId).toBe(linesOf('telegram-webhook')[0]!.correlationId);
      expect(record!.annotations.correlationId).toBe(webhookHandler!.annotations.correlationId);
    });
  });

  describe('traces', () => {
    it('annotate the webhook invocation with channel and update id', () => {
      const [webhookHandler] = webhookTracer.root.subsegments;

      expect(webhookHandler!.annotations).toMatchObject({ channel: 'telegram', updateId });
    });

    it('annotate the record with channel and update id', () => {
      const [record] = processorTracer.named(RECORD_SUBSEGMENT);

      expect(record!.annotations).toMatchObject({ channel: 'telegram', updateId });
    });

    it('show the reply as a telegram.sendMessage call of the record', () => {
      const [record] = processorTracer.named(RECORD_SUBSEGMENT);

      expect(record!.subsegments.map((segment) => segment.name)).toContain('telegram.sendMessage');
    });

    it('contain no chat id, message text or secret', () => {
      const traces = webhookTracer.serialized() + processorTracer.serialized();

      expect(traces).not.toContain(String(USER.id));
      expect(traces).not.toContain('zebracorn');
      expect(traces).not.toContain('Quillfeather');
      expect(traces).not.toContain(harness.fake.token.split(':')[1]);
      expect(traces).not.toContain(harness.stack.webhookSecret);
    });
  });

  describe('metrics', () => {
    it('count the queued request and the processed update', () => {
      const names = harness.metricPoints.map((point) => `${point.name} ${JSON.stringify(point.dimensions)}`);

      expect(names).toEqual(
        expect.arrayContaining([
          'WebhookRequests {"channel":"telegram","outcome":"queued"}',
          'UpdatesProcessed {"channel":"telegram"}',
        ]),
      );
    });

    it('measure the processing lag in milliseconds', () => {
      const [lag] = harness.metricPoints.filter((point) => point.name === 'ProcessingLag');

      expect(lag).toMatchObject({ dimensions: { channel: 'telegram' }, unit: 'Milliseconds' });
      expect(lag!.value).toBeGreaterThanOrEqual(0);
      expect(lag!.value).toBeLessThan(30_000);
    });

    it('carry no chat id', () => {
      expect(JSON.stringify(harness.metricPoints)).not.toContain(String(USER.id));
    });
  });
});
