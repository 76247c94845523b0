/**
 * Command-line front end of the local message parser.
 *
 *   npm run --silent parse -- [--reference-time ISO] [--timezone TZ] [--home-currency CODE] "text"
 *   npm run --silent parse -- --jsonl FILE
 *
 * Prints one JSON object per message. Invalid arguments print an error on stderr and exit with code 2.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  InvalidParseContextError,
  InvalidTimeZoneError,
  InvalidWallClockTimeError,
} from '../lib/parsing/errors';
import { parseMessage } from '../lib/parsing/parse-message';
import type { ParseContext, ParseResult } from '../lib/parsing/types';
import { assertValidTimeZone, parseReferenceTime } from '../lib/parsing/wall-clock';

const USAGE = `Usage:
  npm run --silent parse -- [options] "message text"
  npm run --silent parse -- [options] --jsonl FILE

Options:
  --reference-time ISO   When the message was sent. With an offset (2026-03-18T12:00:00Z) it is that instant;
                         without one (2026-03-18T12:00:00) it is local time in --timezone. Default: now.
  --timezone TZ          IANA time zone of the user, for example Europe/Lisbon. Default: UTC.
  --home-currency CODE   ISO 4217 code used when the text names no currency. Default: USD.
  --jsonl FILE           Parse each line of FILE, a JSON object {"id","text","reference_time","timezone",
                         "home_currency"} where reference_time is local wall-clock time in that timezone.
                         Missing fields fall back to the options above. Prints one JSON line per input.
  --help                 Print this help.`;

/** Raised for command-line input that cannot be used; the script prints it and exits with code 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface Defaults {
  referenceTime: string | undefined;
  timeZone: string;
  homeCurrency: string;
}

/** Returns the printed fields in a fixed order, so that output diffs stay readable. */
function toRecord(result: ParseResult): Record<string, unknown> {
  const record: Record<string, unknown> = {
    kind: result.kind,
    amount: result.amount,
    currency: result.currency,
    date: result.date,
    merchant: result.merchant,
    description: result.description,
    category: result.category,
    confidence: result.confidence,
    flags: result.flags,
  };
  if (result.additional) {
    record.additional = result.additional;
  }

  if (result.original) {
    record.original = result.original;
  }

  return record;
}

function buildContext(
  referenceTime: string | undefined,
  timeZone: string,
  homeCurrency: string,
): ParseContext {
  assertValidTimeZone(timeZone);
  if (!/^[A-Za-z]{3}$/.test(homeCurrency)) {
    throw new UsageError(
      `Invalid home currency "${homeCurrency}": use a three-letter ISO 4217 code such as EUR.`,
    );
  }

  return {
    referenceTime: referenceTime === undefined ? new Date() : parseReferenceTime(referenceTime, timeZone),
    timeZone,
    homeCurrency: homeCurrency.toUpperCase(),
  };
}

function isContextError(error: unknown): error is Error {
  return (
    error instanceof UsageError ||
    error instanceof InvalidTimeZoneError ||
    error instanceof InvalidWallClockTimeError ||
    error instanceof InvalidParseContextError
  );
}

function optionalString(line: Record<string, unknown>, field: string): string | undefined {
  const value = line[field];
  if (value === undefined || value === null) {
    return undefined;
  }

  if (typeof value !== 'string') {
    throw new UsageError(`Field "${field}" must be a string, got ${JSON.stringify(value)}.`);
  }

  return value;
}

/** Parses one JSONL line into its output line; a bad line becomes `{"id", "error"}`. */
function parseJsonlLine(
  line: string,
  lineNumber: number,
  defaults: Defaults,
): { output: string; failed: boolean } {
  let id: unknown = null;
  try {
    const input: unknown = JSON.parse(line);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new UsageError('expected a JSON object');
    }

    const fields = input as Record<string, unknown>;
    id = fields.id ?? null;
    const text = optionalString(fields, 'text');
    if (text === undefined) {
      throw new UsageError('field "text" is missing');
    }

    const context = buildContext(
      optionalString(fields, 'reference_time') ?? defaults.referenceTime,
      optionalString(fields, 'timezone') ?? defaults.timeZone,
      optionalString(fields, 'home_currency') ?? defaults.homeCurrency,
    );
    return { output: JSON.stringify({ id, ...toRecord(parseMessage(text, context)) }), failed: false };
  } catch (error) {
    if (!(error instanceof SyntaxError) && !isContextError(error)) {
      throw error;
    }

    const message = `line ${lineNumber}: ${error.message}`;
    process.stderr.write(`parse: ${message}\n`);
    return { output: JSON.stringify({ id, error: message }), failed: true };
  }
}

function runJsonl(path: string, defaults: Defaults): number {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read --jsonl file "${path}": ${(error as Error).message}`);
  }

  let failures = 0;
  const lines = content.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') {
      continue;
    }

    const { output, failed } = parseJsonlLine(line, index + 1, defaults);
    process.stdout.write(`${output}\n`);
    failures += failed ? 1 : 0;
  }

  return failures > 0 ? 1 : 0;
}

// A reader that stops early, as in `parse --jsonl FILE | head`, closes the pipe: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') {
    process.exit(0);
  }
  throw error;
});

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'reference-time': { type: 'string' },
      timezone: { type: 'string', default: 'UTC' },
      'home-currency': { type: 'string', default: 'USD' },
      jsonl: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });

  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const defaults: Defaults = {
    referenceTime: values['reference-time'],
    timeZone: values.timezone,
    homeCurrency: values['home-currency'],
  };

  if (values.jsonl !== undefined) {
    if (positionals.length > 0) {
      throw new UsageError('Pass either message text or --jsonl FILE, not both.');
    }

    buildContext(defaults.referenceTime, defaults.timeZone, defaults.homeCurrency);
    return runJsonl(values.jsonl, defaults);
  }

  const text = positionals.join(' ');
  if (text.trim() === '') {
    throw new UsageError('Missing message text: pass it as the last argument, in quotes.');
  }

  const context = buildContext(defaults.referenceTime, defaults.timeZone, defaults.homeCurrency);
  process.stdout.write(`${JSON.stringify(toRecord(parseMessage(text, context)))}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  const isArgumentError =
    isContextError(error) ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  if (!isArgumentError) {
    throw error;
  }

  process.stderr.write(`parse: ${(error as Error).message}\nRun with --help for usage.\n`);
  process.exitCode = 2;
}
