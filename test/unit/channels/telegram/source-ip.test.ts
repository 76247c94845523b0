import { isTelegramSourceIp, TELEGRAM_WEBHOOK_NETWORKS } from '../../../../lib/channels/telegram/source-ip';

describe('isTelegramSourceIp', () => {
  it('covers the published networks', () => {
    expect(TELEGRAM_WEBHOOK_NETWORKS).toEqual(['149.154.160.0/20', '91.108.4.0/22']);
  });

  it.each([
    '149.154.160.0',
    '149.154.160.1',
    '149.154.167.220',
    '149.154.175.255',
    '91.108.4.0',
    '91.108.5.17',
    '91.108.7.255',
  ])('accepts %s', (address) => {
    expect(isTelegramSourceIp(address)).toBe(true);
  });

  it.each([
    '149.154.159.255',
    '149.154.176.0',
    '91.108.3.255',
    '91.108.8.0',
    '127.0.0.1',
    '10.0.0.1',
    '8.8.8.8',
    '0.0.0.0',
    '255.255.255.255',
  ])('rejects %s', (address) => {
    expect(isTelegramSourceIp(address)).toBe(false);
  });

  it.each(['::ffff:149.154.167.220', '::ffff:91.108.4.1', '::FFFF:149.154.175.255'])(
    'accepts IPv4-mapped %s',
    (address) => {
      expect(isTelegramSourceIp(address)).toBe(true);
    },
  );

  it.each(['::ffff:149.154.176.0', '::ffff:127.0.0.1'])('rejects IPv4-mapped %s', (address) => {
    expect(isTelegramSourceIp(address)).toBe(false);
  });

  it.each(['2001:67c:4e8:f004::9', '2001:db8::1', '::1', '::'])('rejects IPv6 %s', (address) => {
    expect(isTelegramSourceIp(address)).toBe(false);
  });

  it.each([
    '',
    'not-an-ip',
    'telegram.org',
    '149.154.167.256',
    '149.154.167.220, 10.0.0.1',
    '149.154.167.220:443',
    '149.154.160.0/20',
    ' 149.154.167.220',
  ])('rejects garbage %j', (address) => {
    expect(isTelegramSourceIp(address)).toBe(false);
  });

  it('rejects undefined', () => {
    expect(isTelegramSourceIp(undefined)).toBe(false);
  });
});
