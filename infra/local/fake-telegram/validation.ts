import type { InlineKeyboardMarkup, MessageEntity } from '@grammyjs/types';
import { badRequest } from './api-error';
import { parseHtml } from './html';
import { type ParsedText, parseMarkdown, parseMarkdownV2 } from './markdown';

/** Request parameters. Query and form values arrive as strings, JSON values keep their types. */
export type Params = Record<string, unknown>;

/** Maximum text length after entity parsing, per the sendMessage docs ("1-4096 characters"). */
export const MAX_TEXT_LENGTH = 4096;

/** Maximum callback_data length in UTF-8 bytes, per the InlineKeyboardButton docs. */
export const MAX_CALLBACK_DATA_BYTES = 64;

/** Inline button fields of which a button must have exactly one, per the InlineKeyboardButton docs. */
const BUTTON_ACTIONS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

/** Reads a string parameter. Numbers are accepted as their decimal text. */
export function readString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string') {
    return value;
  }

  return typeof value === 'number' ? String(value) : undefined;
}

/** Reads an integer parameter from a number or a decimal string. Returns `undefined` when absent or invalid. */
export function readInteger(params: Params, name: string): number | undefined {
  const value = params[name];
  const parsed = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof parsed === 'number' && Number.isSafeInteger(parsed) ? parsed : undefined;
}

/** Reads a boolean parameter: `true`, `"true"` and `"1"` are true. */
export function readBoolean(params: Params, name: string): boolean {
  const value = params[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Reads a JSON-serialized parameter, which form requests send as a string and JSON requests may inline. */
export function readJson(params: Params, name: string, invalid: string): unknown {
  const value = params[name];
  if (typeof value !== 'string') {
    return value;
  }

  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw badRequest(invalid);
  }
}

/** Reads `allowed_updates`: `undefined` keeps the previous setting. */
export function readAllowedUpdates(params: Params): string[] | undefined {
  const value = readJson(params, 'allowed_updates', "can't parse allowed_updates JSON array");
  if (value === undefined || value === null || value === '') {
    return undefined;
  }

  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw badRequest("can't parse allowed_updates JSON array");
  }

  return value as string[];
}

/**
 * Reads `text`, `parse_mode` and `entities` and returns the text as Telegram stores it.
 * @throws FakeApiError 400 for empty or too long text, an unknown parse mode, or unparsable markup.
 */
export function readFormattedText(params: Params): ParsedText {
  const source = readString(params, 'text') ?? '';
  const parseMode = (readString(params, 'parse_mode') ?? '').toLowerCase();

  let parsed: ParsedText;
  if (parseMode === '') {
    const entities = readJson(params, 'entities', "can't parse entities JSON object");
    parsed = { text: source, entities: Array.isArray(entities) ? (entities as MessageEntity[]) : [] };
  } else if (parseMode === 'markdownv2') {
    parsed = parseMarkdownV2(source);
  } else if (parseMode === 'markdown') {
    parsed = parseMarkdown(source);
  } else if (parseMode === 'html') {
    parsed = parseHtml(source);
  } else {
    throw badRequest('unsupported parse_mode');
  }

  if (parsed.text.trim() === '') {
    throw badRequest('message text is empty');
  }

  // NOTE: this counts UTF-16 code units. If Telegram counts code points, the fake is stricter for emoji.
  if (parsed.text.length > MAX_TEXT_LENGTH) {
    throw badRequest('message is too long');
  }

  return parsed;
}

/**
 * Reads `reply_markup`. Returns the inline keyboard, which Telegram echoes in the sent message,
 * or `undefined` for no markup and for reply keyboards, which it does not echo.
 * @throws FakeApiError 400 for invalid JSON, an invalid keyboard shape or invalid buttons.
 */
export function readInlineKeyboard(params: Params): InlineKeyboardMarkup | undefined {
  const markup = readJson(params, 'reply_markup', "can't parse reply keyboard markup JSON object");
  if (markup === undefined || markup === null || markup === '') {
    return undefined;
  }

  if (typeof markup !== 'object') {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }

  if (!('inline_keyboard' in markup)) {
    return undefined;
  }

  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  }

  for (const row of rows as unknown[][]) {
    for (const button of row) {
      validateInlineButton(button);
    }
  }

  return { inline_keyboard: rows } as InlineKeyboardMarkup;
}

function validateInlineButton(button: unknown): void {
  if (typeof button !== 'object' || button === null) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }

  const fields = button as Record<string, unknown>;
  if (typeof fields.text !== 'string') {
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  }

  if (!BUTTON_ACTIONS.some((action) => action in fields)) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }

  if ('callback_data' in fields) {
    const data = fields.callback_data;
    const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : 0;
    if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) {
      throw badRequest('BUTTON_DATA_INVALID');
    }
  }
}
