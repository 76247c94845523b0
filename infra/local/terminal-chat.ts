import { createInterface } from 'node:readline';
import type { Update } from '@grammyjs/types';
import type { FakeTelegram, RecordedCall } from './fake-telegram/types';
import type { LocalStack } from './stack';
import { postTelegramUpdate } from './telegram-post';
import { type ChatUser, callbackUpdate, textUpdate } from './update-factory';

/** The local user the terminal chat writes as. */
export const LOCAL_USER: ChatUser = { id: 10000001, firstName: 'Local', languageCode: 'en' };

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
 * Runs a chat in the terminal: each line is sent to the local webhook as a Telegram message from
 * {@link LOCAL_USER}, bot replies print as the fake Bot API receives them, and the buttons of the latest
 * reply are numbered so typing a number presses one. At the end of the input (Ctrl-D, or the end of piped
 * lines) it waits until every line is posted and the stack has settled, so their replies print, and then
 * resolves. Ctrl-C resolves at once.
 *
 * `onPrinterReady` receives a function that prints a line above the prompt, for lines that are not bot
 * replies, such as the notifications that reach the fake providers.
 */
export function runTerminalChat(
  stack: LocalStack,
  fake: FakeTelegram,
  onPrinterReady?: (print: (line: string) => void) => void,
): Promise<void> {
  const input = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you › ' });
  let buttons: ShownButton[] = [];
  // Replies that arrive after the input closed print without a prompt, which a closed readline rejects.
  let inputClosed = false;
  const reprompt = () => {
    if (!inputClosed) {
      input.prompt(true);
    }
  };
  onPrinterReady?.((line) => {
    process.stdout.write(`\n${line}\n`);
    reprompt();
  });

  const printReply = (call: RecordedCall) => {
    if (call.method !== 'sendMessage' && call.method !== 'editMessageText') {
      return;
    }
    if (typeof call.response !== 'object' || call.response.status !== 200) {
      return;
    }
    const result = (call.response.body as { result?: { text?: string; message_id?: number } | true }).result;
    const message = typeof result === 'object' ? result : undefined;
    const messageId = message?.message_id ?? Number(call.params.message_id);
    const label = call.method === 'editMessageText' ? 'bot (edited)' : 'bot';
    const lines = [`\n${label} › ${message?.text ?? String(call.params.text ?? '')}`];
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
    process.stdout.write(`${lines.join('\n')}\n`);
    reprompt();
  };
  fake.on('call', printReply);

  const send = async (update: Update) => {
    fake.observeUpdate(update);
    const response = await postTelegramUpdate(stack, update);
    if (response.status !== 200) {
      process.stdout.write(`webhook answered ${response.status}: ${response.body}\n`);
    }
  };

  // Lines typed ahead are posted one after another, as Telegram delivers a chat's updates in order.
  let previous: Promise<void> = Promise.resolve();
  input.on('line', (line) => {
    const text = line.trim();
    if (text === '') {
      input.prompt();
      return;
    }
    const pressed = /^\d+$/.test(text) ? buttons[Number(text) - 1] : undefined;
    const update =
      pressed === undefined
        ? textUpdate(text, { user: LOCAL_USER })
        : callbackUpdate(pressed.data, pressed.messageId, { user: LOCAL_USER });
    previous = previous
      .then(() => send(update))
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
        fake.off('call', printReply);
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
  try {
    await stack.settle();
  } catch (error) {
    process.stdout.write(
      `error: waiting for the replies failed, so some may be missing: ${(error as Error).message}\n`,
    );
  }
}
