import type { FakeSentMessage, FakeWhatsApp } from './fake-whatsapp/types';
import { postWhatsAppPayload, whatsAppWebhookUrlOf } from './local-whatsapp';
import type { LocalStack } from './stack';
import type { ChatChannel } from './terminal-chat';
import {
  showSentMessage,
  type WhatsAppChatUser,
  type WhatsAppPressedReply,
  type WhatsAppSender,
  whatsAppAudioPayload,
  whatsAppImagePayload,
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

/** The `(2/3) ` prefix that the processor puts before each part of a list split over several messages. */
const PART_PREFIX = /^\((\d+)\/(\d+)\) /;

/** Settings of {@link whatsAppChatChannel}. */
export interface WhatsAppChatOptions {
  /** App secret that the local webhook verifies signatures with. */
  appSecret: string;
  /** Business phone number id the user writes to. @default the fake's first id */
  phoneNumberId?: string;
  /** @default {@link LOCAL_WHATSAPP_USER} */
  user?: WhatsAppChatUser;
}

/**
 * The buttons or list rows that typed numbers press. A reply split over several list messages ("(1/2)",
 * "(2/2)") keeps its rows in one sequence, each row with the wamid of its own part.
 */
class ChoiceBoard {
  private choices: WhatsAppPressedReply[] = [];
  /** Part number and part count of the split reply being collected, when the latest message is a part. */
  private part: { index: number; count: number } | undefined;

  get length(): number {
    return this.choices.length;
  }

  choice(number: number): WhatsAppPressedReply | undefined {
    return this.choices[number - 1];
  }

  /** Adds the choices of `message` and returns the number of its first choice. */
  add(
    message: FakeSentMessage,
    text: string,
    choices: Array<Omit<WhatsAppPressedReply, 'contextId'>>,
  ): number {
    const prefix = PART_PREFIX.exec(text);
    const index = Number(prefix?.[1]);
    const count = Number(prefix?.[2]);
    const continues =
      prefix !== null &&
      this.part !== undefined &&
      this.part.count === count &&
      this.part.index === index - 1;
    if (!continues) {
      this.choices = [];
    }
    this.part = prefix === null ? undefined : { index, count };
    const first = this.choices.length + 1;
    this.choices.push(...choices.map((choice) => ({ ...choice, contextId: message.id })));

    return first;
  }
}

/**
 * Creates the WhatsApp side of the terminal chat. Each line becomes a signed webhook POST, and bot messages
 * print as the fake Graph API accepts them. The buttons or list rows of the latest message that has any
 * are numbered, continuing across the parts of a split list, so typing a number presses one. Every line
 * also opens the user's 24-hour window on the fake, as writing to a business number does on WhatsApp.
 * Voice notes and photos are stored on the fake with addMedia, so the processor downloads them through
 * the media endpoints as from Meta.
 */
export function whatsAppChatChannel(
  stack: LocalStack,
  fake: FakeWhatsApp,
  options: WhatsAppChatOptions,
): ChatChannel {
  const webhookUrl = whatsAppWebhookUrlOf(stack);
  const sender: WhatsAppSender = {
    phoneNumberId: options.phoneNumberId ?? fake.phoneNumberIds[0]!,
    user: options.user ?? LOCAL_WHATSAPP_USER,
  };
  const board = new ChoiceBoard();
  // Prints the messages accepted since the last call; set while replies are watched.
  let printAccepted = () => {};

  const messageBlock = (message: FakeSentMessage): string => {
    const rendered = showSentMessage(message.type, message.payload);
    const lines = [`bot › ${rendered.text}${rendered.template === undefined ? '' : ' (template)'}`];
    if (rendered.choices.length > 0) {
      const first = board.add(message, rendered.text, rendered.choices);
      const cells = rendered.choices.map((choice, index) => {
        const description = choice.description === undefined ? '' : ` — ${choice.description}`;
        return `[${first + index}] ${choice.title}${description}`;
      });
      // Buttons fit on one line as on a phone; list rows get a line each.
      lines.push(
        ...(rendered.choices[0]!.kind === 'list_reply'
          ? cells.map((cell) => `  ${cell}`)
          : [`  ${cells.join('   ')}`]),
      );
    }

    return lines.join('\n');
  };

  const post = async (payload: Record<string, unknown>) => {
    fake.userWrote(sender.user.waId);
    const response = await postWhatsAppPayload(webhookUrl, options.appSecret, payload);
    if (response.status !== 200) {
      process.stdout.write(`webhook answered ${response.status}: ${response.body}\n`);
    }
  };

  return {
    description: `the WhatsApp user +${sender.user.waId}`,
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
    buttonCount() {
      // The stack has settled before a number, and the poll may not have rendered its latest replies yet.
      printAccepted();
      return board.length;
    },
    sendText: (text) => post(whatsAppTextPayload(sender, text)),
    press: (number) => post(whatsAppPressPayload(sender, board.choice(number)!)),
    async sendVoice(file) {
      const media = fake.addMedia({ bytes: file.bytes, mimeType: 'audio/ogg; codecs=opus' });
      await post(whatsAppAudioPayload(sender, { id: media.id, mimeType: media.mimeType, voice: true }));
    },
    async sendPhoto(file) {
      const media = fake.addMedia({ bytes: file.bytes, mimeType: file.mimeType });
      await post(whatsAppImagePayload(sender, { id: media.id, mimeType: media.mimeType }));
    },
  };
}
