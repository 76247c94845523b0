import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AiCostMeter } from '../../lib/ai/cost-meter';
import {
  costReportToJson,
  findNewestLocalLog,
  formatCostReport,
  summarizeEmfLines,
} from '../../lib/ai/cost-report';
import { METRICS } from '../../lib/observability/metric-names';
import { PowertoolsMetricsSink } from '../../lib/observability/powertools-metrics';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/**
 * Writes the EMF lines of four processor invocations, as the local stack logs them, between log lines of
 * other kinds:
 * 1. categorize with gpt-4o-mini (812 + 64 tokens, $0.0001602) and OCR of 2 images ($0.003)
 * 2. Transcribe of 4.2 s (billed 15 s, $0.006) and categorize with gpt-4o-mini (1,200 + 150 tokens, $0.00027)
 * 3. no AI call, with a budget fallback
 * 4. whisper-1 of 30.2 s (billed 31 s, $0.0031)
 */
function writeLog(): string[] {
  const lines: string[] = [];
  const metrics = new PowertoolsMetricsSink({
    serviceName: 'message-processor',
    writeLine: (line) => lines.push(line),
    logger: { warn: () => {} },
  });
  const meter = new AiCostMeter({ metrics });

  lines.push(JSON.stringify({ level: 'INFO', message: 'Processing update', service: 'message-processor' }));
  meter.record({
    provider: 'openai',
    model: 'gpt-4o-mini',
    operation: 'categorize',
    inputTokens: 812,
    outputTokens: 64,
  });
  meter.record({ provider: 'google-vision', model: 'DOCUMENT_TEXT_DETECTION', operation: 'ocr', images: 2 });
  meter.flush();
  metrics.record(METRICS.updatesProcessed, { channel: 'telegram' });
  lines.push('not json at all');
  meter.record({ provider: 'aws-transcribe', model: 'standard', operation: 'transcribe', audioSeconds: 4.2 });
  meter.record({
    provider: 'openai',
    model: 'gpt-4o-mini-2024-07-18',
    operation: 'categorize',
    inputTokens: 1_200,
    outputTokens: 150,
  });
  meter.flush();
  meter.fallback('categorize', 'budget');
  meter.flush();
  meter.record({ provider: 'openai', model: 'whisper-1', operation: 'transcribe', audioSeconds: 30.2 });
  meter.flush();
  lines.push(
    JSON.stringify({
      _aws: {
        Timestamp: 0,
        CloudWatchMetrics: [{ Namespace: 'Other', Dimensions: [[]], Metrics: [{ Name: 'AiCostUsd' }] }],
      },
      AiCostUsd: 5,
    }),
  );

  return lines;
}

describe('summarizeEmfLines', () => {
  const report = summarizeEmfLines(writeLog());

  it('adds up cost and use by operation and model', () => {
    const rows = report.byOperationAndModel.map((row) => ({ ...row, costUsd: row.costUsd.toString() }));

    expect(rows).toEqual([
      {
        operation: 'categorize',
        provider: 'openai',
        model: 'gpt-4o-mini',
        calls: 2,
        inputTokens: 2_012,
        outputTokens: 214,
        audioSeconds: 0,
        images: 0,
        costUsd: '0.0004302',
      },
      {
        operation: 'ocr',
        provider: 'google-vision',
        model: 'DOCUMENT_TEXT_DETECTION',
        calls: 1,
        inputTokens: 0,
        outputTokens: 0,
        audioSeconds: 0,
        images: 2,
        costUsd: '0.003',
      },
      {
        operation: 'transcribe',
        provider: 'aws-transcribe',
        model: 'standard',
        calls: 1,
        inputTokens: 0,
        outputTokens: 0,
        audioSeconds: 4.2,
        images: 0,
        costUsd: '0.006',
      },
      {
        operation: 'transcribe',
        provider: 'openai',
        model: 'whisper-1',
        calls: 1,
        inputTokens: 0,
        outputTokens: 0,
        audioSeconds: 30.2,
        images: 0,
        costUsd: '0.0031',
      },
    ]);
  });

  it('summarizes the cost per invocation', () => {
    const invocations = report.invocations;

    expect(invocations.count).toBe(4);
    expect(invocations.totalUsd.toString()).toBe('0.0125302');
    expect(invocations.meanUsd.toString()).toBe('0.00313255');
    expect(invocations.p50Usd.toString()).toBe('0.0031');
    expect(invocations.p95Usd.toString()).toBe('0.00627');
    expect(invocations.maxUsd.toString()).toBe('0.00627');
  });

  it('matches the call costs with the invocation totals', () => {
    expect(report.totalCostUsd.equals(report.invocations.totalUsd)).toBe(true);
  });

  it('counts fallbacks by operation and reason', () => {
    expect(report.fallbacks).toEqual([{ operation: 'categorize', reason: 'budget', count: 1 }]);
  });

  it('skips lines that are not Financy EMF documents', () => {
    // 17 AI data points and UpdatesProcessed are Financy EMF documents. The log line, the text and the
    // other namespace's document are not.
    expect(report.lines).toBe(21);
    expect(report.emfDocuments).toBe(18);
  });

  it('reads a metric value given as an array', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: 0,
        CloudWatchMetrics: [
          {
            Namespace: 'Financy',
            Dimensions: [['service']],
            Metrics: [{ Name: METRICS.aiInvocationCostUsd, Unit: 'None' }],
          },
        ],
      },
      service: 'message-processor',
      [METRICS.aiInvocationCostUsd]: [0.001, 0.002],
    });

    const summary = summarizeEmfLines([line]).invocations;

    expect(summary.count).toBe(2);
    expect(summary.totalUsd.toString()).toBe('0.003');
  });

  it('reports zeros for a log without AI metrics', () => {
    const empty = summarizeEmfLines(['{"level":"INFO"}']);

    expect(empty.byOperationAndModel).toEqual([]);
    expect(empty.invocations.count).toBe(0);
    expect(empty.invocations.meanUsd.isZero()).toBe(true);
  });
});

describe('formatCostReport', () => {
  it('prints a table row per operation and model', () => {
    const text = formatCostReport(summarizeEmfLines(writeLog()));

    expect(text).toContain('| categorize | openai | gpt-4o-mini | 2 | 2012 | 214 | 0 | 0 | $0.0004302 |');
    expect(text).toContain('| 4 | $0.0125302 | $0.0031326 | $0.0031000 | $0.0062700 | $0.0062700 |');
    expect(text).toContain('| categorize | budget | 1 |');
  });
});

describe('costReportToJson', () => {
  it('turns amounts into decimal strings', () => {
    const json = costReportToJson(summarizeEmfLines(writeLog())) as { invocations: { totalUsd: unknown } };

    expect(json.invocations.totalUsd).toBe('0.0125302');
  });
});

describe('findNewestLocalLog', () => {
  it('picks the most recently written functions.log', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'financy-report-'));
    try {
      const older = path.join(directory, 'financy-local-older', 'functions.log');
      const newer = path.join(directory, 'financy-local-newer', 'functions.log');
      fs.mkdirSync(path.join(directory, 'financy-local-empty'));
      for (const [file, epochSeconds] of [
        [older, 1_000],
        [newer, 2_000],
      ] as const) {
        fs.mkdirSync(path.dirname(file));
        fs.writeFileSync(file, '');
        fs.utimesSync(file, epochSeconds, epochSeconds);
      }

      expect(findNewestLocalLog(directory)).toBe(newer);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('returns undefined without a local log', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'financy-report-'));
    try {
      expect(findNewestLocalLog(directory)).toBeUndefined();
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('npm run cost-report', () => {
  let directory: string;
  let logFile: string;

  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'financy-report-'));
    logFile = path.join(directory, 'functions.log');
    fs.writeFileSync(logFile, `${writeLog().join('\n')}\n`);
  });

  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  function run(...args: string[]) {
    return spawnSync(TSX, ['scripts/cost-report.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it('prints the tables for a log file', () => {
    const result = run(logFile);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Log: ${logFile}`);
    expect(result.stdout).toContain(
      '| transcribe | openai | whisper-1 | 1 | 0 | 0 | 30.2 | 0 | $0.0031000 |',
    );
  });

  it('prints JSON with --json', () => {
    const result = run(logFile, '--json');
    const json = JSON.parse(result.stdout) as {
      file: string;
      totalCostUsd: string;
      invocations: { count: number };
    };

    expect(json.file).toBe(logFile);
    expect(json.totalCostUsd).toBe('0.0125302');
    expect(json.invocations.count).toBe(4);
  });

  it('exits 2 for a missing file', () => {
    const result = run(path.join(directory, 'missing.log'));

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cost-report: ENOENT');
  });
});
