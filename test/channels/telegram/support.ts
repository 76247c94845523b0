import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordedCall } from '../../../infra/local/fake-telegram/server';
import type { TelegramLogger } from '../../../lib/channels/telegram/api-client';

/** Directory of the recorded Telegram requests and responses that the tests replay. */
const CASES_DIRECTORY = path.join(__dirname, '../../../../shared/cases/inputs');

/** Reads one JSON fixture of recorded Bot API traffic by file name, for example `TG-11.json`. */
export function readCase<T>(fileName: string): T {
  return JSON.parse(readFileSync(path.join(CASES_DIRECTORY, fileName), 'utf8')) as T;
}

/** A logger whose calls the tests can inspect. */
export interface RecordingLogger extends TelegramLogger {
  entries: Array<{ level: string; message: string; extra?: Record<string, unknown> }>;
}

export function recordingLogger(): RecordingLogger {
  const entries: RecordingLogger['entries'] = [];
  const log = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    entries.push({ level, message, extra });
  };

  return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Returns the HTTP status of a recorded call, or the failure kind for timeouts and resets. */
export function statusOf(call: RecordedCall | undefined): number | string | undefined {
  if (call === undefined) {
    return undefined;
  }

  return typeof call.response === 'string' ? call.response : call.response.status;
}

/** Returns the `description` of a recorded error response. */
export function descriptionOf(call: RecordedCall | undefined): string | undefined {
  if (call === undefined || typeof call.response === 'string') {
    return undefined;
  }

  return (call.response.body as { description?: string }).description;
}

/** Runs `action` and returns what it threw; fails the test when it does not throw. */
export async function thrownBy(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }

  throw new Error('Expected the action to throw, but it resolved.');
}
