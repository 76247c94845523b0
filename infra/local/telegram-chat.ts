import type { Update } from '@grammyjs/types';
import type { FakeTelegram, RecordedCall } from './fake-telegram/types';
import type { LocalStack } from './stack';
import { postTelegramUpdate } from './telegram-post';
import type { ChatChannel } from './terminal-chat';
import { type ChatUser, callbackUpdate, newUpdateId, textUpdate } from './update-factory';

/** The local user the terminal chat writes as on Telegram. */
export const LOCAL_USER: ChatUser = { id: 10000001, firstName: 'Local', languageCode: 'en' };

/** Width of the thumbnail size that a photo update lists before the full size, as Telegram does. */
const THUMBNAIL_WIDTH = 90;

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
 * Creates the Telegram side of the terminal chat. Lines go to the local webhook as updates from `user`.
 * Bot messages and edits (`sendMessage`, `editMessageText`) print as the fake Bot API accepts them, and
 * the buttons of the latest reply that has any are numbered. Voice notes and photos are stored on the fake
 * with addFile, so the processor downloads them through getFile as from Telegram.
 */
export function telegramChatChannel(
  stack: LocalStack,
  fake: FakeTelegram,
  user: ChatUser = LOCAL_USER,
): ChatChannel {
  let buttons: ShownButton[] = [];

  const replyBlock = (call: RecordedCall): string | undefined => {
    if (call.method !== 'sendMessage' && call.method !== 'editMessageText') {
      return undefined;
    }
    if (String(call.params.chat_id) !== String(user.id)) {
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

  const post = async (update: Update) => {
    if (update.message !== undefined) {
      // Ids from the chat's one sequence, so a typed line cannot take the id of a bot message to be edited.
      update.message.message_id = fake.nextMessageId(update.message.chat.id);
    }
    fake.observeUpdate(update);
    const response = await postTelegramUpdate(stack, update);
    if (response.status !== 200) {
      process.stdout.write(`webhook answered ${response.status}: ${response.body}\n`);
    }
  };

  return {
    description: `the Telegram user ${user.firstName} (${user.id})`,
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
    buttonCount: () => buttons.length,
    sendText: (text) => post(textUpdate(text, { user })),
    async press(number) {
      const pressed = buttons[number - 1]!;
      await post(callbackUpdate(pressed.data, pressed.messageId, { user }));
    },
    async sendVoice(file) {
      const stored = fake.addFile({ bytes: file.bytes, fileName: `voice/${file.fileName}` });
      await post(
        mediaUpdate(user, {
          voice: {
            file_id: stored.file_id,
            file_unique_id: stored.file_unique_id,
            duration: Math.ceil(file.durationSeconds ?? 1),
            mime_type: 'audio/ogg',
            file_size: stored.file_size,
          },
        }),
      );
    },
    async sendPhoto(file, mediaGroupId) {
      const { width, height } = imageSize(file.bytes);
      const thumbnail = fake.addFile({ bytes: file.bytes, fileName: `thumb-${file.fileName}` });
      const full = fake.addFile({ bytes: file.bytes, fileName: file.fileName });
      const scale = Math.min(1, THUMBNAIL_WIDTH / width);
      const size = (stored: typeof full, factor: number) => ({
        file_id: stored.file_id,
        file_unique_id: stored.file_unique_id,
        width: Math.round(width * factor),
        height: Math.round(height * factor),
        file_size: stored.file_size,
      });
      await post(
        mediaUpdate(user, {
          photo: [size(thumbnail, scale), size(full, 1)],
          ...(mediaGroupId === undefined ? {} : { media_group_id: mediaGroupId }),
        }),
      );
    },
  };
}

/**
 * Builds a private-chat message update carrying `media` (a `voice` or `photo` field). It starts from a
 * text update so the message id comes from the same counter as typed lines.
 */
function mediaUpdate(user: ChatUser, media: Record<string, unknown>): Update {
  const {
    text: _text,
    entities: _entities,
    ...message
  } = (textUpdate('', { user }) as unknown as { message: Record<string, unknown> }).message;

  return { update_id: newUpdateId(), message: { ...message, ...media } } as unknown as Update;
}

/**
 * Returns the size of a PNG from its IHDR chunk. Other formats get 1000 × 1000, which only orders the
 * photo sizes, because the processor reads the image itself.
 */
function imageSize(bytes: Buffer): { width: number; height: number } {
  const isPng = bytes.length >= 24 && bytes.toString('latin1', 1, 4) === 'PNG';

  return isPng
    ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
    : { width: 1000, height: 1000 };
}
