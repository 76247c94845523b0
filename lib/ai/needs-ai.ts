import type { ParseFlag } from '../parsing/flags';
import type { ParseResult } from '../parsing/types';
import { SAVE_THRESHOLD } from '../processor/proposal';

// Flags with which the parser has settled that the message is not a transaction (a greeting, a question,
// a phone number, …). A model cannot find an amount that the text does not contain, so these stay local.
const SETTLED_NOT_A_TRANSACTION: ReadonlySet<ParseFlag> = new Set<ParseFlag>([
  'question',
  'greeting',
  'time',
  'phone-number',
  'reference-number',
  'date-only',
  'year-only',
  'measurement',
  'not-a-transaction',
]);

/**
 * Decides whether a message goes to OpenAI after the local parser read it: when the parser's confidence is
 * at or below the save threshold (0.7), when no category matched (`unknown-category`), or when it found
 * several amounts (`multiple-amounts`). A message that the parser saves directly never goes to OpenAI, and
 * neither does one that it settled as not being a transaction.
 */
export function needsAi(localParse: ParseResult): boolean {
  const flags = localParse.flags as readonly string[];
  if (localParse.kind === 'none' && flags.some((flag) => SETTLED_NOT_A_TRANSACTION.has(flag as ParseFlag))) {
    return false;
  }

  return (
    localParse.confidence <= SAVE_THRESHOLD ||
    flags.includes('unknown-category') ||
    flags.includes('multiple-amounts') ||
    localParse.category === null
  );
}
