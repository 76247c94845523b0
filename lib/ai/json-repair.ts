/**
 * Reads the JSON object in a model reply. Structured output normally returns bare JSON, but proxies and
 * older models wrap it in ``` fences or prose. Only these repairs are made: an outer fence is stripped, the
 * first balanced JSON value is taken out of surrounding prose, and a comma before `}` or `]` outside
 * strings is dropped. Anything else is rejected, never guessed.
 */

/** The repair that made the reply parse. */
export type JsonRepair = 'none' | 'fence' | 'extracted' | 'trailing-comma';

/** Outcome of {@link readJsonObject}. */
export type JsonReadResult =
  | { ok: true; value: Record<string, unknown>; repair: JsonRepair }
  | { ok: false; detail: string };

// An opening fence line (three backticks and an optional language tag) at the start, and a closing fence
// line at the end. Backticks inside a JSON string sit between them and stay.
const OUTER_FENCE = /^```[\w-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```\s*$/;

/** Parses the JSON object in `reply`, repairing only the cases the module describes. */
export function readJsonObject(reply: string): JsonReadResult {
  const text = reply.trim();
  const direct = parseObject(text);
  if (direct !== undefined) {
    return { ok: true, value: direct, repair: 'none' };
  }

  const fenced = OUTER_FENCE.exec(text)?.[1]?.trim();
  if (fenced !== undefined) {
    const value = parseObject(fenced) ?? parseObject(withoutTrailingCommas(fenced));
    return value === undefined
      ? {
          ok: false,
          detail: fenced === '' ? 'the fenced block is empty' : 'the fenced block is not a JSON object',
        }
      : { ok: true, value, repair: 'fence' };
  }

  const balanced = firstBalancedObject(text);
  if (balanced === undefined) {
    return { ok: false, detail: 'the reply contains no complete JSON object' };
  }
  const extracted = parseObject(balanced);
  if (extracted !== undefined) {
    return { ok: true, value: extracted, repair: 'extracted' };
  }
  const withoutCommas = parseObject(withoutTrailingCommas(balanced));

  return withoutCommas === undefined
    ? { ok: false, detail: 'the JSON object in the reply is malformed' }
    : { ok: true, value: withoutCommas, repair: 'trailing-comma' };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Returns the first `{ … }` whose braces balance, skipping braces inside JSON strings. */
function firstBalancedObject(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start === -1) {
    return undefined;
  }

  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (inString) {
      if (character === '\\') {
        index += 1;
      } else if (character === '"') {
        inString = false;
      }
      continue;
    }
    if (character === '"') {
      inString = true;
    } else if (character === '{') {
      depth += 1;
    } else if (character === '}') {
      depth -= 1;
      if (depth === 0) {
        return text.slice(start, index + 1);
      }
    }
  }

  return undefined;
}

/** Drops commas that only whitespace separates from a closing `}` or `]`, outside strings. */
function withoutTrailingCommas(text: string): string {
  let output = '';
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (inString) {
      output += character;
      if (character === '\\') {
        output += text[index + 1] ?? '';
        index += 1;
      } else if (character === '"') {
        inString = false;
      }
      continue;
    }
    if (character === '"') {
      inString = true;
    }
    if (character === ',' && /^\s*[}\]]/.test(text.slice(index + 1))) {
      continue;
    }
    output += character;
  }

  return output;
}
