/** Summary of timing samples in milliseconds. */
export interface TimingSummary {
  samples: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
}

/** Summarizes samples with the nearest-rank percentile method. */
export function summarize(samplesMs: number[]): TimingSummary {
  const sorted = [...samplesMs].sort((left, right) => left - right);
  const rank = (percentile: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((percentile / 100) * sorted.length) - 1)]!;

  return {
    samples: sorted.length,
    medianMs: rank(50),
    p95Ms: rank(95),
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

/** Formats milliseconds with three significant decimals. */
export function ms(value: number): string {
  return `${value.toFixed(3)} ms`;
}
