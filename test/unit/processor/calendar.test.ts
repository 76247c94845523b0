import { isTimeZone, localDate, monthOf } from '../../../lib/processor/calendar';

/** 00:30 UTC on 1 March 2024: already 13:30 on 1 March in Auckland, still 29 February in Los Angeles. */
const MARCH_BOUNDARY = new Date('2024-03-01T00:30:00Z');
/** 11:30 UTC on 31 January 2024: 1 February in Auckland, 31 January in Los Angeles. */
const FEBRUARY_BOUNDARY = new Date('2024-01-31T11:30:00Z');

describe('localDate', () => {
  it.each([
    [MARCH_BOUNDARY, 'Pacific/Auckland', '2024-03-01'],
    [MARCH_BOUNDARY, 'America/Los_Angeles', '2024-02-29'],
    [MARCH_BOUNDARY, 'UTC', '2024-03-01'],
    [FEBRUARY_BOUNDARY, 'Pacific/Auckland', '2024-02-01'],
    [FEBRUARY_BOUNDARY, 'America/Los_Angeles', '2024-01-31'],
    [new Date('2024-12-31T23:59:59Z'), 'Asia/Tokyo', '2025-01-01'],
    [new Date('2025-01-01T00:00:00Z'), 'America/Los_Angeles', '2024-12-31'],
  ])('maps %o in %s to %s', (instant, timeZone, date) => {
    expect(localDate(instant, timeZone)).toBe(date);
  });
});

describe('monthOf', () => {
  it('gives Auckland its March', () => {
    expect(monthOf(MARCH_BOUNDARY, 'Pacific/Auckland')).toEqual({
      month: '2024-03',
      firstDay: '2024-03-01',
      lastDay: '2024-03-31',
    });
  });

  it('gives Los Angeles leap February', () => {
    expect(monthOf(MARCH_BOUNDARY, 'America/Los_Angeles')).toEqual({
      month: '2024-02',
      firstDay: '2024-02-01',
      lastDay: '2024-02-29',
    });
  });

  it('gives Auckland leap February', () => {
    expect(monthOf(FEBRUARY_BOUNDARY, 'Pacific/Auckland')).toEqual({
      month: '2024-02',
      firstDay: '2024-02-01',
      lastDay: '2024-02-29',
    });
  });

  it('gives Los Angeles its January', () => {
    expect(monthOf(FEBRUARY_BOUNDARY, 'America/Los_Angeles')).toEqual({
      month: '2024-01',
      firstDay: '2024-01-01',
      lastDay: '2024-01-31',
    });
  });

  it.each([
    ['2023-02-15T12:00:00Z', '2023-02-28'],
    ['2024-02-15T12:00:00Z', '2024-02-29'],
    ['2000-02-15T12:00:00Z', '2000-02-29'],
    ['2100-02-15T12:00:00Z', '2100-02-28'],
    ['2024-04-15T12:00:00Z', '2024-04-30'],
    ['2024-12-15T12:00:00Z', '2024-12-31'],
  ])('ends month of %s on %s', (instant, lastDay) => {
    expect(monthOf(new Date(instant), 'UTC').lastDay).toBe(lastDay);
  });

  it('rolls Auckland into new year', () => {
    expect(monthOf(new Date('2024-12-31T12:00:00Z'), 'Pacific/Auckland').month).toBe('2025-01');
  });
});

describe('isTimeZone', () => {
  it.each(['UTC', 'Europe/Lisbon', 'Pacific/Auckland', 'America/Los_Angeles'])('accepts %s', (timeZone) => {
    expect(isTimeZone(timeZone)).toBe(true);
  });

  it.each(['Mars/Olympus_Mons', 'Lisbon', '', 'GMT+25'])('rejects %j', (timeZone) => {
    expect(isTimeZone(timeZone)).toBe(false);
  });
});
