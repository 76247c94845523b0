import {
  envelopeId,
  InvalidEnvelopeError,
  parseEnvelope,
  serializeEnvelope,
  type WhatsAppEnvelope,
} from '../../../lib/inbound/envelope';

const ENVELOPE: WhatsAppEnvelope = {
  version: 1,
  channel: 'whatsapp',
  eventId: 'wamid.IN0000000000000000071',
  phoneNumberId: '200000000000002',
  receivedAtEpochMs: 1_717_600_700_000,
  correlationId: 'req-1',
  item: {
    kind: 'message',
    message: {
      from: '351910000001',
      id: 'wamid.IN0000000000000000071',
      timestamp: '1717600703',
      type: 'text',
      text: { body: 'farmácia 8,40 💊' },
    },
  },
};

describe('WhatsApp envelopes', () => {
  it('round-trip through the ASCII serialization with non-ASCII text intact', () => {
    const body = serializeEnvelope(ENVELOPE);

    expect(/^[\x20-\x7e]*$/.test(body)).toBe(true);
    expect(parseEnvelope(body)).toEqual(ENVELOPE);
  });

  it('are named in logs by their event id', () => {
    expect(envelopeId(ENVELOPE)).toBe('wamid.IN0000000000000000071');
  });

  it.each([
    ['no event id', { ...ENVELOPE, eventId: '' }],
    ['no phone number id', { ...ENVELOPE, phoneNumberId: 7 }],
    ['an item of another kind', { ...ENVELOPE, item: { kind: 'reaction' } }],
    ['a message without an id', { ...ENVELOPE, item: { kind: 'message', message: { from: '1' } } }],
    ['a status without an id', { ...ENVELOPE, item: { kind: 'status', status: {} } }],
    ['an unknown channel', { ...ENVELOPE, channel: 'signal' }],
    ['no receive time', { ...ENVELOPE, receivedAtEpochMs: undefined }],
  ])('are rejected with %s', (_name, envelope) => {
    expect(() => parseEnvelope(JSON.stringify(envelope))).toThrow(InvalidEnvelopeError);
  });
});
