/**
 * Column layouts: OCR of a two-column receipt often yields every label first and the amounts in a later
 * block. A run of label-only lines followed by a run of amount-only lines is paired in order, aligned on the
 * last labels (header lines above the items keep no amount). A single label followed by a single amount is a
 * line that OCR broke in two.
 */

/** What the layout step needs to know about each line. */
export interface LayoutLine {
  /** Letters but no amount. */
  labelOnly: boolean;
  /** An amount and nothing else but a currency marker or a one-letter tax code. */
  amountOnly: boolean;
  blank: boolean;
}

/** The result of pairing: for each amount-only line that was moved, the label line it belongs to. */
export interface ColumnPairing {
  /** Amount-only line index → label line index. */
  pairs: Map<number, number>;
  /** True when a block of labels and a block of amounts had different lengths. */
  uneven: boolean;
}

function collectRun(
  lines: readonly LayoutLine[],
  start: number,
  wanted: (line: LayoutLine) => boolean,
): number[] {
  const run: number[] = [];
  let index = start;
  while (index < lines.length) {
    const line = lines[index]!;
    if (line.blank) {
      index += 1;
      continue;
    }

    if (!wanted(line)) {
      break;
    }

    run.push(index);
    index += 1;
  }

  return run;
}

/** Pairs label blocks with the amount blocks that follow them. */
export function pairColumns(lines: readonly LayoutLine[]): ColumnPairing {
  const pairs = new Map<number, number>();
  let uneven = false;
  let index = 0;
  while (index < lines.length) {
    if (!lines[index]!.labelOnly) {
      index += 1;
      continue;
    }

    const labels = collectRun(lines, index, (line) => line.labelOnly);
    const afterLabels = labels.at(-1)! + 1;
    const amounts = collectRun(lines, afterLabels, (line) => line.amountOnly);
    if (amounts.length === 0) {
      index = afterLabels;
      continue;
    }

    const count = Math.min(labels.length, amounts.length);
    uneven ||= amounts.length > labels.length;
    const pairedLabels = amounts.length > labels.length ? labels : labels.slice(labels.length - count);
    for (let offset = 0; offset < count; offset += 1) {
      pairs.set(amounts[offset]!, pairedLabels[offset]!);
    }

    index = amounts.at(-1)! + 1;
  }

  return { pairs, uneven };
}
