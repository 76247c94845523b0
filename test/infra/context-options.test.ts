import {
  InvalidContextValueError,
  parseEventSourceMaxConcurrency,
  parseReservedConcurrency,
  parseSampleRate,
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
