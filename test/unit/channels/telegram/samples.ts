import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Update } from '@grammyjs/types';

/** Folder of recorded Telegram webhook bodies, next to the repository checkout. */
const SAMPLES_DIRECTORY = path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'cases', 'inputs');

/** Sample files with webhook bodies: one update each, or several under `deliveries`. */
export const TELEGRAM_SAMPLE_FILES = ['TG-01', 'TG-02', 'TG-03', 'TG-04', 'TG-05', 'TG-06'] as const;

/** Reads the updates of one sample file, without its `_note`. */
export function readTelegramSample(name: (typeof TELEGRAM_SAMPLE_FILES)[number]): Update[] {
  const content = JSON.parse(readFileSync(path.join(SAMPLES_DIRECTORY, `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
  const updates = Array.isArray(content.deliveries) ? content.deliveries : [content];

  return updates.map((update) => {
    const { _note: _ignored, ...body } = update as Record<string, unknown>;
    return body as unknown as Update;
  });
}

/** Returns the sample update with `updateId`. */
export function sampleUpdate(updateId: number): Update {
  for (const name of TELEGRAM_SAMPLE_FILES) {
    const found = readTelegramSample(name).find((update) => update.update_id === updateId);
    if (found !== undefined) {
      return found;
    }
  }

  throw new Error(`No Telegram sample has update_id ${updateId}; check the files in ${SAMPLES_DIRECTORY}.`);
}

/** Returns every sample update as `[update_id, update type, update]`, for `it.each` tables. */
export function allTelegramSamples(): Array<[number, string, Update]> {
  return TELEGRAM_SAMPLE_FILES.flatMap((name) =>
    readTelegramSample(name).map((update): [number, string, Update] => [
      update.update_id,
      Object.keys(update).find((key) => key !== 'update_id') ?? 'none',
      update,
    ]),
  );
}

const ANA = { id: 11110001, is_bot: false, first_name: 'Ana', language_code: 'pt' };
const ANA_CHAT = { id: 11110001, type: 'private', first_name: 'Ana' };

/** Builds a private-chat text message update, with fields to override. */
export function messageUpdate(updateId: number, message: Record<string, unknown> = {}): Update {
  return {
    update_id: updateId,
    message: { message_id: 1, from: ANA, chat: ANA_CHAT, date: 1717400000, text: 'coffee 3.50', ...message },
  } as unknown as Update;
}
