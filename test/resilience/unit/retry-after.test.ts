import { parseGoDuration, parseRetryAfter, parseRetryAfterMs } from '../../../lib/resilience/retry-after';

const NOW_MS = Date.UTC(2015, 9, 21, 7, 28, 0);

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 5 ', 5_000],
    ['0', 0],
    ['1.5', 1_500],
  ])('reads seconds %p', (value, expectedMs) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(expectedMs);
  });

  it.each([
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30_000],
    ['Wednesday, 21-Oct-15 07:29:00 GMT', 60_000],
    ['Wed Oct 21 07:30:00 2015', 120_000],
    ['Wed Oct  1 00:00:00 2015', 0],
  ])('reads HTTP-date %p', (value, expectedMs) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(expectedMs);
  });

  it('returns zero for a past date', () => {
    expect(parseRetryAfter('Tue, 20 Oct 2015 07:28:00 GMT', NOW_MS)).toBe(0);
  });

  it.each([
    [''],
    ['   '],
    ['-5'],
    ['soon'],
    ['2015-10-21'],
    ['Wed, 31 Feb 2015 07:28:00 GMT'],
    ['Wed, 21 Oct 2015 07:28:00 UTC'],
    ['2015-10-21T07:28:30Z'],
  ])('rejects %p', (value) => {
    expect(parseRetryAfter(value, NOW_MS)).toBeUndefined();
  });

  it('rejects a missing header', () => {
    expect(parseRetryAfter(null, NOW_MS)).toBeUndefined();
  });
});

describe('parseRetryAfterMs', () => {
  it.each([
    ['250', 250],
    ['20.5', 20.5],
    [' 7 ', 7],
  ])('reads %p', (value, expectedMs) => {
    expect(parseRetryAfterMs(value)).toBe(expectedMs);
  });

  it.each([[''], ['-1'], ['abc'], ['1e3'], ['NaN']])('ignores %p', (value) => {
    expect(parseRetryAfterMs(value)).toBeUndefined();
  });

  it('ignores a missing header', () => {
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['6m0s', 360_000],
    ['7.66s', 7_660],
    ['76ms', 76],
    ['1h2m3.5s', 3_723_500],
    ['0', 0],
    ['.5s', 500],
    ['1500us', 1.5],
    ['2000000ns', 2],
    ['-1.5h', -5_400_000],
  ])('reads %p', (value, expectedMs) => {
    expect(parseGoDuration(value)).toBeCloseTo(expectedMs, 9);
  });

  it.each([[''], ['6'], ['6x'], ['m'], ['.s'], ['1h 2m'], ['6m0'], ['--1s']])('rejects %p', (value) => {
    expect(parseGoDuration(value)).toBeUndefined();
  });
});
