import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParseContext } from '../../lib/parsing/types';
import { localWallClockToInstant } from '../../lib/parsing/wall-clock';

/** Folder of the hard-case inputs that sits next to the repository checkout. */
const HARD_CASE_INPUTS = resolve(__dirname, '../../../shared/cases/inputs');

/** Reads a hard-case text input, one message per line, without the trailing empty line. */
export function readInputLines(fileName: string): string[] {
  return readFileSync(resolve(HARD_CASE_INPUTS, fileName), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

/** Reads the `text` of a Telegram update stored as JSON. */
export function readTelegramUpdate(fileName: string): {
  text: string;
  entities: Array<{ offset: number; length: number }>;
} {
  const update = JSON.parse(readFileSync(resolve(HARD_CASE_INPUTS, fileName), 'utf8'));
  return { text: update.message.text, entities: update.message.entities ?? [] };
}

/**
 * Builds a parse context from local wall-clock time. The default is Wednesday 2026-03-18 at noon in Lisbon.
 */
export function contextFor(
  homeCurrency: string,
  localTime = '2026-03-18T12:00:00',
  timeZone = 'Europe/Lisbon',
): ParseContext {
  return { referenceTime: localWallClockToInstant(localTime, timeZone), timeZone, homeCurrency };
}
