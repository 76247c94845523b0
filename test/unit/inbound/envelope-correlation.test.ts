import {
  InvalidEnvelopeError,
  parseEnvelope,
  serializeEnvelope,
  type TelegramEnvelope,
} from '../../../lib/inbound/envelope';

const ENVELOPE: TelegramEnvelope = {
  version: 1,
  channel: 'telegram',
  updateId: 42,
  receivedAtEpochMs: 1_700_000_000_000,
  update: { update_id: 42 } as TelegramEnvelope['update'],
};

describe('InboundEnvelope correlationId', () => {
  it('survives serialization', () => {
    const envelope = { ...ENVELOPE, correlationId: 'Zx1abcDEF=' };

    expect(parseEnvelope(serializeEnvelope(envelope)).correlationId).toBe('Zx1abcDEF=');
  });

  it('is optional in envelopes written before it existed', () => {
    const body = JSON.stringify(ENVELOPE);

    expect(parseEnvelope(body).correlationId).toBeUndefined();
  });

  it('rejects a correlationId that is not a string', () => {
    const body = JSON.stringify({ ...ENVELOPE, correlationId: 7 });

    expect(() => parseEnvelope(body)).toThrow(InvalidEnvelopeError);
  });
});
