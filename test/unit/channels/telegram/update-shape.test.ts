import {
  checkTelegramUpdate,
  PROCESSED_UPDATE_TYPES,
  TELEGRAM_UPDATE_TYPES,
  type UpdateCheck,
} from '../../../../lib/channels/telegram/update-shape';
import { allTelegramSamples, messageUpdate, sampleUpdate } from './samples';

const PROCESSED = new Set<string>(PROCESSED_UPDATE_TYPES);

function groupIdOf(check: UpdateCheck): string | undefined {
  return check.outcome === 'accepted' ? check.groupId : undefined;
}

function updateIdOf(check: UpdateCheck): number | undefined {
  return check.outcome === 'invalid' ? undefined : check.updateId;
}

function reasonOf(check: UpdateCheck): string | undefined {
  return check.outcome === 'invalid' ? check.reason : undefined;
}

describe('checkTelegramUpdate', () => {
  describe('recorded samples', () => {
    it.each(allTelegramSamples())('update %i (%s) is never invalid', (_updateId, _type, update) => {
      const check = checkTelegramUpdate(update);

      expect(check.outcome).not.toBe('invalid');
    });

    it.each(allTelegramSamples())('update %i (%s) has expected outcome', (_updateId, type, update) => {
      const check = checkTelegramUpdate(update);

      expect(check.outcome).toBe(PROCESSED.has(type) ? 'accepted' : 'ignored');
    });

    it.each(allTelegramSamples())('update %i (%s) keeps update_id', (updateId, _type, update) => {
      const check = checkTelegramUpdate(update);

      expect(updateIdOf(check)).toBe(updateId);
    });

    it.each([
      [500000101, '11110001'],
      [500000103, '11110002'],
      [500000201, '11110001'],
      [500000301, '11110001'],
      [500000401, '11110001'],
      [500000501, '11110001'],
      [500000601, '11110001'],
    ])('update %i goes to group %s', (updateId, groupId) => {
      const check = checkTelegramUpdate(sampleUpdate(updateId));

      expect(groupIdOf(check)).toBe(groupId);
    });

    it('ignores channel post', () => {
      const check = checkTelegramUpdate(sampleUpdate(500000102));

      expect(check).toEqual({ outcome: 'ignored', updateId: 500000102, type: 'channel_post' });
    });

    it('returns the same update object', () => {
      const update = sampleUpdate(500000601);

      const check = checkTelegramUpdate(update);

      expect(check.outcome === 'accepted' ? check.update : undefined).toBe(update);
    });
  });

  describe('update types', () => {
    it.each(TELEGRAM_UPDATE_TYPES.filter((type) => !PROCESSED.has(type)))('ignores %s', (type) => {
      const check = checkTelegramUpdate({ update_id: 7, [type]: { id: 'x' } });

      expect(check).toEqual({ outcome: 'ignored', updateId: 7, type });
    });

    it('ignores unknown future type', () => {
      const check = checkTelegramUpdate({ update_id: 8, guest_message: { message_id: 1, text: 'hi' } });

      expect(check).toEqual({ outcome: 'ignored', updateId: 8, type: 'unknown' });
    });

    it('ignores update with no payload', () => {
      const check = checkTelegramUpdate({ update_id: 9 });

      expect(check.outcome).toBe('ignored');
    });

    it('rejects two types', () => {
      const update = messageUpdate(10) as unknown as Record<string, unknown>;
      const twoTypes = { ...update, edited_message: update.message };

      const check = checkTelegramUpdate(twoTypes);

      expect(check.outcome).toBe('invalid');
    });

    it('names both types when rejecting', () => {
      const check = checkTelegramUpdate({ update_id: 11, channel_post: {}, poll: {} });

      expect(reasonOf(check)).toContain('channel_post, poll');
    });
  });

  describe('body and update_id', () => {
    it.each([
      ['null', null],
      ['array', [messageUpdate(1)]],
      ['string', '{"update_id":1}'],
      ['number', 1],
    ])('rejects %s body', (_case, body) => {
      expect(checkTelegramUpdate(body).outcome).toBe('invalid');
    });

    it.each([
      ['missing', undefined],
      ['string', '12'],
      ['fraction', 1.5],
      ['negative', -1],
      ['unsafe integer', 2 ** 53],
      ['null', null],
    ])('rejects %s update_id', (_case, updateId) => {
      const update = { ...(messageUpdate(1) as unknown as Record<string, unknown>), update_id: updateId };

      expect(checkTelegramUpdate(update).outcome).toBe('invalid');
    });

    it('accepts update_id zero', () => {
      expect(checkTelegramUpdate(messageUpdate(0)).outcome).toBe('accepted');
    });
  });

  describe('message fields', () => {
    it.each([
      ['null message', { message: null }],
      ['message_id as string', { message: { message_id: '1' } }],
      ['missing date', { message: { date: undefined } }],
      ['date as string', { message: { date: '1717400000' } }],
      ['text as number', { message: { text: 42 } }],
      ['caption as object', { message: { caption: { text: 'x' } } }],
      ['from without id', { message: { from: { first_name: 'Ana' } } }],
      ['from id as string', { message: { from: { id: '11110001' } } }],
      ['missing chat', { message: { chat: undefined } }],
      ['chat id as string', { message: { chat: { id: '11110001', type: 'private' } } }],
      ['chat without type', { message: { chat: { id: 11110001 } } }],
    ])('rejects %s', (_case, override) => {
      const base = messageUpdate(20) as unknown as { update_id: number; message: Record<string, unknown> };
      const update =
        override.message === null
          ? { ...base, message: null }
          : { ...base, message: { ...base.message, ...override.message } };

      expect(checkTelegramUpdate(update).outcome).toBe('invalid');
    });

    it('rejects wrong edited_message fields', () => {
      const check = checkTelegramUpdate({
        update_id: 21,
        edited_message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: ['a'] },
      });

      expect(check.outcome).toBe('invalid');
    });

    it('accepts message without from', () => {
      const base = messageUpdate(22) as unknown as { update_id: number; message: Record<string, unknown> };
      const { from: _from, ...message } = base.message;

      expect(checkTelegramUpdate({ update_id: 22, message }).outcome).toBe('accepted');
    });

    it('groups group messages by chat', () => {
      const update = messageUpdate(23, { chat: { id: -1001234567890, type: 'supergroup', title: 'Flat' } });

      expect(groupIdOf(checkTelegramUpdate(update))).toBe('-1001234567890');
    });
  });

  describe('callback_query fields', () => {
    const from = { id: 11110001, is_bot: false, first_name: 'Ana' };
    const message = { message_id: 5, date: 1717400000, chat: { id: -100200, type: 'group', title: 'Flat' } };

    it('groups by message chat', () => {
      const check = checkTelegramUpdate({
        update_id: 30,
        callback_query: { id: 'q1', from, chat_instance: '1', data: 'c:t1', message },
      });

      expect(groupIdOf(check)).toBe('-100200');
    });

    it('groups inline button by sender', () => {
      const check = checkTelegramUpdate({
        update_id: 31,
        callback_query: { id: 'q2', from, chat_instance: '1', data: 'c:t1', inline_message_id: 'AAA' },
      });

      expect(groupIdOf(check)).toBe('11110001');
    });

    it.each([
      ['numeric id', { id: 1, from }],
      ['missing from', { id: 'q' }],
      ['from id as string', { id: 'q', from: { id: '11110001' } }],
      ['data as number', { id: 'q', from, data: 5 }],
      ['message without chat', { id: 'q', from, message: { message_id: 5, date: 1 } }],
    ])('rejects %s', (_case, query) => {
      expect(checkTelegramUpdate({ update_id: 32, callback_query: query }).outcome).toBe('invalid');
    });

    it('prefixes nested message problems', () => {
      const check = checkTelegramUpdate({
        update_id: 33,
        callback_query: { id: 'q', from, message: { message_id: 'x', date: 1, chat: message.chat } },
      });

      expect(reasonOf(check)).toMatch(/^callback_query\.message/);
    });
  });

  describe('my_chat_member fields', () => {
    it.each([
      ['missing new_chat_member', { chat: { id: 1, type: 'private' } }],
      ['status as number', { chat: { id: 1, type: 'private' }, new_chat_member: { status: 1 } }],
      ['missing chat', { new_chat_member: { status: 'kicked' } }],
    ])('rejects %s', (_case, member) => {
      expect(checkTelegramUpdate({ update_id: 40, my_chat_member: member }).outcome).toBe('invalid');
    });
  });
});
