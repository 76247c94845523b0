import type { FakeSentMessage, FakeWhatsApp } from './fake-whatsapp/types';
import { postWhatsAppPayload, whatsAppWebhookUrlOf } from './local-whatsapp';
import type { LocalStack } from './stack';
import { type ChatChannel, runChatPrompt } from './terminal-chat';
import {
  showSentMessage,
  type WhatsAppChatUser,
  type WhatsAppPressedReply,
  type WhatsAppSender,
  whatsAppPressPayload,
  whatsAppTextPayload,
} from './whatsapp-payload';

/**
 * The local WhatsApp user of the terminal chat. The number is Brazilian (+55), so a new user's home
 * currency is BRL.
 */
export const LOCAL_WHATSAPP_USER: WhatsAppChatUser = { waId: '5511900000001', name: 'Local' };

/** How often the chat looks for messages that the fake Graph API accepted, in milliseconds. */
const POLL_INTERVAL_MS = 50;

/** Settings of {@link runWhatsAppChat}. */
export interface WhatsAppChatOptions {
  /** App secret that the local webhook verifies signatures with. */
  appSecret: string;
  /** Business phone number id the user writes to. @default the fake's first id */
  phoneNumberId?: string;
  /** @default {@link LOCAL_WHATSAPP_USER} */
  user?: WhatsAppChatUser;
  /** Receives a function that prints a line above the prompt, for lines that are not bot replies. */
  onPrinterReady?: (print: (line: string) => void) => void;
}

/**
 * Runs a chat in the terminal as a WhatsApp user. Each line becomes a signed text-message webhook POST,
 * and bot messages print as the fake Graph API accepts them. The buttons or list rows of the latest
 * message that has any are numbered, so typing a number presses one. Every line also opens the user's
 * 24-hour window on the fake, as writing to a business number does on WhatsApp.
 */
export function runWhatsAppChat(
  stack: LocalStack,
  fake: FakeWhatsApp,
  options: WhatsAppChatOptions,
): Promise<void> {
  const webhookUrl = whatsAppWebhookUrlOf(stack);
  const sender: WhatsAppSender = {
    phoneNumberId: options.phoneNumberId ?? fake.phoneNumberIds[0]!,
    user: options.user ?? LOCAL_WHATSAPP_USER,
  };
  let choices: WhatsAppPressedReply[] = [];
  // Prints the messages accepted since the last call; set while replies are watched.
  let printAccepted = () => {};

  const messageBlock = (message: FakeSentMessage): string => {
    const rendered = showSentMessage(message.type, message.payload);
    const lines = [`bot › ${rendered.text}${rendered.template === undefined ? '' : ' (template)'}`];
    if (rendered.choices.length > 0) {
      choices = rendered.choices.map((choice) => ({ ...choice, contextId: message.id }));
      const cells = choices.map((choice, index) => {
        const description = choice.description === undefined ? '' : ` — ${choice.description}`;
        return `[${index + 1}] ${choice.title}${description}`;
      });
      // Buttons fit on one line as on a phone; list rows get a line each.
      lines.push(
        ...(choices[0]!.kind === 'list_reply'
          ? cells.map((cell) => `  ${cell}`)
          : [`  ${cells.join('   ')}`]),
      );
    }

    return lines.join('\n');
  };

  const channel: ChatChannel = {
    watchReplies(print) {
      let seen = fake.sent().length;
      const printNew = () => {
        const sent = fake.sent();
        for (const message of sent.slice(seen)) {
          if (message.waId === sender.user.waId) {
            print(messageBlock(message));
          }
        }
        seen = sent.length;
      };
      printAccepted = printNew;
      const timer = setInterval(printNew, POLL_INTERVAL_MS);

      return () => {
        clearInterval(timer);
        printNew();
      };
    },
    async send(text) {
      // The stack has settled before a number, and the poll may not have rendered its latest replies yet.
      printAccepted();
      const pressed = /^\d+$/.test(text) ? choices[Number(text) - 1] : undefined;
      const payload =
        pressed === undefined ? whatsAppTextPayload(sender, text) : whatsAppPressPayload(sender, pressed);
      fake.userWrote(sender.user.waId);
      const response = await postWhatsAppPayload(webhookUrl, options.appSecret, payload);
      if (response.status !== 200) {
        process.stdout.write(`webhook answered ${response.status}: ${response.body}\n`);
      }
    },
  };

  return runChatPrompt(stack, channel, options.onPrinterReady);
}
