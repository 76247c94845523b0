import {
  InvalidEnvelopeError,
  parseEnvelope,
  serializeEnvelope,
  type TelegramEnvelope,
} from '../../../lib/inbound/envelope';

function envelopeWithText(text: string): TelegramEnvelope {
  return {
    version: 1,
    channel: 'telegram',
    updateId: 42,
    receivedAtEpochMs: 1_700_000_000_000,
    update: {
      update_id: 42,
      message: { message_id: 1, date: 1, chat: { id: 7, type: 'private', first_name: 'Ana' }, text },
    } as TelegramEnvelope['update'],
  };
}

describe('serializeEnvelope', () => {
  it.each([
    ['emoji', '🍕🍕 pizza 12.40'],
    ['accents', 'café 3,20 €'],
    ['narrow no-break space', '4\u202f500,00 €'],
    ['control characters', 'tab\tnull\u0000'],
    ['a lone surrogate', 'broken \ud83c text'],
  ])('writes ASCII only for %s', (_name, text) => {
    const body = serializeEnvelope(envelopeWithText(text));

    expect(/^[\x20-\x7e]*$/.test(body)).toBe(true);
  });

  it.each([
    ['emoji', '🍕🍕 pizza 12.40'],
    ['accents', 'café 3,20 €'],
    ['a lone surrogate', 'broken \ud83c text'],
  ])('round-trips %s exactly', (_name, text) => {
    const envelope = envelopeWithText(text);

    const parsed = parseEnvelope(serializeEnvelope(envelope));

    expect(parsed).toEqual(envelope);
  });
});

describe('parseEnvelope', () => {
  it.each([
    ['not JSON', '{"version":'],
    ['a wrong version', '{"version":2,"channel":"telegram","updateId":1,"update":{}}'],
    ['a fractional update id', '{"version":1,"channel":"telegram","updateId":1.5,"update":{}}'],
    ['no update', '{"version":1,"channel":"telegram","updateId":1}'],
  ])('rejects %s', (_name, body) => {
    expect(() => parseEnvelope(body)).toThrow(InvalidEnvelopeError);
  });
});

describe('parseEnvelope with an album envelope', () => {
  const album = {
    version: 1,
    kind: 'album',
    channel: 'telegram',
    albumId: 'Qm3x_Yv-0aZ8pL1sT9wEcd',
    chatId: '11110001',
    sender: { channel: 'telegram', externalId: '11110001' },
    receivedAtEpochMs: 1_700_000_000_000,
  };

  it('reads the album the processor queued for itself', () => {
    expect(parseEnvelope(JSON.stringify(album))).toEqual(album);
  });

  it.each([
    ['an album id with a slash', { albumId: 'a/b' }, 'URL-safe'],
    ['an album id over 40 characters', { albumId: 'a'.repeat(41) }, 'URL-safe'],
    ['an unknown channel', { channel: 'sms' }, 'expected "telegram" or "whatsapp"'],
    ['no chat id', { chatId: 7 }, 'needs a chatId string'],
    [
      'a sender of another channel',
      { sender: { channel: 'whatsapp', externalId: '1' } },
      'on channel telegram',
    ],
  ])('rejects %s', (_case, change, message) => {
    const body = JSON.stringify({ ...album, ...change });

    expect(() => parseEnvelope(body)).toThrow(InvalidEnvelopeError);
    expect(() => parseEnvelope(body)).toThrow(message);
  });
});
