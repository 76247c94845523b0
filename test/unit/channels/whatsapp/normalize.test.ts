import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseWhatsAppActionId, parseWhatsAppChatId } from '../../../../lib/channels/whatsapp/chat-id';
import { countryOfWaId, normalizeWhatsAppEnvelope } from '../../../../lib/channels/whatsapp/normalize';
import type {
  WhatsAppMessage,
  WhatsAppStatus,
  WhatsAppWebhookPayload,
} from '../../../../lib/channels/whatsapp/payload';
import type { WhatsAppEnvelope } from '../../../../lib/inbound/envelope';

const CASES = path.resolve(__dirname, '../../../../../shared/cases/inputs');
const PHONE_NUMBER_ID = '200000000000002';

function readCase<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(CASES, name), 'utf8')) as T;
}

function messageEnvelope(message: WhatsAppMessage, name?: string): WhatsAppEnvelope {
  return {
    version: 1,
    channel: 'whatsapp',
    eventId: message.id,
    phoneNumberId: PHONE_NUMBER_ID,
    receivedAtEpochMs: 1_717_600_000_000,
    item: {
      kind: 'message',
      message,
      contact: name === undefined ? undefined : { wa_id: message.from, profile: { name } },
    },
  };
}

function statusEnvelope(status: WhatsAppStatus): WhatsAppEnvelope {
  return {
    version: 1,
    channel: 'whatsapp',
    eventId: `status:${status.id}:${status.status}`,
    phoneNumberId: PHONE_NUMBER_ID,
    receivedAtEpochMs: 1_717_600_000_000,
    item: { kind: 'status', status },
  };
}

function text(body: string, overrides: Partial<WhatsAppMessage> = {}): WhatsAppMessage {
  return {
    from: '5511900000001',
    id: 'wamid.IN1',
    timestamp: '1717600700',
    type: 'text',
    text: { body },
    ...overrides,
  };
}

describe('normalizeWhatsAppEnvelope', () => {
  describe('text messages', () => {
    it('becomes a text event in the conversation of the business number and the sender', () => {
      const event = normalizeWhatsAppEnvelope(messageEnvelope(text('uber 32,50'), 'Joao Teste'));

      expect(event).toEqual({
        type: 'text',
        eventKey: 'whatsapp:wamid.IN1',
        chatId: `${PHONE_NUMBER_ID}:5511900000001`,
        messageId: 'wamid.IN1',
        text: 'uber 32,50',
        sentAt: new Date(1_717_600_700_000),
        forwarded: false,
        sender: {
          channel: 'whatsapp',
          externalId: '5511900000001',
          displayName: 'Joao Teste',
          country: 'BR',
        },
      });
      expect(parseWhatsAppChatId(event.type === 'text' ? event.chatId : '')).toEqual({
        phoneNumberId: PHONE_NUMBER_ID,
        waId: '5511900000001',
      });
    });

    it('reads a slash command the way Telegram commands are read', () => {
      const event = normalizeWhatsAppEnvelope(messageEnvelope(text(' /Link k7qf-3m9d ')));

      expect(event).toMatchObject({ type: 'command', command: 'link', args: 'k7qf-3m9d' });
    });

    it('marks a forwarded message', () => {
      const event = normalizeWhatsAppEnvelope(
        messageEnvelope(text('paid 40 at the pharmacy', { context: { forwarded: true } })),
      );

      expect(event).toMatchObject({ type: 'text', forwarded: true });
    });

    it('leaves the display name out when the contact has no profile (WA-03)', () => {
      const envelope = messageEnvelope(text('lunch 12'));
      if (envelope.item.kind === 'message') envelope.item.contact = { wa_id: '5511900000001' };

      expect(normalizeWhatsAppEnvelope(envelope)).toMatchObject({
        sender: { channel: 'whatsapp', externalId: '5511900000001', displayName: undefined },
      });
    });

    it('ignores a message without a usable sender', () => {
      const event = normalizeWhatsAppEnvelope(messageEnvelope(text('lunch 12', { from: '' })));

      expect(event).toEqual({
        type: 'ignored',
        eventKey: 'whatsapp:wamid.IN1',
        reason: 'message without a sender wa_id',
      });
    });
  });

  describe('the three WA-07 messages', () => {
    const payload = readCase<WhatsAppWebhookPayload>('WA-07.json');
    const messages = payload.entry.flatMap((entry) =>
      entry.changes.flatMap((change) =>
        (change.value.messages ?? []).map((message) => ({
          message,
          phoneNumberId: change.value.metadata.phone_number_id,
        })),
      ),
    );

    it('each becomes a text event answered from the number it was sent to', () => {
      const events = messages.map(({ message, phoneNumberId }) =>
        normalizeWhatsAppEnvelope({ ...messageEnvelope(message), phoneNumberId }),
      );

      expect(
        events.map((event) => (event.type === 'text' ? [event.chatId, event.text] : event.type)),
      ).toEqual([
        ['200000000000002:5511900000001', 'uber 32,50'],
        ['200000000000002:5511900000003', 'mercado 120'],
        ['200000000000009:351910000001', 'farmácia 8,40'],
      ]);
    });

    it('tells the sender country from the phone number, so new users get its currency', () => {
      expect(messages.map(({ message }) => countryOfWaId(message.from))).toEqual(['BR', 'BR', 'PT']);
    });

    it.each([
      ['447700900123', 'GB'],
      ['15550000000', 'US'],
      ['999', undefined],
    ])('falls back to the main country of the calling code for %s', (waId, country) => {
      expect(countryOfWaId(waId)).toBe(country);
    });
  });

  describe('interactive replies and reactions (WA-06)', () => {
    const [buttonReply, listReply, reaction, removedReaction] = readCase<{ messages: WhatsAppMessage[] }>(
      'WA-06.json',
    ).messages as [WhatsAppMessage, WhatsAppMessage, WhatsAppMessage, WhatsAppMessage];

    it('acts on the button reply id, tied to the prompt through context.id', () => {
      const event = normalizeWhatsAppEnvelope(messageEnvelope(buttonReply));

      expect(event).toMatchObject({
        type: 'action',
        data: 'confirm_tx_8f2c',
        chatId: `${PHONE_NUMBER_ID}:5511900000001`,
        target: { chatId: `${PHONE_NUMBER_ID}:5511900000001`, messageId: 'wamid.OUT0000000000000000010' },
      });
      expect(parseWhatsAppActionId(event.type === 'action' ? event.actionId : '')).toEqual({
        phoneNumberId: PHONE_NUMBER_ID,
        waId: '5511900000001',
        chatId: `${PHONE_NUMBER_ID}:5511900000001`,
        messageId: 'wamid.IN0000000000000000061',
      });
    });

    it('acts on the list reply id, not on its title', () => {
      expect(normalizeWhatsAppEnvelope(messageEnvelope(listReply))).toMatchObject({
        type: 'action',
        data: 'cat_transport',
        target: { messageId: 'wamid.OUT0000000000000000011' },
      });
    });

    it.each([
      ['with an emoji', reaction, 'reaction'],
      ['without an emoji (removed)', removedReaction, 'reaction removed'],
    ])('ignores a reaction %s without a reply', (_name, message, reason) => {
      expect(normalizeWhatsAppEnvelope(messageEnvelope(message))).toEqual({
        type: 'ignored',
        eventKey: `whatsapp:${message.id}`,
        reason,
      });
    });

    it('answers an interactive type it does not know as an unreadable message', () => {
      const message: WhatsAppMessage = {
        ...buttonReply,
        interactive: { type: 'nfm_reply' },
      };

      expect(normalizeWhatsAppEnvelope(messageEnvelope(message))).toMatchObject({
        type: 'media',
        mediaKind: 'other',
      });
    });

    it('reads the payload of a template quick-reply button', () => {
      const message: WhatsAppMessage = {
        from: '5511900000001',
        id: 'wamid.IN9',
        timestamp: '1717600700',
        type: 'button',
        context: { id: 'wamid.OUT9' },
        button: { payload: 'show:tx-1', text: 'Show' },
      };

      expect(normalizeWhatsAppEnvelope(messageEnvelope(message))).toMatchObject({
        type: 'action',
        data: 'show:tx-1',
      });
    });
  });

  describe('media and unreadable messages', () => {
    it('keeps the image id and mime type for the download, and the caption', () => {
      const message: WhatsAppMessage = {
        from: '5511900000001',
        id: 'wamid.IMG',
        timestamp: '1717600700',
        type: 'image',
        image: { id: 'media-1', mime_type: 'image/jpeg', caption: 'groceries' },
      };

      expect(normalizeWhatsAppEnvelope(messageEnvelope(message))).toMatchObject({
        type: 'media',
        mediaKind: 'photo',
        media: { id: 'media-1', mimeType: 'image/jpeg' },
        caption: 'groceries',
      });
    });

    it.each([
      [{ id: 'media-2', mime_type: 'audio/ogg; codecs=opus', voice: true }, 'voice'],
      [{ id: 'media-3', mime_type: 'audio/mpeg' }, 'audio'],
    ])('tells a voice note from an audio file', (audio, kind) => {
      const message: WhatsAppMessage = {
        from: '5511900000001',
        id: 'wamid.A',
        timestamp: '1',
        type: 'audio',
        audio,
      };

      expect(normalizeWhatsAppEnvelope(messageEnvelope(message))).toMatchObject({
        type: 'media',
        mediaKind: kind,
      });
    });

    it('answers both WA-05 messages (unsupported and unknown) as unreadable, each once by its id', () => {
      const payload = readCase<WhatsAppWebhookPayload>('WA-05.json');
      const messages = payload.entry[0]!.changes[0]!.value.messages!;

      expect(messages.map((message) => normalizeWhatsAppEnvelope(messageEnvelope(message)))).toEqual([
        expect.objectContaining({
          type: 'media',
          mediaKind: 'other',
          eventKey: 'whatsapp:wamid.IN0000000000000000051',
        }),
        expect.objectContaining({
          type: 'media',
          mediaKind: 'other',
          eventKey: 'whatsapp:wamid.IN0000000000000000052',
        }),
      ]);
    });

    it('ignores system messages', () => {
      const message: WhatsAppMessage = {
        from: '5511900000001',
        id: 'wamid.SYS',
        timestamp: '1',
        type: 'system',
        system: { body: 'User changed number', type: 'user_changed_number' },
      };

      expect(normalizeWhatsAppEnvelope(messageEnvelope(message))).toMatchObject({
        type: 'ignored',
        reason: 'system message',
      });
    });
  });

  describe('statuses', () => {
    it('turns the WA-03 status into a delivery status of our outbound message', () => {
      const payload = readCase<WhatsAppWebhookPayload>('WA-03.json');
      const status = payload.entry[0]!.changes[0]!.value.statuses![0]!;

      expect(normalizeWhatsAppEnvelope(statusEnvelope(status))).toEqual({
        type: 'delivery-status',
        eventKey: 'whatsapp:status:wamid.OUT0000000000000000001:delivered',
        channel: 'whatsapp',
        messageId: 'wamid.OUT0000000000000000001',
        recipientId: '5511900000001',
        status: 'delivered',
        at: new Date(1_717_600_100_000),
        errors: [],
      });
    });

    it('keeps the error codes of a failed delivery, without a recipient when Meta omits it', () => {
      const event = normalizeWhatsAppEnvelope(
        statusEnvelope({
          id: 'wamid.OUT2',
          status: 'failed',
          timestamp: '1717600200',
          errors: [{ code: 131047, title: 'Re-engagement message' }],
        }),
      );

      expect(event).toMatchObject({
        type: 'delivery-status',
        status: 'failed',
        errors: [{ code: 131047, title: 'Re-engagement message' }],
      });
      expect(event).not.toHaveProperty('recipientId');
    });

    it('ignores a status it does not track', () => {
      expect(
        normalizeWhatsAppEnvelope(statusEnvelope({ id: 'wamid.OUT3', status: 'deleted', timestamp: '1' })),
      ).toMatchObject({ type: 'ignored', reason: 'status deleted not tracked' });
    });
  });
});
