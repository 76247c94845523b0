import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { METRIC_NAMESPACE, METRICS } from '../observability/metric-names';

/** AI use and cost of one operation and model, added up over the log. */
export interface OperationModelCost {
  operation: string;
  provider: string;
  model: string;
  /** Calls with a cost data point. */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  audioSeconds: number;
  images: number;
  costUsd: Decimal;
}

/** Distribution of the per-invocation totals (`AiInvocationCostUsd`), in US dollars. */
export interface InvocationCostSummary {
  count: number;
  totalUsd: Decimal;
  meanUsd: Decimal;
  p50Usd: Decimal;
  p95Usd: Decimal;
  maxUsd: Decimal;
}

/** Fallbacks to the local parser or offline OCR, by operation and reason. */
export interface FallbackCount {
  operation: string;
  reason: string;
  count: number;
}

/** Summary of the AI metrics in a log of EMF lines. */
export interface CostReport {
  /** Rows sorted by operation, then provider and model. */
  byOperationAndModel: OperationModelCost[];
  invocations: InvocationCostSummary;
  fallbacks: FallbackCount[];
  /** Sum of every `AiCostUsd` data point. */
  totalCostUsd: Decimal;
  /** Lines read, EMF or not. */
  lines: number;
  /** EMF documents in the {@link METRIC_NAMESPACE} namespace. */
  emfDocuments: number;
}

interface EmfDocument {
  _aws?: { CloudWatchMetrics?: { Namespace?: string; Metrics?: { Name?: string }[] }[] };
  [key: string]: unknown;
}

const USAGE_FIELDS = {
  [METRICS.aiInputTokens]: 'inputTokens',
  [METRICS.aiOutputTokens]: 'outputTokens',
  [METRICS.aiAudioSeconds]: 'audioSeconds',
  [METRICS.aiImages]: 'images',
} as const satisfies Record<string, keyof OperationModelCost>;

/**
 * Adds up the AI metrics of EMF lines, as the local stack writes them to its log file: cost and use by
 * operation and model, the per-invocation totals and the fallbacks. Lines that are not JSON, or not EMF
 * documents of the Financy namespace, are skipped.
 */
export function summarizeEmfLines(lines: Iterable<string>): CostReport {
  const rows = new Map<string, OperationModelCost>();
  const fallbacks = new Map<string, FallbackCount>();
  const invocationTotals: Decimal[] = [];
  let totalCostUsd = new Decimal(0);
  let lineCount = 0;
  let emfDocuments = 0;

  for (const line of lines) {
    lineCount += 1;
    const document = parseEmfDocument(line);
    if (document === undefined) {
      continue;
    }
    emfDocuments += 1;

    for (const name of metricNamesOf(document)) {
      const values = valuesOf(document[name]);
      if (name === METRICS.aiInvocationCostUsd) {
        invocationTotals.push(...values.map((value) => new Decimal(value)));
        continue;
      }
      if (name === METRICS.aiFallbacks) {
        const fallback = entryOf(fallbacks, `${document.operation}\u0000${document.reason}`, () => ({
          operation: String(document.operation),
          reason: String(document.reason),
          count: 0,
        }));
        fallback.count += values.reduce((sum, value) => sum + value, 0);
        continue;
      }
      if (name !== METRICS.aiCostUsd && !(name in USAGE_FIELDS)) {
        continue;
      }

      const row = entryOf(
        rows,
        `${document.operation}\u0000${document.provider}\u0000${document.model}`,
        () => emptyRow(document),
      );
      if (name === METRICS.aiCostUsd) {
        row.calls += values.length;
        for (const value of values) {
          row.costUsd = row.costUsd.add(value);
          totalCostUsd = totalCostUsd.add(value);
        }
        continue;
      }

      const field = USAGE_FIELDS[name as keyof typeof USAGE_FIELDS];
      row[field] += values.reduce((sum, value) => sum + value, 0);
    }
  }

  return {
    byOperationAndModel: [...rows.values()].sort((left, right) =>
      `${left.operation} ${left.provider} ${left.model}`.localeCompare(
        `${right.operation} ${right.provider} ${right.model}`,
      ),
    ),
    invocations: summarizeInvocations(invocationTotals),
    fallbacks: [...fallbacks.values()].sort((left, right) =>
      `${left.operation} ${left.reason}`.localeCompare(`${right.operation} ${right.reason}`),
    ),
    totalCostUsd,
    lines: lineCount,
    emfDocuments,
  };
}

/** Formats a report as markdown tables, with US dollar amounts to 7 decimals (a tenth of a micro-dollar). */
export function formatCostReport(report: CostReport): string {
  const usd = (amount: Decimal) => `$${amount.toFixed(7)}`;
  const lines = [
    `AI cost from ${report.emfDocuments} EMF documents in ${report.lines} lines: ${usd(report.totalCostUsd)}`,
    '',
    '| operation | provider | model | calls | input tokens | output tokens | audio s | images | cost (USD) |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of report.byOperationAndModel) {
    lines.push(
      `| ${row.operation} | ${row.provider} | ${row.model} | ${row.calls} | ${row.inputTokens} | ` +
        `${row.outputTokens} | ${row.audioSeconds} | ${row.images} | ${usd(row.costUsd)} |`,
    );
  }

  const invocations = report.invocations;
  lines.push(
    '',
    '| invocations | total (USD) | mean | p50 | p95 | max |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${invocations.count} | ${usd(invocations.totalUsd)} | ${usd(invocations.meanUsd)} | ` +
      `${usd(invocations.p50Usd)} | ${usd(invocations.p95Usd)} | ${usd(invocations.maxUsd)} |`,
  );

  if (report.fallbacks.length > 0) {
    lines.push('', '| fallback operation | reason | count |', '|---|---|---:|');
    for (const fallback of report.fallbacks) {
      lines.push(`| ${fallback.operation} | ${fallback.reason} | ${fallback.count} |`);
    }
  }

  return lines.join('\n');
}

/**
 * Converts a report to plain JSON. Amounts in US dollars become decimal strings, so that no float
 * rounding enters them.
 */
export function costReportToJson(report: CostReport): unknown {
  return JSON.parse(
    JSON.stringify(report, (_key, value: unknown) => (Decimal.isDecimal(value) ? value.toString() : value)),
  );
}

/**
 * Returns the newest `functions.log` that `npm start` wrote without `--log-file`, in a `financy-local-*`
 * folder of the temporary directory, or `undefined` when there is none.
 */
export function findNewestLocalLog(directory: string = tmpdir()): string | undefined {
  let newest: { file: string; modifiedMs: number } | undefined;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('financy-local-')) {
      continue;
    }

    const file = path.join(directory, entry.name, 'functions.log');
    let modifiedMs: number;
    try {
      modifiedMs = statSync(file).mtimeMs;
    } catch {
      continue;
    }
    if (newest === undefined || modifiedMs > newest.modifiedMs) {
      newest = { file, modifiedMs };
    }
  }

  return newest?.file;
}

function parseEmfDocument(line: string): EmfDocument | undefined {
  if (!line.trimStart().startsWith('{')) {
    return undefined;
  }

  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch {
    return undefined;
  }
  const directives = (document as EmfDocument)._aws?.CloudWatchMetrics;
  if (
    !Array.isArray(directives) ||
    !directives.some((directive) => directive.Namespace === METRIC_NAMESPACE)
  ) {
    return undefined;
  }

  return document as EmfDocument;
}

function metricNamesOf(document: EmfDocument): string[] {
  return (document._aws?.CloudWatchMetrics ?? [])
    .filter((directive) => directive.Namespace === METRIC_NAMESPACE)
    .flatMap((directive) => directive.Metrics ?? [])
    .flatMap((metric) => (typeof metric.Name === 'string' ? [metric.Name] : []));
}

// EMF allows a metric's value to be a number or an array of numbers.
function valuesOf(value: unknown): number[] {
  const values = Array.isArray(value) ? value : [value];

  return values.filter((item): item is number => typeof item === 'number' && Number.isFinite(item));
}

function entryOf<T>(entries: Map<string, T>, key: string, create: () => T): T {
  let entry = entries.get(key);
  if (entry === undefined) {
    entry = create();
    entries.set(key, entry);
  }

  return entry;
}

function emptyRow(document: EmfDocument): OperationModelCost {
  return {
    operation: String(document.operation),
    provider: String(document.provider),
    model: String(document.model),
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    audioSeconds: 0,
    images: 0,
    costUsd: new Decimal(0),
  };
}

/** Summarizes totals with the nearest-rank percentile method; every amount is 0 when there are none. */
function summarizeInvocations(totals: Decimal[]): InvocationCostSummary {
  const sorted = [...totals].sort((left, right) => left.comparedTo(right));
  const totalUsd = sorted.reduce((sum, value) => sum.add(value), new Decimal(0));
  const rank = (percentile: number) =>
    sorted.length === 0
      ? new Decimal(0)
      : sorted[Math.min(sorted.length - 1, Math.ceil((percentile / 100) * sorted.length) - 1)]!;

  return {
    count: sorted.length,
    totalUsd,
    meanUsd: sorted.length === 0 ? new Decimal(0) : totalUsd.div(sorted.length),
    p50Usd: rank(50),
    p95Usd: rank(95),
    maxUsd: sorted.at(-1) ?? new Decimal(0),
  };
}
