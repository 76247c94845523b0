import { correlationIdFrom } from '../../../lib/notify/preferences/destinations';

describe('correlationIdFrom', () => {
  it('keeps a UUID as it is', () => {
    expect(correlationIdFrom('0b5c2a4e-7f1d-4c38-9a63-2d0e8f6b1c77')).toBe(
      '0b5c2a4e-7f1d-4c38-9a63-2d0e8f6b1c77',
    );
  });

  it('replaces the padding of an API Gateway request id', () => {
    expect(correlationIdFrom('JcDTqgVkIAMEJ2Q=')).toBe('JcDTqgVkIAMEJ2Q-');
  });

  it('replaces the colon of an event key', () => {
    expect(correlationIdFrom('telegram:500000101')).toBe('telegram-500000101');
  });

  it('fits the notification id limit of 128 characters', () => {
    expect(correlationIdFrom('a'.repeat(300))).toHaveLength(128);
  });
});
