/**
 * Telegram updates with voice notes, photos and documents, and readers of what the processor did with them
 * on a {@link TestStack}: the bot's replies, the stored transactions and the AI metrics.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { Update } from '@grammyjs/types';
import type { FakeTelegram } from '../../../infra/local/fake-telegram/types';
import { type ChatUser, newUpdateId } from '../../../infra/local/update-factory';
import type { AiFallbackReason } from '../../../lib/observability/metric-names';
import { METRICS } from '../../../lib/observability/metric-names';
import { type ReceiptImageName, receiptImage } from '../../fixtures/receipts/images/receipt-images';
import { loadVoiceFixtures, type VoiceFixture } from '../../fixtures/voice/voice-fixtures';
import type { TestStack } from '../../support/test-stack';

let nextMessageId = 50_000;
let nextUser = 12_340_000;

/** Returns a Telegram user that no earlier test of the process used. */
export function newUser(): ChatUser {
  nextUser += 1;
  return { id: nextUser, firstName: 'Iris', languageCode: 'en' };
}

/** Builds a private-chat message update from `user` with the given media fields. */
export function mediaUpdate(user: ChatUser, media: Record<string, unknown>): Update {
  nextMessageId += 1;
  return {
    update_id: newUpdateId(),
    message: {
      message_id: nextMessageId,
      from: { id: user.id, is_bot: false, first_name: user.firstName, language_code: user.languageCode },
      chat: { id: user.id, type: 'private', first_name: user.firstName },
      date: Math.floor(Date.now() / 1_000),
      ...media,
    },
  } as unknown as Update;
}

/** Returns the committed voice fixture named `file`, such as `lunch-subway.ogg`. */
export function voiceFixture(file: string): VoiceFixture {
  const fixture = loadVoiceFixtures().find((entry) => entry.file === file);
  if (fixture === undefined) {
    throw new Error(`Voice fixture ${file} not found in test/fixtures/voice/manifest.json.`);
  }

  return fixture;
}

/**
 * Stores a voice fixture on the fake Bot API and builds the voice update that announces it, with
 * `announcedBytes` as `file_size` when given in place of the real size.
 */
export function voiceUpdate(
  harness: TestStack,
  user: ChatUser,
  file: string,
  announcedBytes?: number,
): Update {
  const fixture = voiceFixture(file);
  const stored = harness.fake.addFile({ bytes: Buffer.from(fixture.bytes), fileName: `voice/${file}` });
  return mediaUpdate(user, {
    voice: {
      file_id: stored.file_id,
      file_unique_id: `u-${stored.file_id}`,
      duration: Math.ceil(fixture.durationSeconds),
      mime_type: 'audio/ogg',
      file_size: announcedBytes ?? fixture.bytes.byteLength,
    },
  });
}

/** Stores image bytes on the fake Bot API and builds a photo update with them. */
export function photoOf(
  telegram: Pick<FakeTelegram, 'addFile'>,
  user: ChatUser,
  bytes: Uint8Array,
  name: string,
): Update {
  const stored = telegram.addFile({ bytes: Buffer.from(bytes), fileName: `photos/${name}.png` });
  return mediaUpdate(user, {
    photo: [
      {
        file_id: stored.file_id,
        file_unique_id: `u-${stored.file_id}`,
        width: 800,
        height: 1200,
        file_size: bytes.byteLength,
      },
    ],
  });
}

/** Builds a photo update of one of the rendered receipt fixtures. */
export function photoUpdate(harness: TestStack, user: ChatUser, name: ReceiptImageName): Update {
  return photoOf(harness.fake, user, receiptImage(name).bytes, name);
}

let nextMediaGroup = 13_800_000_000_000_000n;

/**
 * Builds the updates of an album as Telegram delivers it: one photo update per image, all with the same new
 * `media_group_id`, and the caption on the first only. Images are rendered receipt names or raw bytes.
 */
export function albumUpdates(
  harness: TestStack,
  user: ChatUser,
  images: readonly (ReceiptImageName | Uint8Array)[],
  caption?: string,
): Update[] {
  nextMediaGroup += 1n;
  const mediaGroupId = String(nextMediaGroup);
  return images.map((image, index) => {
    const update = photoOf(
      harness.fake,
      user,
      typeof image === 'string' ? receiptImage(image).bytes : image,
      typeof image === 'string' ? image : `album-${index}`,
    );
    Object.assign(update.message!, {
      media_group_id: mediaGroupId,
      ...(index === 0 && caption !== undefined ? { caption } : {}),
    });
    return update;
  });
}

/** Stores a file on the fake Bot API and builds a document update with its name and MIME type. */
export function documentUpdate(
  harness: TestStack,
  user: ChatUser,
  file: { bytes: Uint8Array; fileName: string; mimeType: string },
): Update {
  const stored = harness.fake.addFile({
    bytes: Buffer.from(file.bytes),
    fileName: `documents/${file.fileName}`,
  });
  return mediaUpdate(user, {
    document: {
      file_id: stored.file_id,
      file_unique_id: `u-${stored.file_id}`,
      file_name: file.fileName,
      mime_type: file.mimeType,
      file_size: file.bytes.byteLength,
    },
  });
}

/**
 * Returns the first bytes of a HEIC photo as iPhones send it: an ISO BMFF `ftyp` box with major brand `heic`,
 * followed by an empty `meta` box. Enough for a type check, not a decodable image.
 */
export function heicBytes(): Uint8Array {
  const ftyp = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from('ftypheic', 'ascii'),
    Buffer.from([0, 0, 0, 0]),
    Buffer.from('mif1heic', 'ascii'),
  ]);
  const meta = Buffer.concat([Buffer.from([0, 0, 0, 0x0c]), Buffer.from('meta', 'ascii'), Buffer.alloc(4)]);

  return new Uint8Array(Buffer.concat([ftyp, meta]));
}

/** Builds a white grayscale PNG of `width` × `height` pixels: an image in which OCR finds no text. */
export function blankPng(width = 400, height = 300): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  // Each row starts with filter type 0 and contains one white byte per pixel.
  const rows = Buffer.alloc((width + 1) * height, 0xff);
  for (let row = 0; row < height; row += 1) {
    rows[row * (width + 1)] = 0;
  }

  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** Returns the texts the bot sent or edited in the user's chat, in order. */
export function shown(harness: TestStack, user: ChatUser): string[] {
  return harness.fake.calls
    .filter(
      (call) =>
        (call.method === 'sendMessage' || call.method === 'editMessageText') &&
        String(call.params.chat_id) === String(user.id),
    )
    .map((call) => String(call.params.text));
}

/** Returns the Bot API calls about the user's files: `getFile` requests and file downloads. */
export function fileRequests(harness: TestStack): string[] {
  return harness.fake.calls
    .filter((call) => call.method === 'getFile' || call.method === 'file')
    .map((call) => call.method);
}

/** Returns the message id of the bot's latest delivered message in the user's chat. */
export function lastBotMessageId(harness: TestStack, user: ChatUser): number {
  for (const call of [...harness.fake.calls].reverse()) {
    const body = typeof call.response === 'object' ? call.response.body : undefined;
    const messageId = (body as { result?: { message_id?: unknown } } | undefined)?.result?.message_id;
    if (
      call.method === 'sendMessage' &&
      String(call.params.chat_id) === String(user.id) &&
      typeof messageId === 'number'
    ) {
      return messageId;
    }
  }
  throw new Error(`The bot has sent no message to chat ${user.id} yet.`);
}

/** Returns the stored transactions of the user's Telegram chat. */
export async function transactionsOf(harness: TestStack, user: ChatUser) {
  return (await harness.transactions()).filter(
    (transaction) => transaction.source.chatId === String(user.id),
  );
}

/** Returns the `AiFallbacks` points recorded from index `since` of the metric points on, as `operation/reason`. */
export function fallbacksSince(harness: TestStack, since: number): string[] {
  return harness.metricPoints
    .slice(since)
    .filter((point) => point.name === METRICS.aiFallbacks)
    .map((point) => `${point.dimensions.operation}/${point.dimensions.reason as AiFallbackReason}`);
}

/** Builds the JSON content of an OpenAI response that reads the message as an expense in USD, for `respondNext`. */
export function expenseAnswer(merchant: string, amount: string, category: string): string {
  return JSON.stringify({
    kind: 'expense',
    amount,
    currency: 'USD',
    date: null,
    merchant,
    category,
    description: `paid at ${merchant}`,
  });
}

/** Returns the chat completion requests that the fake OpenAI server received. */
export function chatRequests(harness: TestStack) {
  return harness.ai!.openai.requests.filter((request) => request.path === '/v1/chat/completions');
}
