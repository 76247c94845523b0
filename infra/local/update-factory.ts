import type { Update } from '@grammyjs/types';

/**
 * Builders of Telegram updates as Telegram sends them, for the terminal chat and for tests.
 */

/** A Telegram user writing to the bot in a private chat. */
export interface ChatUser {
  id: number;
  firstName: string;
  languageCode?: string;
}

/** The default user of tests. */
export const ANA: ChatUser = { id: 11110001, firstName: 'Ana', languageCode: 'en' };

let nextUpdateId = 700000000;
let nextMessageId = 1000;

/** Returns a fresh update id, unique within the process. */
export function newUpdateId(): number {
  nextUpdateId += 1;
  return nextUpdateId;
}

function from(user: ChatUser) {
  return { id: user.id, is_bot: false, first_name: user.firstName, language_code: user.languageCode };
}

/** Builds a private-chat text message update; `/commands` get a bot_command entity as Telegram adds one. */
export function textUpdate(
  text: string,
  overrides: { user?: ChatUser; updateId?: number; messageId?: number; date?: number } = {},
): Update {
  const user = overrides.user ?? ANA;
  const command = /^\/\w+/.exec(text);
  nextMessageId += 1;

  return {
    update_id: overrides.updateId ?? newUpdateId(),
    message: {
      message_id: overrides.messageId ?? nextMessageId,
      from: from(user),
      chat: { id: user.id, type: 'private', first_name: user.firstName },
      date: overrides.date ?? Math.floor(Date.now() / 1_000),
      text,
      ...(command === null
        ? {}
        : { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }),
    },
  } as Update;
}

/** Builds an edited_message update for an earlier message. */
export function editedUpdate(
  text: string,
  messageId: number,
  overrides: { user?: ChatUser; date?: number } = {},
): Update {
  const user = overrides.user ?? ANA;
  const date = overrides.date ?? Math.floor(Date.now() / 1_000) - 60;

  return {
    update_id: newUpdateId(),
    edited_message: {
      message_id: messageId,
      from: from(user),
      chat: { id: user.id, type: 'private', first_name: user.firstName },
      date,
      edit_date: date + 30,
      text,
    },
  } as Update;
}

/** Builds a callback_query update for a button under a bot message. */
export function callbackUpdate(
  data: string,
  messageId: number,
  overrides: { user?: ChatUser; queryId?: string } = {},
): Update {
  const user = overrides.user ?? ANA;

  return {
    update_id: newUpdateId(),
    callback_query: {
      id: overrides.queryId ?? `q${newUpdateId()}`,
      from: from(user),
      chat_instance: '-100',
      data,
      message: {
        message_id: messageId,
        from: { id: 999000111, is_bot: true, first_name: 'Financy' },
        chat: { id: user.id, type: 'private', first_name: user.firstName },
        date: Math.floor(Date.now() / 1_000),
        text: 'bot message',
      },
    },
  } as Update;
}
