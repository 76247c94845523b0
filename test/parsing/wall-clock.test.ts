import { InvalidTimeZoneError, InvalidWallClockTimeError } from '../../lib/parsing/errors';
import { localWallClockToInstant, parseReferenceTime, wallClockAt } from '../../lib/parsing/wall-clock';

describe('localWallClockToInstant', () => {
  it('converts winter time in Lisbon', () => {
    expect(localWallClockToInstant('2026-01-15T12:00:00', 'Europe/Lisbon').toISOString()).toBe(
      '2026-01-15T12:00:00.000Z',
    );
  });

  it('converts summer time in Lisbon', () => {
    expect(localWallClockToInstant('2026-07-15T12:00:00', 'Europe/Lisbon').toISOString()).toBe(
      '2026-07-15T11:00:00.000Z',
    );
  });

  it('converts a zone east of UTC across midnight', () => {
    expect(localWallClockToInstant('2026-01-02T01:30', 'Asia/Kolkata').toISOString()).toBe(
      '2026-01-01T20:00:00.000Z',
    );
  });

  it('moves a skipped spring-forward time past the gap', () => {
    expect(localWallClockToInstant('2026-03-08T02:30:00', 'America/New_York').toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });

  it('picks the earlier instant for a repeated fall-back time', () => {
    expect(localWallClockToInstant('2025-11-02T01:30:00', 'America/New_York').toISOString()).toBe(
      '2025-11-02T05:30:00.000Z',
    );
  });

  it('keeps milliseconds', () => {
    expect(localWallClockToInstant('2026-03-18T12:00:00.5', 'UTC').toISOString()).toBe(
      '2026-03-18T12:00:00.500Z',
    );
  });

  it.each(['2026-02-30T10:00:00', '2026-03-18T24:00:00', '2026-03-18', '2026-03-18T12:00:00Z', 'yesterday'])(
    'rejects %s',
    (value) => {
      expect(() => localWallClockToInstant(value, 'UTC')).toThrow(InvalidWallClockTimeError);
    },
  );

  it('rejects an unknown time zone', () => {
    expect(() => localWallClockToInstant('2026-03-18T12:00:00', 'Mars/Olympus')).toThrow(
      InvalidTimeZoneError,
    );
  });
});

describe('wallClockAt', () => {
  it('reads local fields in the zone', () => {
    const parts = wallClockAt(new Date('2026-01-01T20:00:00Z'), 'Asia/Kolkata');

    expect(parts).toEqual({ year: 2026, month: 1, day: 2, hour: 1, minute: 30, second: 0 });
  });

  it('reports midnight as hour 0', () => {
    expect(wallClockAt(new Date('2026-03-18T00:00:00Z'), 'UTC').hour).toBe(0);
  });
});

describe('parseReferenceTime', () => {
  it('reads an instant with an offset as is', () => {
    expect(parseReferenceTime('2026-03-18T12:00:00+02:00', 'Asia/Tokyo').toISOString()).toBe(
      '2026-03-18T10:00:00.000Z',
    );
  });

  it('reads time without an offset as local time', () => {
    expect(parseReferenceTime('2026-03-18T12:00:00', 'Asia/Tokyo').toISOString()).toBe(
      '2026-03-18T03:00:00.000Z',
    );
  });

  it('rejects text that is no date', () => {
    expect(() => parseReferenceTime('soonZ', 'UTC')).toThrow(InvalidWallClockTimeError);
  });
});
