/**
 * Telegram text helpers: escaping for the parse modes, callback_data limits, and re-exports of the
 * message splitting API.
 */
import type { InlineKeyboardMarkup } from '@grammyjs/types';
import { CallbackDataTooLongError, MAX_CALLBACK_DATA_BYTES } from './errors';

export { splitsSurrogatePair } from './markup-scan';
export { MAX_MESSAGE_LENGTH, splitMessage } from './split-message';

/** Formatting modes that the helpers here understand. */
export type ParseMode = 'HTML' | 'MarkdownV2';

/** Escapes every character that MarkdownV2 reserves outside entities, so `3.50` becomes `3\.50`. */
export function escapeMarkdownV2(text: string): string {
  return text.replace(/[\\_*[\]()~`>#+\-=|{}.!]/g, '\\$&');
}

/** Escapes `&`, `<` and `>` for HTML text content. Attribute values also need `"` escaped as `&quot;`. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Checks an inline button's `callback_data` against Telegram's limit.
 * @throws CallbackDataTooLongError when `data` is longer than 64 bytes in UTF-8.
 */
export function assertCallbackData(data: string): void {
  const byteLength = Buffer.byteLength(data, 'utf8');
  if (byteLength > MAX_CALLBACK_DATA_BYTES) {
    throw new CallbackDataTooLongError(data, byteLength);
  }
}

/**
 * Checks the callback_data of every button when `markup` is an inline keyboard.
 * @throws CallbackDataTooLongError for the first button whose data is longer than 64 bytes.
 */
export function assertReplyMarkupData(markup: InlineKeyboardMarkup | object | undefined): void {
  if (markup === undefined || !('inline_keyboard' in markup)) {
    return;
  }

  for (const button of markup.inline_keyboard.flat()) {
    if ('callback_data' in button && typeof button.callback_data === 'string') {
      assertCallbackData(button.callback_data);
    }
  }
}
