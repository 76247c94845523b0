import { format } from 'node:util';
import { BasePartialBatchProcessor } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MetricsSink } from '../../lib/observability/metric-names';
import { PowertoolsMetricsSink } from '../../lib/observability/powertools-metrics';
import { type FakeSegment, FakeTracer } from '../unit/observability/fake-tracer';
import { CapturingLogger } from './capturing-logger';
import type { CapturedItem, CapturedKind } from './leak-planted';

/** Source of output that cannot be attributed to one function, such as a stray `console.log`. */
export const UNATTRIBUTED = 'process';

/** The console methods that the capture replaces while it listens. */
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Collects everything that the functions emit, attributed to a function: log lines, EMF lines and the
 * metric data points in them, traces, errors, responses and process output. Items are kept as text, so a
 * search for planted values covers error stacks and nested fields as well.
 */
export class LeakCapture {
  readonly #items: CapturedItem[] = [];
  readonly #logLines = new Map<string, string[]>();
  readonly #tracers: { source: string; tracer: LeakTracer }[] = [];
  readonly #restores: (() => void)[] = [];

  /** Adds one item. */
  add(source: string, kind: CapturedKind, text: string): void {
    this.#items.push({ source, kind, text });
  }

  /** Returns a Powertools logger at DEBUG whose every line is captured for `source`. */
  logger(source: string): Logger {
    const lines = this.#logLines.get(source) ?? [];
    this.#logLines.set(source, lines);

    return new CapturingLogger(source, lines);
  }

  /**
   * Returns the Powertools metrics sink of `source`, which writes its EMF lines into the capture, so the
   * documents are serialized as in Lambda.
   */
  metrics(source: string): MetricsSink {
    return new PowertoolsMetricsSink({ serviceName: source, writeLine: (line) => this.addEmfLine(line) });
  }

  /**
   * Adds an EMF line and one metric data point per metric in it, attributed to the document's `service`
   * dimension.
   */
  addEmfLine(line: string): void {
    let document: Record<string, unknown>;
    try {
      document = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.add(UNATTRIBUTED, 'EMF line', line);
      return;
    }

    const source = typeof document.service === 'string' ? document.service : UNATTRIBUTED;
    this.add(source, 'EMF line', line);
    for (const point of dataPointsOf(document)) {
      this.add(source, 'metric data point', point);
    }
  }

  /** Returns a fake tracer for `source` that records segments and the errors that reach the trace. */
  tracer(source: string): LeakTracer {
    const tracer = new LeakTracer(source, (error) =>
      this.add(source, 'trace error', describeErrorFully(error)),
    );
    this.#tracers.push({ source, tracer });

    return tracer;
  }

  /** Adds an error with its name, message, stack, extra fields and causes. */
  addError(source: string, error: unknown): void {
    this.add(source, 'error', describeErrorFully(error));
  }

  /**
   * Captures the errors of failed SQS records in the processor and the notification sender. Both use a
   * Powertools batch processor, whose `failureHandler` receives each record's error. A record from a FIFO
   * queue is the processor's, because the notification queue is a standard queue.
   */
  captureBatchFailures(): void {
    const prototype = BasePartialBatchProcessor.prototype;
    const original = prototype.failureHandler;
    const ownBefore = Object.hasOwn(prototype, 'failureHandler');
    const capture = this;
    prototype.failureHandler = function failureHandler(this: BasePartialBatchProcessor, record, error) {
      const arn = (record as { eventSourceARN?: string }).eventSourceARN ?? '';
      capture.addError(arn.endsWith('.fifo') ? 'message-processor' : 'notification-sender', error);
      return original.call(this, record, error);
    };
    this.#restores.push(() => {
      if (ownBefore) {
        prototype.failureHandler = original;
      } else {
        delete (prototype as Partial<BasePartialBatchProcessor>).failureHandler;
      }
    });
  }

  /**
   * Replaces `process.stdout.write`, `process.stderr.write` and the console methods with recorders until
   * {@link restore}. A JSON log line or EMF line on stdout is attributed to its `service`, and other output
   * to {@link UNATTRIBUTED}.
   */
  captureProcessOutput(): void {
    for (const [stream, kind] of [
      [process.stdout, 'stdout write'],
      [process.stderr, 'stderr write'],
    ] as const) {
      const spy = jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
        this.#addProcessOutput(
          kind,
          typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(),
        );
        return true;
      });
      this.#restores.push(() => spy.mockRestore());
    }
    for (const method of CONSOLE_METHODS) {
      const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        this.add(UNATTRIBUTED, 'console call', format(...args));
      });
      this.#restores.push(() => spy.mockRestore());
    }
  }

  /** Puts back everything that the capture replaced. */
  restore(): void {
    for (const restore of this.#restores.splice(0).reverse()) {
      restore();
    }
  }

  /** Returns every captured item, the log lines and the traces recorded so far included. */
  items(): CapturedItem[] {
    const items = [...this.#items];
    for (const [source, lines] of this.#logLines) {
      items.push(...lines.map((text) => ({ source, kind: 'log line' as const, text })));
    }
    for (const { source, tracer } of this.#tracers) {
      items.push(...traceItemsOf(source, tracer.root));
    }

    return items;
  }

  #addProcessOutput(kind: 'stdout write' | 'stderr write', text: string): void {
    for (const line of text.split('\n').filter((candidate) => candidate.trim() !== '')) {
      const service = serviceOf(line);
      if (service === undefined) {
        this.add(UNATTRIBUTED, kind, line);
      } else if (line.includes('"_aws"')) {
        this.addEmfLine(line);
      } else {
        this.add(service, 'log line', line);
      }
    }
  }
}

/**
 * A {@link FakeTracer} that also reports every error that reaches the trace through `addErrorAsMetadata`,
 * which the Powertools middleware calls when a handler throws. X-Ray stores such an error with its stack.
 */
export class LeakTracer extends FakeTracer {
  readonly #onError: (error: unknown) => void;

  constructor(serviceName: string, onError: (error: unknown) => void) {
    super(serviceName);
    this.#onError = onError;
  }

  override addErrorAsMetadata(error: Error, remote?: boolean): void {
    this.#onError(error);
    super.addErrorAsMetadata(error, remote);
  }
}

/** Returns the `service` of a JSON log or EMF line, or `undefined` for other text. */
function serviceOf(line: string): string | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    const service = (value as { service?: unknown } | null)?.service;
    return typeof service === 'string' ? service : undefined;
  } catch {
    return undefined;
  }
}

/** Returns one text per metric of an EMF document: its name, value and dimensions. */
function dataPointsOf(document: Record<string, unknown>): string[] {
  const directives =
    (document._aws as { CloudWatchMetrics?: { Dimensions?: string[][]; Metrics?: { Name: string }[] }[] })
      ?.CloudWatchMetrics ?? [];
  const points: string[] = [];
  for (const directive of directives) {
    const dimensionNames = [...new Set((directive.Dimensions ?? []).flat())];
    const dimensions = Object.fromEntries(dimensionNames.map((name) => [name, document[name]]));
    for (const metric of directive.Metrics ?? []) {
      points.push(JSON.stringify({ name: metric.Name, value: document[metric.Name], dimensions }));
    }
  }

  return points;
}

/** Returns an annotation item per annotation and a subsegment item per segment below the facade. */
function traceItemsOf(source: string, root: FakeSegment): CapturedItem[] {
  const items: CapturedItem[] = [];
  for (const segment of root.all()) {
    for (const [key, value] of Object.entries(segment.annotations)) {
      items.push({ source, kind: 'trace annotation', text: `${key}=${String(value)}` });
    }
    if (segment === root) {
      continue;
    }
    const { name, metadata, attributes, flags, errors } = segment;
    items.push({
      source,
      kind: 'trace subsegment',
      text: JSON.stringify({ name, metadata, attributes, flags, errors }),
    });
  }

  return items;
}

/** Describes an error as fully as a log or a trace could: every own field, the stack and each cause. */
export function describeErrorFully(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) {
    return typeof error === 'string' ? error : format('%o', error);
  }

  const fields: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(error)) {
    if (key !== 'stack' && key !== 'message' && key !== 'cause') {
      fields[key] = (error as unknown as Record<string, unknown>)[key];
    }
  }
  const parts = [`${error.name}: ${error.message}`, error.stack ?? '', format('%o', fields)];
  if (error.cause !== undefined && depth < 5) {
    parts.push(`caused by ${describeErrorFully(error.cause, depth + 1)}`);
  }
  if (error instanceof AggregateError) {
    parts.push(...error.errors.map((inner) => `including ${describeErrorFully(inner, depth + 1)}`));
  }

  return parts.join('\n');
}

/** Counts of captured items per source and kind, for the printed summary. */
export function countItems(items: readonly CapturedItem[]): Map<string, Map<CapturedKind, number>> {
  const counts = new Map<string, Map<CapturedKind, number>>();
  for (const item of items) {
    const perKind = counts.get(item.source) ?? new Map<CapturedKind, number>();
    perKind.set(item.kind, (perKind.get(item.kind) ?? 0) + 1);
    counts.set(item.source, perKind);
  }

  return counts;
}

/**
 * Returns the counts in `after` minus those in `before`: the items captured in between. Sources with no
 * new item are left out.
 */
export function subtractCounts(
  after: ReadonlyMap<string, ReadonlyMap<CapturedKind, number>>,
  before: ReadonlyMap<string, ReadonlyMap<CapturedKind, number>>,
): Map<string, Map<CapturedKind, number>> {
  const difference = new Map<string, Map<CapturedKind, number>>();
  for (const [source, perKind] of after) {
    const added = new Map<CapturedKind, number>();
    for (const [kind, count] of perKind) {
      const newItems = count - (before.get(source)?.get(kind) ?? 0);
      if (newItems > 0) {
        added.set(kind, newItems);
      }
    }
    if (added.size > 0) {
      difference.set(source, added);
    }
  }

  return difference;
}

/**
 * Formats the counts as a table with a row per source, `sources` first and in their order, and a column
 * per kind, for the test's printed summary. `counts` is a list of captured items or counts from
 * {@link countItems}.
 */
export function formatCounts(
  counts: readonly CapturedItem[] | ReadonlyMap<string, ReadonlyMap<CapturedKind, number>>,
  sources: readonly string[],
  kinds: readonly CapturedKind[],
): string {
  const perSource = Array.isArray(counts)
    ? countItems(counts as readonly CapturedItem[])
    : (counts as ReadonlyMap<string, ReadonlyMap<CapturedKind, number>>);
  const allSources = [...new Set([...sources, ...[...perSource.keys()].sort()])];
  const countOf = (source: string, kind: CapturedKind) => perSource.get(source)?.get(kind) ?? 0;
  const header = ['source', ...kinds];
  const rows = allSources.map((source) => [source, ...kinds.map((kind) => String(countOf(source, kind)))]);
  const totals = [
    'total',
    ...kinds.map((kind) => String(allSources.reduce((sum, source) => sum + countOf(source, kind), 0))),
  ];
  const table = [header, ...rows, totals];
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));

  return table
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
