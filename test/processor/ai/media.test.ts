import { VISION_ERRORS } from '../../../infra/local/fake-vision/responses';
import { whatsAppTextPayload } from '../../../infra/local/whatsapp-payload';
import { formatMegabytes, WHISPER_MAX_AUDIO_BYTES } from '../../../lib/ai/transcribe';
import { MAX_DOWNLOAD_BYTES } from '../../../lib/channels/telegram/errors';
import { en } from '../../../lib/messages/en';
import { RESILIENCE_LIMITS } from '../../../lib/resilience/limits';
import { TEST_PHONE_NUMBER_IDS, type TestStack, useTestStack } from '../../support/test-stack';
import {
  blankPng,
  documentUpdate,
  fallbacksSince,
  fileRequests,
  heicBytes,
  newUser,
  photoOf,
  photoUpdate,
  shown,
  transactionsOf,
  voiceFixture,
  voiceUpdate,
} from './chat-media';

describe('processor with voice notes and receipts', () => {
  let harness: TestStack;
  useTestStack({ whatsapp: true, ai: {} }, (started) => {
    harness = started;
  });

  describe('voice', () => {
    it('rejects a note over 25 MB without downloading it', async () => {
      const user = newUser();
      const announced = WHISPER_MAX_AUDIO_BYTES + 1_048_576;
      const fileRequestsBefore = fileRequests(harness).length;
      const whisperBefore = harness.ai!.openai.requests.length;

      await harness.postUpdate(voiceUpdate(harness, user, 'lunch-subway.ogg', announced));
      await harness.stack.settle();

      // Telegram serves bots files of up to 20 MB, below Whisper's 25 MB, so its limit is the one named.
      const limit = Math.min(MAX_DOWNLOAD_BYTES, WHISPER_MAX_AUDIO_BYTES);
      expect(shown(harness, user).at(-1)).toBe(
        en.fileTooLarge(formatMegabytes(announced, 'up'), formatMegabytes(limit)),
      );
      expect(shown(harness, user).at(-1)).toContain('This file is 26.0 MB');
      expect(fileRequests(harness).length).toBe(fileRequestsBefore);
      expect(harness.ai!.openai.requests.length).toBe(whisperBefore);
      expect(await transactionsOf(harness, user)).toEqual([]);
    });

    it('turns a WhatsApp voice note into a transaction', async () => {
      const whatsapp = harness.whatsapp!;
      const fixture = voiceFixture('lunch-subway.ogg');
      const media = whatsapp.fake.addMedia({ bytes: fixture.bytes, mimeType: 'audio/ogg; codecs=opus' });
      const waId = '5511900004242';
      const payload = whatsAppTextPayload(
        { phoneNumberId: TEST_PHONE_NUMBER_IDS[0]!, user: { waId, name: 'Iris Voz' } },
        '',
      );
      const [message] = (
        payload.entry as { changes: { value: { messages: Record<string, unknown>[] } }[] }[]
      )[0]!.changes[0]!.value.messages;
      delete message!.text;
      Object.assign(message!, {
        type: 'audio',
        audio: { id: media.id, mime_type: media.mimeType, sha256: media.sha256, voice: true },
      });

      const response = await whatsapp.post(payload);
      await harness.stack.settle();

      expect(response.status).toBe(200);
      const stored = (await harness.transactions()).filter(
        (transaction) =>
          transaction.source.channel === 'whatsapp' && transaction.source.chatId.includes(waId),
      );
      expect(stored).toEqual([
        expect.objectContaining({ amountMinor: 1250, merchant: 'Subway', kind: 'expense' }),
      ]);
      const texts = whatsapp.fake.sent().filter((sent) => sent.waId === waId);
      expect(JSON.stringify(texts.map((sent) => sent.payload))).toContain('I heard');
    });
  });

  describe('receipts', () => {
    it('asks for JPEG or PNG in place of a HEIC document', async () => {
      const user = newUser();
      const visionBefore = harness.ai!.vision!.calls.length;
      const fileRequestsBefore = fileRequests(harness).length;

      await harness.postUpdate(
        documentUpdate(harness, user, {
          bytes: heicBytes(),
          fileName: 'IMG_0412.HEIC',
          mimeType: 'image/heic',
        }),
      );
      await harness.stack.settle();

      expect(shown(harness, user).at(-1)).toBe(en.receiptFormatNotSupported('image/heic'));
      expect(shown(harness, user).at(-1)).toContain('(JPEG or PNG)');
      expect(harness.ai!.vision!.calls.length).toBe(visionBefore);
      // The declared type alone rules the file out, so it is not downloaded.
      expect(fileRequests(harness).length).toBe(fileRequestsBefore);
      expect(await transactionsOf(harness, user)).toEqual([]);
    });

    it('checks a mislabeled HEIC file by its bytes', async () => {
      const user = newUser();

      await harness.postUpdate(
        documentUpdate(harness, user, {
          bytes: heicBytes(),
          fileName: 'receipt.jpg',
          mimeType: 'image/jpeg',
        }),
      );
      await harness.stack.settle();

      expect(shown(harness, user).at(-1)).toBe(en.receiptFormatNotSupported('image/heic'));
    });

    it('asks for the total when the image has none', async () => {
      const user = newUser();
      const visionBefore = harness.ai!.vision!.calls.length;

      await harness.postUpdate(photoOf(harness.fake, user, blankPng(), 'blank'));
      await harness.stack.settle(60_000);

      expect(harness.ai!.vision!.calls.length).toBeGreaterThan(visionBefore);
      expect(shown(harness, user).at(-1)).toBe(en.receiptNoTotal());
      expect(await transactionsOf(harness, user)).toEqual([]);
    }, 90_000);

    it('reads the receipt offline when Vision fails', async () => {
      const user = newUser();
      const vision = harness.ai!.vision!;
      // Every attempt of the resilience layer gets a 503.
      vision.failNext(VISION_ERRORS.unavailable, RESILIENCE_LIMITS.retry.maxAttempts);
      const visionBefore = vision.calls.length;
      const metricsBefore = harness.metricPoints.length;

      try {
        await harness.postUpdate(photoUpdate(harness, user, 'pharmacy'));
        await harness.stack.settle(60_000);

        const visionStatuses = vision.calls.slice(visionBefore).map((call) => call.status);
        expect(visionStatuses.length).toBeGreaterThan(0);
        expect(visionStatuses.every((status) => status === 503)).toBe(true);
        expect(fallbacksSince(harness, metricsBefore)).toEqual(['ocr/error']);
        expect(await transactionsOf(harness, user)).toEqual([
          expect.objectContaining({ amountMinor: 1047, status: 'pending' }),
        ]);
      } finally {
        vision.reset();
      }
    }, 90_000);
  });
});
