import { deleteWebhook, getFile, getMe, getUpdates, getWebhookInfo, setWebhook } from './bot-methods';
import type { MethodHandler } from './context';
import {
  answerCallbackQuery,
  deleteMessage,
  editMessageReplyMarkup,
  editMessageText,
  sendChatAction,
  sendMessage,
} from './message-methods';

/** Bot API methods that the fake implements. Every other name gets 404 "Not Found". */
const HANDLERS: Readonly<Record<string, MethodHandler>> = {
  getMe,
  getFile,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  sendMessage,
  editMessageText,
  editMessageReplyMarkup,
  deleteMessage,
  answerCallbackQuery,
  sendChatAction,
};

/** Handlers by lower-case name, because the Bot API treats method names case-insensitively. */
const BY_LOWER_CASE = new Map(
  Object.entries(HANDLERS).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
);

/** Looks up a method by name in any letter case and returns it with Telegram's spelling. */
export function findMethod(name: string): { name: string; handler: MethodHandler } | undefined {
  return BY_LOWER_CASE.get(name.toLowerCase());
}
