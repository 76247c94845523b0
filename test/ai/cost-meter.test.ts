import { AiCostMeter, UNKNOWN_MODEL_DIMENSION } from '../../lib/ai/cost-meter';
import type { AiUsage } from '../../lib/ai/usage';
import { METRIC_NAMESPACE, METRICS } from '../../lib/observability/metric-names';
import { PowertoolsMetricsSink } from '../../lib/observability/powertools-metrics';
import { RecordingMetrics } from '../unit/observability/recording-metrics';

const CATEGORIZE: AiUsage = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  operation: 'categorize',
  inputTokens: 812,
  outputTokens: 64,
};
const OCR: AiUsage = {
  provider: 'google-vision',
  model: 'DOCUMENT_TEXT_DETECTION',
  operation: 'ocr',
  images: 2,
};
const DIMENSIONS = { provider: 'openai', model: 'gpt-4o-mini', operation: 'categorize' };

function meterWithRecorder() {
  const metrics = new RecordingMetrics();
  const warnings: unknown[][] = [];
  const meter = new AiCostMeter({ metrics, logger: { warn: (...args) => warnings.push(args) } });

  return { meter, metrics, warnings };
}

interface EmfDocument {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

describe('AiCostMeter.record', () => {
  it('records tokens and cost with provider, model and operation', () => {
    const { meter, metrics } = meterWithRecorder();

    meter.record(CATEGORIZE);

    expect(metrics.named(METRICS.aiInputTokens)).toEqual([
      { name: METRICS.aiInputTokens, dimensions: DIMENSIONS, value: 812, unit: 'Count' },
    ]);
    expect(metrics.named(METRICS.aiOutputTokens)).toEqual([
      { name: METRICS.aiOutputTokens, dimensions: DIMENSIONS, value: 64, unit: 'Count' },
    ]);
    expect(metrics.named(METRICS.aiCostUsd)).toEqual([
      { name: METRICS.aiCostUsd, dimensions: DIMENSIONS, value: 0.0001602, unit: 'None' },
    ]);
  });

  it('records only the counts that the usage has', () => {
    const { meter, metrics } = meterWithRecorder();

    meter.record(OCR);

    expect(metrics.points.map((point) => point.name)).toEqual([METRICS.aiImages, METRICS.aiCostUsd]);
    expect(
      metrics.count(METRICS.aiCostUsd, {
        provider: 'google-vision',
        model: 'DOCUMENT_TEXT_DETECTION',
        operation: 'ocr',
      }),
    ).toBe(0.003);
  });

  it('records audio seconds before billing rounding', () => {
    const { meter, metrics } = meterWithRecorder();

    const cost = meter.record({
      provider: 'aws-transcribe',
      model: 'standard',
      operation: 'transcribe',
      audioSeconds: 4.2,
    });

    expect(metrics.named(METRICS.aiAudioSeconds)[0]).toMatchObject({ value: 4.2, unit: 'Seconds' });
    expect(cost.toString()).toBe('0.006');
  });

  it('names a dated snapshot by its model', () => {
    const { meter, metrics } = meterWithRecorder();

    meter.record({ ...CATEGORIZE, model: 'gpt-4o-mini-2024-07-18' });

    expect(metrics.named(METRICS.aiCostUsd)[0]?.dimensions.model).toBe('gpt-4o-mini');
  });

  it('records an unknown model as unknown without cost', () => {
    const { meter, metrics, warnings } = meterWithRecorder();

    const cost = meter.record({ ...CATEGORIZE, model: 'user-4711-custom' });

    expect(cost.isZero()).toBe(true);
    expect(metrics.named(METRICS.aiCostUsd)).toHaveLength(0);
    expect(metrics.named(METRICS.aiInputTokens)[0]?.dimensions.model).toBe(UNKNOWN_MODEL_DIMENSION);
    expect(JSON.stringify(metrics.points)).not.toContain('4711');
    expect(warnings).toHaveLength(1);
    expect(meter.totalUsd.isZero()).toBe(true);
  });

  it('logs an invalid usage instead of throwing', () => {
    const { meter, metrics, warnings } = meterWithRecorder();

    expect(() => meter.record({ ...CATEGORIZE, inputTokens: -3 })).not.toThrow();
    expect(metrics.named(METRICS.aiCostUsd)).toHaveLength(0);
    expect(String(warnings[0]?.[0])).toBe('Could not price AI usage');
  });

  it('uses only provider, model, operation and reason as dimensions', () => {
    const { meter, metrics } = meterWithRecorder();
    const usage = { ...CATEGORIZE, userId: 'user-1', chatId: '42' } as AiUsage;

    meter.record(usage);
    meter.fallback('ocr', 'budget');
    meter.flush();

    const keys = new Set(metrics.points.flatMap((point) => Object.keys(point.dimensions)));
    expect([...keys].sort()).toEqual(['model', 'operation', 'provider', 'reason']);
  });
});

describe('AiCostMeter.flush', () => {
  it('records the invocation total and starts again at 0', () => {
    const { meter, metrics } = meterWithRecorder();

    meter.record(CATEGORIZE);
    meter.record(OCR);
    const total = meter.flush();
    const next = meter.flush();

    expect(total.toString()).toBe('0.0031602');
    expect(next.isZero()).toBe(true);
    expect(metrics.named(METRICS.aiInvocationCostUsd)).toEqual([
      { name: METRICS.aiInvocationCostUsd, dimensions: {}, value: 0.0031602, unit: 'None' },
      { name: METRICS.aiInvocationCostUsd, dimensions: {}, value: 0, unit: 'None' },
    ]);
  });

  it('records 0 for an invocation without AI calls', () => {
    const { meter, metrics } = meterWithRecorder();

    meter.record({ provider: 'local', model: 'parser', operation: 'categorize' });
    meter.flush();

    expect(metrics.named(METRICS.aiInvocationCostUsd).map((point) => point.value)).toEqual([0]);
  });
});

describe('AiCostMeter.fallback', () => {
  it('counts a fallback by operation and reason', () => {
    const { meter, metrics } = meterWithRecorder();

    meter.fallback('categorize', 'breaker-open');
    meter.fallback('categorize', 'breaker-open');
    meter.fallback('ocr', 'quota');

    expect(metrics.count(METRICS.aiFallbacks, { operation: 'categorize', reason: 'breaker-open' })).toBe(2);
    expect(metrics.count(METRICS.aiFallbacks, { operation: 'ocr', reason: 'quota' })).toBe(1);
  });
});

describe('AiCostMeter EMF lines', () => {
  function meterWithEmf() {
    const lines: string[] = [];
    const metrics = new PowertoolsMetricsSink({
      serviceName: 'message-processor',
      writeLine: (line) => lines.push(line),
      logger: { warn: () => {} },
    });
    const documents = () => lines.map((line) => JSON.parse(line) as EmfDocument);

    return { meter: new AiCostMeter({ metrics }), documents };
  }

  it('carries the cost of known token counts', () => {
    const { meter, documents } = meterWithEmf();

    meter.record({ ...CATEGORIZE, inputTokens: 1_200, outputTokens: 150 });
    const cost = documents().find((document) => METRICS.aiCostUsd in document);

    // 1,200 * $0.15 / 1M + 150 * $0.60 / 1M = $0.00018 + $0.00009
    expect(cost?.[METRICS.aiCostUsd]).toBe(0.00027);
    expect(cost?._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: METRIC_NAMESPACE,
      Dimensions: [['service', 'provider', 'model', 'operation']],
      Metrics: [{ Name: METRICS.aiCostUsd, Unit: 'None' }],
    });
    expect(cost).toMatchObject({ service: 'message-processor', ...DIMENSIONS });
  });

  it('carries the invocation total with only the service dimension', () => {
    const { meter, documents } = meterWithEmf();

    meter.record(CATEGORIZE);
    meter.record(CATEGORIZE);
    meter.flush();
    const total = documents().find((document) => METRICS.aiInvocationCostUsd in document);

    expect(total?.[METRICS.aiInvocationCostUsd]).toBe(0.0003204);
    expect(total?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
  });
});
