import { previousWeekOf } from '../../../lib/notify/summary/week';

describe('previousWeekOf', () => {
  it('returns the last completed week on a Monday', () => {
    expect(previousWeekOf(new Date('2026-03-23T12:00:00Z'), 'UTC')).toEqual({
      isoWeek: '2026-W12',
      firstDay: '2026-03-16',
      lastDay: '2026-03-22',
    });
  });

  it('returns the same week later in the week', () => {
    expect(previousWeekOf(new Date('2026-03-29T23:59:00Z'), 'UTC').isoWeek).toBe('2026-W12');
  });

  it('follows the user time zone', () => {
    // Monday 02:00 UTC is still Sunday evening in New York, so the week before is another one.
    const instant = new Date('2026-03-23T02:00:00Z');

    expect(previousWeekOf(instant, 'Europe/Lisbon').isoWeek).toBe('2026-W12');
    expect(previousWeekOf(instant, 'America/New_York')).toEqual({
      isoWeek: '2026-W11',
      firstDay: '2026-03-09',
      lastDay: '2026-03-15',
    });
  });

  it('labels a week by the year of its Thursday', () => {
    // Monday 2024-12-30 to Sunday 2025-01-05 is ISO week 1 of 2025.
    expect(previousWeekOf(new Date('2025-01-06T12:00:00Z'), 'UTC')).toEqual({
      isoWeek: '2025-W01',
      firstDay: '2024-12-30',
      lastDay: '2025-01-05',
    });
  });

  it('labels week 53 of a long ISO year', () => {
    // 2026 starts on a Thursday, so it has 53 ISO weeks, and the last ends on Sunday 2027-01-03.
    expect(previousWeekOf(new Date('2027-01-04T12:00:00Z'), 'UTC')).toEqual({
      isoWeek: '2026-W53',
      firstDay: '2026-12-28',
      lastDay: '2027-01-03',
    });
  });
});
