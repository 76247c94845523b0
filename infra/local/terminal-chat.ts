import { createInterface } from 'node:readline';
import type { Update } from '@grammyjs/types';
import type { FakeTelegram, RecordedCall } from './fake-telegram/types';
import type { LocalStack } from './stack';
import { postTelegramUpdate } from './telegram-post';
import { type ChatUser, callbackUpdate, textUpdate } from './update-factory';

/** The local user the terminal chat writes as. */
export const LOCAL_USER: ChatUser = { id: 10000001, firstName: 'Local', languageCode: 'en' };

/** One channel of the terminal chat: how a typed line reaches the stack and how bot replies come back. */
export interface ChatChannel {
  /**
   * Starts printing bot replies with `print`, which writes a block of lines above the prompt. Returns a
   * function that stops, called once the stack has settled at the end of the input.
   */
  watchReplies(print: (block: string) => void): () => void;
  /**
   * Sends one non-empty typed line; a number presses a button of the latest reply. Before a number the
   * prompt waits until the stack has settled.
   */
  send(line: string): Promise<void>;
}

/**
 * Runs a chat prompt in the terminal on `channel`. Lines are sent one after another, in the order typed.
 * At the end of the input (Ctrl-D, or the end of piped lines) it waits until every line is sent and the
 * stack has settled, so their replies print, and then resolves. Ctrl-C resolves at once.
 *
 * `onPrinterReady` receives a function that prints a line above the prompt, for lines that are not bot
 * replies, such as the notifications that reach the fake providers.
 */
export function runChatPrompt(
  stack: LocalStack,
  channel: ChatChannel,
  onPrinterReady?: (print: (line: string) => void) => void,
): Promise<void> {
  const input = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you › ' });
  // Replies that arrive after the input closed print without a prompt, which a closed readline rejects.
  let inputClosed = false;
  const print = (block: string) => {
    process.stdout.write(`\n${block}\n`);
    if (!inputClosed) {
      input.prompt(true);
    }
  };
  onPrinterReady?.(print);
  const stopWatching = channel.watchReplies(print);

  let previous: Promise<void> = Promise.resolve();
  input.on('line', (line) => {
    const text = line.trim();
    if (text === '') {
      input.prompt();
      return;
    }
    // A number presses a button of the latest reply, so it waits for the replies to the lines before it.
    // A person reads them before pressing, but piped input would otherwise race them.
    const pressing = /^\d+$/.test(text);
    previous = previous
      .then(() => (pressing ? settleQuietly(stack) : undefined))
      .then(() => channel.send(text))
      .catch((error: Error) => {
        process.stdout.write(`could not send: ${error.message}\n`);
      });
  });
  input.prompt();

  let interrupted = false;

  return new Promise((resolve) => {
    input.on('SIGINT', () => {
      interrupted = true;
      input.close();
    });
    input.on('close', () => {
      inputClosed = true;
      const finish = () => {
        stopWatching();
        resolve();
      };
      if (interrupted) {
        finish();
        return;
      }
      void waitForReplies(stack, previous).then(finish);
    });
  });
}

interface ShownButton {
  messageId: number;
  data: string;
}

function keyboardOf(call: RecordedCall): Array<Array<{ text: string; callback_data?: string }>> {
  const markup = call.params.reply_markup;
  const parsed = (typeof markup === 'string' ? JSON.parse(markup) : markup) as
    | { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> }
    | undefined;

  return parsed?.inline_keyboard ?? [];
}

/**
 * Runs a chat in the terminal as a Telegram user: each line is sent to the local webhook as a Telegram
 * message from {@link LOCAL_USER}, bot replies print as the fake Bot API receives them, and the buttons of
 * the latest reply are numbered so typing a number presses one. See {@link runChatPrompt} for the end of
 * the input and `onPrinterReady`.
 */
export function runTerminalChat(
  stack: LocalStack,
  fake: FakeTelegram,
  onPrinterReady?: (print: (line: string) => void) => void,
): Promise<void> {
  let buttons: ShownButton[] = [];

  const replyBlock = (call: RecordedCall): string | undefined => {
    if (call.method !== 'sendMessage' && call.method !== 'editMessageText') {
      return undefined;
    }
    if (typeof call.response !== 'object' || call.response.status !== 200) {
      return undefined;
    }
    const result = (call.response.body as { result?: { text?: string; message_id?: number } | true }).result;
    const message = typeof result === 'object' ? result : undefined;
    const messageId = message?.message_id ?? Number(call.params.message_id);
    const label = call.method === 'editMessageText' ? 'bot (edited)' : 'bot';
    const lines = [`${label} › ${message?.text ?? String(call.params.text ?? '')}`];
    const keyboard = keyboardOf(call);
    if (keyboard.length > 0) {
      buttons = [];
      for (const row of keyboard) {
        const cells = row.map((button) => {
          buttons.push({ messageId, data: button.callback_data ?? '' });
          return `[${buttons.length}] ${button.text}`;
        });
        lines.push(`  ${cells.join('   ')}`);
      }
    }

    return lines.join('\n');
  };

  const channel: ChatChannel = {
    watchReplies(print) {
      const onCall = (call: RecordedCall) => {
        const block = replyBlock(call);
        if (block !== undefined) {
          print(block);
        }
      };
      fake.on('call', onCall);

      return () => fake.off('call', onCall);
    },
    async send(text) {
      const pressed = /^\d+$/.test(text) ? buttons[Number(text) - 1] : undefined;
      const update: Update =
        pressed === undefined
          ? textUpdate(text, { user: LOCAL_USER })
          : callbackUpdate(pressed.data, pressed.messageId, { user: LOCAL_USER });
      fake.observeUpdate(update);
      const response = await postTelegramUpdate(stack, update);
      if (response.status !== 200) {
        process.stdout.write(`webhook answered ${response.status}: ${response.body}\n`);
      }
    },
  };

  return runChatPrompt(stack, channel, onPrinterReady);
}

/**
 * Waits until the lines read so far are posted and the stack has processed them. A settle timeout is
 * printed and not raised, so the chat still closes. `lastSend` is the tail of the chain of sends, which
 * never rejects.
 * NOTE: it does not wait for the notification queue. The notification feed prints at shutdown only the
 * notifications that reached the fake providers by then.
 */
async function waitForReplies(stack: LocalStack, lastSend: Promise<void>): Promise<void> {
  process.stdout.write('\n');
  await lastSend;
  await settleQuietly(stack);
}

async function settleQuietly(stack: LocalStack): Promise<void> {
  try {
    await stack.settle();
  } catch (error) {
    process.stdout.write(
      `error: waiting for the replies failed, so some may be missing: ${(error as Error).message}\n`,
    );
  }
}
