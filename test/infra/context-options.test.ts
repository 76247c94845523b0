import {
  InvalidContextValueError,
  parseBoolean,
  parseCurrencyCode,
  parseCurrencyList,
  parseEmailAddress,
  parseEmailIdentityMode,
  parseEmailSender,
  parseEventSourceMaxConcurrency,
  parseHttpsUrl,
  parseReservedConcurrency,
  parseSampleRate,
  parseText,
} from '../../infra/stack/context-options';

describe('parseSampleRate', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['0', 0],
    ['0.1', 0.1],
    [1, 1],
  ])('parses %j as %j', (value, expected) => {
    expect(parseSampleRate('debugSampleRate', value)).toBe(expected);
  });

  it.each(['1.5', '-0.1', 'often', ' ', Number.NaN, true])('rejects %j', (value) => {
    expect(() => parseSampleRate('debugSampleRate', value)).toThrow(InvalidContextValueError);
  });

  it('names the option and the accepted range', () => {
    expect(() => parseSampleRate('debugSampleRate', '2')).toThrow(
      'Context value debugSampleRate="2" is invalid: expected a number from 0 to 1, such as 0.1.',
    );
  });
});

describe('parseReservedConcurrency', () => {
  it.each([
    [undefined, undefined],
    ['none', null],
    ['1', 1],
    [40, 40],
  ])('parses %j as %j', (value, expected) => {
    expect(parseReservedConcurrency('webhookReservedConcurrency', value)).toBe(expected);
  });

  it.each(['0', '-3', '2.5', 'off'])('rejects %j', (value) => {
    expect(() => parseReservedConcurrency('webhookReservedConcurrency', value)).toThrow(
      /webhookReservedConcurrency=.* or none for no reserved concurrency/,
    );
  });
});

describe('parseEventSourceMaxConcurrency', () => {
  it.each([
    [undefined, undefined],
    ['2', 2],
    [1_000, 1_000],
  ])('parses %j as %j', (value, expected) => {
    expect(parseEventSourceMaxConcurrency('processorMaxConcurrency', value)).toBe(expected);
  });

  it.each(['1', '1001', '3.5', 'many'])('rejects %j', (value) => {
    expect(() => parseEventSourceMaxConcurrency('processorMaxConcurrency', value)).toThrow(
      'expected a whole number from 2 to 1000',
    );
  });
});

describe('parseEmailSender', () => {
  it.each([
    [
      'reports@example.com',
      { from: 'reports@example.com', address: 'reports@example.com', domain: 'example.com' },
    ],
    [
      'Financy <reports@Mail.Example.com>',
      {
        from: 'Financy <reports@Mail.Example.com>',
        address: 'reports@Mail.Example.com',
        domain: 'mail.example.com',
      },
    ],
  ])('parses %j', (value, expected) => {
    expect(parseEmailSender('emailFromAddress', value)).toEqual(expected);
  });

  it('leaves an unset option undefined', () => {
    expect(parseEmailSender('emailFromAddress', undefined)).toBeUndefined();
  });

  it.each(['reports', 'a@b', 'ana@example.com, ben@example.com', 'Financy <reports>', 42])(
    'rejects %j',
    (value) => {
      expect(() => parseEmailSender('emailFromAddress', value)).toThrow(InvalidContextValueError);
      expect(() => parseEmailSender('emailFromAddress', value)).toThrow(
        'an e-mail address such as reports@example.com',
      );
    },
  );
});

describe('parseEmailIdentityMode', () => {
  it.each([
    [undefined, undefined],
    ['address', 'address'],
    ['domain', 'domain'],
    ['existing', 'existing'],
  ])('parses %j as %j', (value, expected) => {
    expect(parseEmailIdentityMode('emailIdentity', value)).toBe(expected);
  });

  it('lists the modes when it rejects a value', () => {
    expect(() => parseEmailIdentityMode('emailIdentity', 'dns')).toThrow(
      'Context value emailIdentity="dns" is invalid: expected one of address, domain, existing.',
    );
  });
});

describe('parseCurrencyCode and parseCurrencyList', () => {
  it('parses codes in any case', () => {
    expect(parseCurrencyCode('fxBaseCurrency', 'eur')).toBe('EUR');
    expect(parseCurrencyList('fxCurrencies', 'eur, GBP,brl,EUR')).toEqual(['EUR', 'GBP', 'BRL']);
  });

  it('leaves an empty code unset', () => {
    expect(parseCurrencyCode('fxBaseCurrency', '')).toBeUndefined();
  });

  it.each(['euro', 'E1R', 3])('rejects the code %j', (value) => {
    expect(() => parseCurrencyCode('fxBaseCurrency', value)).toThrow('an ISO 4217 code such as EUR');
  });

  it.each(['EUR,euro', 'EUR;GBP', ','])('rejects the list %j', (value) => {
    expect(() => parseCurrencyList('fxCurrencies', value)).toThrow('comma-separated ISO 4217 codes');
  });
});

describe('parseHttpsUrl', () => {
  it('parses an https URL', () => {
    expect(parseHttpsUrl('weeklySummarySettingsUrl', 'https://financy.example.com/settings')).toBe(
      'https://financy.example.com/settings',
    );
  });

  it.each(['http://financy.example.com', 'settings', 7])('rejects %j', (value) => {
    expect(() => parseHttpsUrl('weeklySummarySettingsUrl', value)).toThrow('an https URL');
  });
});

describe('parseText', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['Europe/Lisbon', 'Europe/Lisbon'],
  ])('parses %j as %j', (value, expected) => {
    expect(parseText('defaultTimeZone', value)).toBe(expected);
  });

  it('rejects a number', () => {
    expect(() => parseText('defaultTimeZone', 3)).toThrow('expected a string');
  });
});

describe('parseEmailAddress', () => {
  it('parses a bare address', () => {
    expect(parseEmailAddress('alarmEmail', ' ops@example.com ')).toBe('ops@example.com');
  });

  it.each(['ops', 'Ops <ops@example.com>', 'ops@example', 42])('rejects %j', (value) => {
    expect(() => parseEmailAddress('alarmEmail', value)).toThrow(InvalidContextValueError);
  });
});

describe('parseCurrencyList arrays', () => {
  it('parses an array of codes', () => {
    expect(parseCurrencyList('fxCurrencies', ['eur', 'GBP', 'EUR'])).toEqual(['EUR', 'GBP']);
  });

  it.each([[[]], [['EUR', 3]]])('rejects %j', (value) => {
    expect(() => parseCurrencyList('fxCurrencies', value)).toThrow(InvalidContextValueError);
  });
});

describe('parseBoolean', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['true', true],
    ['false', false],
    [true, true],
    [false, false],
  ])('parses %j as %j', (value, expected) => {
    expect(parseBoolean('whatsapp', value)).toBe(expected);
  });

  it.each(['yes', 'False', '0', 1, null])('rejects %j', (value) => {
    expect(() => parseBoolean('whatsapp', value)).toThrow(
      `Context value whatsapp=${JSON.stringify(value)} is invalid: expected true or false.`,
    );
  });
});
