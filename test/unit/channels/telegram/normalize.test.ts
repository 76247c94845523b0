import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Update } from '@grammyjs/types';
import { normalizeTelegramUpdate } from '../../../../lib/channels/telegram/normalize';
import type { ChatEvent } from '../../../../lib/processor/chat-event';
import { messageUpdate, sampleUpdate } from './samples';

function field<K extends string>(event: ChatEvent, name: K): unknown {
  return (event as unknown as Record<string, unknown>)[name];
}

describe('normalizeTelegramUpdate', () => {
  describe('text messages', () => {
    it('builds text event', () => {
      const event = normalizeTelegramUpdate(messageUpdate(100, { text: 'coffee 3.50', message_id: 7 }));

      expect(event).toEqual({
        type: 'text',
        eventKey: 'telegram:100',
        sender: { channel: 'telegram', externalId: '11110001', languageCode: 'pt', displayName: 'Ana' },
        chatId: '11110001',
        messageId: 7,
        text: 'coffee 3.50',
        sentAt: new Date(1717400000 * 1_000),
        forwarded: false,
      });
    });

    it('keeps emoji text intact', () => {
      const update = sampleUpdate(500000601);

      const event = normalizeTelegramUpdate(update);

      expect(field(event, 'text')).toBe('🍕🍕 pizza 12.40 see https://example.com/r/1');
    });

    it('types emoji text as text', () => {
      const event = normalizeTelegramUpdate(sampleUpdate(500000601));

      expect(event.type).toBe('text');
    });

    it('uses forward date as sentAt', () => {
      const event = normalizeTelegramUpdate(sampleUpdate(500000501));

      expect(field(event, 'sentAt')).toEqual(new Date('2024-06-03T13:06:40Z'));
    });

    it('marks forwarded text', () => {
      const event = normalizeTelegramUpdate(sampleUpdate(500000501));

      expect(field(event, 'forwarded')).toBe(true);
    });

    it('uses message date without forward', () => {
      const event = normalizeTelegramUpdate(messageUpdate(101, { date: 1717500000 }));

      expect(field(event, 'sentAt')).toEqual(new Date(1717500000 * 1_000));
    });

    it('ignores message without text', () => {
      const update = messageUpdate(102, { text: undefined, new_chat_title: 'Flat' });

      expect(normalizeTelegramUpdate(update).type).toBe('ignored');
    });
  });

  describe('senders', () => {
    it.each([777000, 1087968824, 136817688])('ignores service user %i', (id) => {
      const update = messageUpdate(110, { from: { id, is_bot: false, first_name: 'Telegram' } });

      expect(normalizeTelegramUpdate(update).type).toBe('ignored');
    });

    it('ignores message with sender_chat', () => {
      const update = messageUpdate(111, {
        sender_chat: { id: -1001000000001, type: 'channel', title: 'Budget' },
      });

      expect(normalizeTelegramUpdate(update).type).toBe('ignored');
    });

    it('ignores message without from', () => {
      const update = messageUpdate(112, { from: undefined });

      expect(normalizeTelegramUpdate(update).type).toBe('ignored');
    });

    it('ignores bot senders', () => {
      const update = messageUpdate(113, { from: { id: 5000, is_bot: true, first_name: 'OtherBot' } });

      expect(normalizeTelegramUpdate(update).type).toBe('ignored');
    });

    it('ignores channel post', () => {
      const event = normalizeTelegramUpdate(sampleUpdate(500000102));

      expect(event).toEqual({ type: 'ignored', eventKey: 'telegram:500000102', reason: expect.any(String) });
    });
  });

  describe('edited messages', () => {
    it('builds edited-text event', () => {
      const event = normalizeTelegramUpdate(sampleUpdate(500000101));

      expect(event).toEqual({
        type: 'edited-text',
        eventKey: 'telegram:500000101',
        sender: { channel: 'telegram', externalId: '11110001', languageCode: 'pt', displayName: 'Ana' },
        chatId: '11110001',
        messageId: 41,
        text: 'taxi 18.50 EUR',
        sentAt: new Date(1717400000 * 1_000),
      });
    });

    it('ignores edited media caption', () => {
      const update = {
        update_id: 120,
        edited_message: {
          message_id: 9,
          from: { id: 11110001, is_bot: false, first_name: 'Ana' },
          chat: { id: 11110001, type: 'private' },
          date: 1717400000,
          caption: 'lunch 12',
          photo: [{ file_id: 'p', file_unique_id: 'u', width: 1, height: 1 }],
        },
      } as unknown as Update;

      expect(normalizeTelegramUpdate(update).type).toBe('ignored');
    });
  });

  describe('membership', () => {
    it('marks kicked bot as blocked', () => {
      const event = normalizeTelegramUpdate(sampleUpdate(500000103));

      expect(event).toEqual({
        type: 'membership',
        eventKey: 'telegram:500000103',
        sender: { channel: 'telegram', externalId: '11110002', languageCode: undefined, displayName: 'Ben' },
        chatId: '11110002',
        blocked: true,
      });
    });

    it.each([
      ['kicked', true],
      ['left', true],
      ['member', false],
    ])('maps status %s to blocked %s', (status, blocked) => {
      const sample = sampleUpdate(500000103);
      const update = {
        ...sample,
        my_chat_member: {
          ...sample.my_chat_member!,
          new_chat_member: { ...sample.my_chat_member!.new_chat_member, status },
        },
      } as Update;

      expect(field(normalizeTelegramUpdate(update), 'blocked')).toBe(blocked);
    });

    it('ignores group membership changes', () => {
      const sample = sampleUpdate(500000103);
      const update = {
        ...sample,
        my_chat_member: { ...sample.my_chat_member!, chat: { id: -100300, type: 'group', title: 'Flat' } },
      } as Update;

      expect(normalizeTelegramUpdate(update).type).toBe('ignored');
    });
  });

  describe('callback queries', () => {
    it('targets inline message by id', () => {
      const event = normalizeTelegramUpdate(sampleUpdate(500000201));

      expect(event).toEqual({
        type: 'action',
        eventKey: 'telegram:500000201',
        sender: { channel: 'telegram', externalId: '11110001', languageCode: 'pt', displayName: 'Ana' },
        chatId: '11110001',
        actionId: '4382000000000000001',
        data: 'cat:food:tx_8f2c',
        target: { inlineMessageId: 'AAAAAFakeInlineMsgId0001' },
      });
    });

    it('targets chat message by ids', () => {
      const update = {
        update_id: 130,
        callback_query: {
          id: 'q1',
          from: { id: 11110001, is_bot: false, first_name: 'Ana' },
          chat_instance: '1',
          data: 'c:tAbc',
          message: { message_id: 55, date: 1717400000, chat: { id: 11110001, type: 'private' } },
        },
      } as unknown as Update;

      const event = normalizeTelegramUpdate(update);

      expect(field(event, 'target')).toEqual({ chatId: '11110001', messageId: 55 });
    });

    it('defaults missing data to empty', () => {
      const sample = sampleUpdate(500000201);
      const { data: _data, ...query } = sample.callback_query!;

      const event = normalizeTelegramUpdate({ update_id: 131, callback_query: query } as Update);

      expect(field(event, 'data')).toBe('');
    });

    it('ignores query without target', () => {
      const sample = sampleUpdate(500000201);
      const { inline_message_id: _inline, ...query } = sample.callback_query!;

      const event = normalizeTelegramUpdate({ update_id: 132, callback_query: query } as Update);

      expect(event.type).toBe('ignored');
    });
  });

  describe('media', () => {
    it.each([
      [500000301, 'photo'],
      [500000302, 'document'],
      [500000303, 'photo'],
      [500000304, 'photo'],
      [500000401, 'voice'],
      [500000402, 'audio'],
      [500000403, 'video-note'],
    ])('maps update %i to %s', (updateId, kind) => {
      const event = normalizeTelegramUpdate(sampleUpdate(updateId));

      expect(event).toMatchObject({ type: 'media', mediaKind: kind, eventKey: `telegram:${updateId}` });
    });

    it.each([
      ['video', { video: { file_id: 'v', file_unique_id: 'u', width: 1, height: 1, duration: 1 } }],
      ['sticker', { sticker: { file_id: 's', file_unique_id: 'u', type: 'regular', width: 1, height: 1 } }],
      ['location', { location: { latitude: 38.7, longitude: -9.1 } }],
    ])('maps %s to other', (_case, payload) => {
      const event = normalizeTelegramUpdate(messageUpdate(140, { text: undefined, ...payload }));

      expect(field(event, 'mediaKind')).toBe('other');
    });

    it('keeps message id of media', () => {
      const event = normalizeTelegramUpdate(sampleUpdate(500000401));

      expect(field(event, 'messageId')).toBe(100);
    });
  });

  describe('commands', () => {
    it.each([
      ['/start', 'start', ''],
      ['/balance', 'balance', ''],
      ['/Balance', 'balance', ''],
      ['/add 12.50 lunch', 'add', '12.50 lunch'],
      ['/add@fin_test_bot 12.50 lunch', 'add', '12.50 lunch'],
      ['/stats@fin_test_bot', 'stats', ''],
      ['/add   7 taxi  ', 'add', '7 taxi'],
      ['/add 3 café ☕\nwith Ana', 'add', '3 café ☕\nwith Ana'],
      ['/settings currency EUR', 'settings', 'currency EUR'],
    ])('parses %j', (text, command, args) => {
      const event = normalizeTelegramUpdate(messageUpdate(150, { text }));

      expect(event).toMatchObject({ type: 'command', command, args });
    });

    it('keeps sentAt on commands', () => {
      const event = normalizeTelegramUpdate(messageUpdate(151, { text: '/balance', date: 1717401234 }));

      expect(field(event, 'sentAt')).toEqual(new Date(1717401234 * 1_000));
    });

    it.each(['/ not a command', 'spent 5 on /add', '/add-on 5'])('treats %j as text', (text) => {
      const event = normalizeTelegramUpdate(messageUpdate(152, { text }));

      expect(event.type).toBe('text');
    });

    it('treats caption command as media', () => {
      const update = messageUpdate(153, {
        text: undefined,
        caption: '/add 12',
        document: { file_id: 'd', file_unique_id: 'u' },
      });

      expect(normalizeTelegramUpdate(update).type).toBe('media');
    });
  });

  it('ignores unhandled update type', () => {
    const event = normalizeTelegramUpdate({ update_id: 160, poll: { id: 'p' } } as unknown as Update);

    expect(event.type).toBe('ignored');
  });
});

describe('normalizeTelegramUpdate media references (TG-03, TG-04)', () => {
  const inputs = path.resolve(__dirname, '../../../../../shared/cases/inputs');
  const deliveries = (file: string) =>
    (JSON.parse(readFileSync(path.join(inputs, file), 'utf8')) as { deliveries: Update[] }).deliveries;

  it('points a photo at its largest size, not the thumbnail, and keeps the caption', () => {
    const [photo] = deliveries('TG-03.json');

    expect(normalizeTelegramUpdate(photo!)).toMatchObject({
      type: 'media',
      mediaKind: 'photo',
      media: { id: 'PH_large_0001', mimeType: 'image/jpeg', sizeBytes: 131044 },
      caption: 'dinner receipt',
    });
  });

  it('keeps the mime type and name of an image sent as a document', () => {
    const [, document] = deliveries('TG-03.json');

    expect(normalizeTelegramUpdate(document!)).toMatchObject({
      type: 'media',
      mediaKind: 'document',
      media: { id: 'DOC_0001', mimeType: 'image/heic', fileName: 'IMG_2041.HEIC', sizeBytes: 2411000 },
    });
  });

  it('gives voice, audio and video notes a file to download', () => {
    const events = deliveries('TG-04.json').map((update) => normalizeTelegramUpdate(update));

    expect(
      events.map((event) => (event.type === 'media' ? [event.mediaKind, event.media?.mimeType] : [])),
    ).toEqual([
      ['voice', 'audio/ogg'],
      ['audio', 'audio/mpeg'],
      ['video-note', undefined],
    ]);
  });
});
