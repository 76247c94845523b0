import type { InlineKeyboardMarkup } from '@grammyjs/types';
import type { ActionButton, ChatChannel, MessageTarget, OutgoingMessage, SentMessage } from '../channel';
import { RecipientBlockedError } from '../channel';
import type { TelegramApiClient } from './api-client';
import { TelegramBlockedError, TelegramRequestError } from './errors';

/** Returns true when an edit failed because the message is gone or can no longer be edited. */
function isUneditable(error: unknown): boolean {
  return (
    error instanceof TelegramRequestError &&
    /message to edit not found|message can't be edited|MESSAGE_ID_INVALID/i.test(error.description)
  );
}

function keyboard(buttons: ActionButton[][] | undefined): InlineKeyboardMarkup | undefined {
  if (buttons === undefined) {
    return undefined;
  }

  return {
    inline_keyboard: buttons.map((row) =>
      row.map((button) => ({ text: button.label, callback_data: button.action })),
    ),
  };
}

/**
 * {@link ChatChannel} on the Telegram Bot API, sending HTML messages. The client waits out a 429 only when
 * it fits `budgetMs()`, the time left in the invocation. A longer wait fails the record, so SQS retries it later.
 */
export class TelegramChannel implements ChatChannel {
  constructor(
    private readonly client: TelegramApiClient,
    private readonly budgetMs: () => number = () => 0,
  ) {}

  async send(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    try {
      const parts = await this.client.sendMessage(chatId, message.text, {
        parseMode: 'HTML',
        replyMarkup: keyboard(message.buttons),
        budgetMs: this.budgetMs(),
      });

      return { messageId: parts[parts.length - 1]!.message_id };
    } catch (error) {
      throw this.#translate(error, chatId);
    }
  }

  async edit(target: MessageTarget, message: OutgoingMessage): Promise<void> {
    const editTarget =
      'inlineMessageId' in target
        ? { inlineMessageId: target.inlineMessageId }
        : { chatId: target.chatId, messageId: target.messageId };
    try {
      await this.client.editMessageText(editTarget, message.text, {
        parseMode: 'HTML',
        replyMarkup: keyboard(message.buttons) ?? { inline_keyboard: [] },
        budgetMs: this.budgetMs(),
      });
    } catch (error) {
      if ('chatId' in target && isUneditable(error)) {
        // The user deleted the message, or it is too old to edit: show the result as a new message.
        await this.send(target.chatId, message);
        return;
      }
      throw this.#translate(error, 'chatId' in target ? target.chatId : 'inline');
    }
  }

  async acknowledge(actionId: string, notice?: string): Promise<void> {
    await this.client.answerCallbackQuery(actionId, notice === undefined ? {} : { text: notice });
  }

  #translate(error: unknown, chatId: string): unknown {
    return error instanceof TelegramBlockedError
      ? new RecipientBlockedError(chatId, { cause: error })
      : error;
  }
}
