import { createFunctionTracer, tracingWith } from '../../../lib/observability/powertools-tracing';
import { FakeTracer } from './fake-tracer';

class ChatError extends Error {
  constructor() {
    super('sendMessage failed for chat 424242');
  }
}

describe('tracingWith', () => {
  it('runs the operation in a named subsegment', async () => {
    const tracer = new FakeTracer();

    const result = await tracingWith(tracer).inSubsegment('telegram.sendMessage', async () => 'sent');

    expect(result).toBe('sent');
    expect(tracer.named('telegram.sendMessage')).toHaveLength(1);
    expect(tracer.named('telegram.sendMessage')[0]!.closed).toBe(true);
  });

  it('makes the subsegment current while the operation runs', async () => {
    const tracer = new FakeTracer();
    const tracing = tracingWith(tracer);

    await tracing.inSubsegment('outer', async () => {
      await tracing.inSubsegment('inner', async () => {});
    });

    expect(tracer.named('outer')[0]!.subsegments.map((segment) => segment.name)).toEqual(['inner']);
  });

  it('restores the parent segment afterwards', async () => {
    const tracer = new FakeTracer();

    await tracingWith(tracer).inSubsegment('step', async () => {});

    expect(tracer.getSegment()).toBe(tracer.root);
  });

  it('annotates the subsegment, skipping undefined values', async () => {
    const tracer = new FakeTracer();

    await tracingWith(tracer).inSubsegment('record', async () => {}, {
      annotations: { channel: 'telegram', updateId: 42, correlationId: undefined },
    });

    expect(tracer.named('record')[0]!.annotations).toEqual({ channel: 'telegram', updateId: 42 });
  });

  it('marks remote calls for the service map', async () => {
    const tracer = new FakeTracer();

    await tracingWith(tracer).inSubsegment('telegram.sendMessage', async () => {}, { remote: true });

    expect(tracer.named('telegram.sendMessage')[0]!.attributes).toEqual({ namespace: 'remote' });
  });

  it('flags a failure without recording the error', async () => {
    const tracer = new FakeTracer();

    const call = tracingWith(tracer).inSubsegment('telegram.sendMessage', async () => {
      throw new ChatError();
    });

    await expect(call).rejects.toBeInstanceOf(ChatError);
    const [subsegment] = tracer.named('telegram.sendMessage');
    expect(subsegment!.flags).toEqual(['error']);
    expect(subsegment!.errors).toEqual([]);
    expect(tracer.serialized()).not.toContain('424242');
  });

  it.each([
    ['fault', ['fault']],
    ['throttle', ['error', 'throttle']],
    ['error', ['error']],
  ] as const)('sets the %s flag that failureFlag picks', async (failureFlag, flags) => {
    const tracer = new FakeTracer();

    const call = tracingWith(tracer).inSubsegment(
      'telegram.sendMessage',
      async () => {
        throw new ChatError();
      },
      { failureFlag: () => failureFlag },
    );

    await expect(call).rejects.toBeInstanceOf(ChatError);
    expect(tracer.named('telegram.sendMessage')[0]!.flags).toEqual(flags);
  });

  it('restores the parent segment after a failure', async () => {
    const tracer = new FakeTracer();

    await tracingWith(tracer)
      .inSubsegment('step', async () => {
        throw new ChatError();
      })
      .catch(() => undefined);

    expect(tracer.getSegment()).toBe(tracer.root);
  });

  it('annotates the current segment', () => {
    const tracer = new FakeTracer();

    tracingWith(tracer).annotate({ channel: 'telegram', correlationId: 'request-1', updateId: undefined });

    expect(tracer.root.annotations).toEqual({ channel: 'telegram', correlationId: 'request-1' });
  });
});

describe('createFunctionTracer', () => {
  it('is off outside Lambda', () => {
    expect(createFunctionTracer('telegram-webhook').isTracingEnabled()).toBe(false);
  });

  it('runs operations untraced outside Lambda', async () => {
    const tracing = tracingWith(createFunctionTracer('telegram-webhook'));

    await expect(tracing.inSubsegment('step', async () => 'done')).resolves.toBe('done');
  });
});
