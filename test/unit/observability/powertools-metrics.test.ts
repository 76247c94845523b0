import { METRIC_NAMESPACE, METRICS, type MetricName } from '../../../lib/observability/metric-names';
import { PowertoolsMetricsSink } from '../../../lib/observability/powertools-metrics';

interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

function sinkWithLines(serviceName = 'telegram-webhook') {
  const lines: string[] = [];
  const warnings: string[] = [];
  const sink = new PowertoolsMetricsSink({
    serviceName,
    writeLine: (line) => lines.push(line),
    logger: { warn: (message) => warnings.push(message) },
  });
  const documents = () => lines.map((line) => JSON.parse(line) as EmfDocument);

  return { sink, lines, warnings, documents };
}

describe('PowertoolsMetricsSink', () => {
  it('writes one EMF document per data point', () => {
    const { sink, lines } = sinkWithLines();

    sink.record(METRICS.webhookRequests, { channel: 'telegram', outcome: 'queued' });
    sink.record(METRICS.webhookRejected, { channel: 'telegram', reason: 'json' });

    expect(lines).toHaveLength(2);
  });

  it('uses the Financy namespace', () => {
    const { sink, documents } = sinkWithLines();

    sink.record(METRICS.updatesProcessed, { channel: 'telegram' });

    expect(documents()[0]!._aws.CloudWatchMetrics[0]!.Namespace).toBe(METRIC_NAMESPACE);
  });

  it('keeps only its own dimensions plus service', () => {
    const { sink, documents } = sinkWithLines('telegram-webhook');

    sink.record(METRICS.webhookRejected, { channel: 'telegram', reason: 'secret-token' });
    sink.record(METRICS.webhookUnavailable, { channel: 'telegram' });

    const [rejected, unavailable] = documents();
    expect(rejected!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'channel', 'reason']]);
    expect(rejected).toMatchObject({
      service: 'telegram-webhook',
      channel: 'telegram',
      reason: 'secret-token',
    });
    expect(unavailable!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'channel']]);
    expect(unavailable).not.toHaveProperty('reason');
  });

  it('defaults to a count of 1', () => {
    const { sink, documents } = sinkWithLines();

    sink.record(METRICS.circuitOpened, { dependency: 'telegram' });

    const [document] = documents();
    expect(document!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'CircuitOpened', Unit: 'Count' }]);
    expect(document!.CircuitOpened).toBe(1);
  });

  it('records the given value and unit', () => {
    const { sink, documents } = sinkWithLines();

    sink.record(METRICS.processingLag, { channel: 'telegram' }, 1_234, 'Milliseconds');

    const [document] = documents();
    expect(document!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: 'ProcessingLag', Unit: 'Milliseconds' },
    ]);
    expect(document!.ProcessingLag).toBe(1_234);
  });

  it('drops undefined dimensions', () => {
    const { sink, documents } = sinkWithLines();

    sink.record(METRICS.webhookRequests, { channel: 'telegram', outcome: undefined });

    expect(documents()[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'channel']]);
  });

  it('warns instead of throwing on an invalid metric', () => {
    const { sink, lines, warnings } = sinkWithLines();

    expect(() => sink.record('' as MetricName, { channel: 'telegram' })).not.toThrow();
    expect(lines).toHaveLength(0);
    expect(warnings).toContain('Could not record metric');
  });

  it('recovers after an invalid metric', () => {
    const { sink, documents } = sinkWithLines();

    sink.record('' as MetricName, { channel: 'telegram', outcome: 'queued' });
    sink.record(METRICS.webhookUnavailable, { channel: 'telegram' });

    expect(documents()).toHaveLength(1);
    expect(documents()[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'channel']]);
  });

  describe('without writeLine', () => {
    let written: string[];
    let spy: jest.SpyInstance;

    beforeEach(() => {
      written = [];
      spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
    });

    afterEach(() => {
      spy.mockRestore();
    });

    it('prints EMF on stdout as in Lambda', () => {
      const sink = new PowertoolsMetricsSink({ serviceName: 'message-processor' });

      sink.record(METRICS.updatesProcessed, { channel: 'telegram' });

      const emf = written.map((line) => JSON.parse(line) as EmfDocument);
      expect(emf).toHaveLength(1);
      expect(emf[0]).toMatchObject({
        service: 'message-processor',
        channel: 'telegram',
        UpdatesProcessed: 1,
      });
    });
  });
});
