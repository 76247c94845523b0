/** A half-open range `[start, end)` of UTF-16 code units in a message, the unit of JS string indexes. */
export interface Span {
  start: number;
  end: number;
}

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/giu;

/**
 * Finds URLs and e-mail addresses, whose digits must never be read as amounts.
 * Offsets are UTF-16 code units, so they match Telegram entity offsets.
 */
export function findUrlSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    spans.push({ start: match.index, end: match.index + match[0].length });
  }

  return spans;
}

/**
 * Replaces each span with `fill` repeated to the same UTF-16 length, so every later offset still points
 * at the same character of the original text.
 */
export function maskSpans(text: string, spans: readonly Span[], fill = ' '): string {
  if (spans.length === 0) {
    return text;
  }

  const sorted = [...spans].sort((left, right) => left.start - right.start);
  let masked = '';
  let cursor = 0;
  for (const span of sorted) {
    const start = Math.max(span.start, cursor);
    if (span.end <= start) {
      continue;
    }

    masked += text.slice(cursor, start) + fill.repeat(span.end - start);
    cursor = span.end;
  }

  return masked + text.slice(cursor);
}

/** Returns true when two spans share at least one code unit. */
export function spansOverlap(left: Span, right: Span): boolean {
  return left.start < right.end && right.start < left.end;
}
