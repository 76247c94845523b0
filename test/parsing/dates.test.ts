import { type CivilDate, formatCivilDate } from '../../lib/parsing/civil-date';
import { extractDates, numericDateOrderFor } from '../../lib/parsing/dates';

/** Wednesday. */
const WEDNESDAY: CivilDate = { year: 2026, month: 3, day: 18 };

/** Sunday, the first of the month, so "the 3rd" lies in the future. */
const FIRST_OF_MARCH: CivilDate = { year: 2026, month: 3, day: 1 };

function dateIn(
  text: string,
  today: CivilDate = WEDNESDAY,
  order = numericDateOrderFor('EUR'),
): string | null {
  const mention = extractDates(text, today, order).mention;
  return mention ? formatCivilDate(mention.date) : null;
}

describe('extractDates', () => {
  it.each([
    ['lunch today', '2026-03-18'],
    ['lunch yesterday', '2026-03-17'],
    ['taxi day before yesterday', '2026-03-16'],
    ['drinks last night', '2026-03-17'],
    ['dinner on monday', '2026-03-16'],
    ['dinner on wednesday', '2026-03-18'],
    ['dinner last wednesday', '2026-03-11'],
    ['dinner last friday', '2026-03-13'],
    ['dinner on friday', '2026-03-13'],
    ['dinner on thursday', '2026-03-12'],
    ['brunch last sun', '2026-03-15'],
    ['taxi 2 days ago', '2026-03-16'],
    ['hotel a week ago', '2026-03-11'],
    ['rent on the 3rd', '2026-03-03'],
    ['rent on the 18th', '2026-03-18'],
    ['rent on the 20th', '2026-02-20'],
    ['dinner 2024-03-14', '2024-03-14'],
    ['gym 14/03', '2026-03-14'],
    ['gym 14/03/2025', '2025-03-14'],
    ['gym 14.03.2025', '2025-03-14'],
    ['gym 14-03-2025', '2025-03-14'],
    ['concert March 3', '2026-03-03'],
    ['concert on 3rd of March', '2026-03-03'],
    ['concert 3 March 2025', '2025-03-03'],
    ['concert March 20', '2025-03-20'],
    ['concert Dec 28', '2025-12-28'],
  ])('dates "%s" as %s', (text, expected) => {
    expect(dateIn(text)).toBe(expected);
  });

  it('returns no date when there is none', () => {
    expect(dateIn('coffee 3')).toBeNull();
  });

  it('takes the month from before when the day has not come yet', () => {
    expect(dateIn('groceries on the 3rd', FIRST_OF_MARCH)).toBe('2026-02-03');
  });

  it('skips months without the day', () => {
    expect(dateIn('rent on the 31st', { year: 2026, month: 3, day: 30 })).toBe('2026-01-31');
  });

  it('reads month first for US dollar users', () => {
    expect(dateIn('dinner 03/04', WEDNESDAY, 'month-first')).toBe('2026-03-04');
  });

  it('reads day first for other users', () => {
    expect(dateIn('dinner 03/04', WEDNESDAY, 'day-first')).toBe('2025-04-03');
  });

  it('falls back to the other order when one is impossible', () => {
    expect(dateIn('dinner 14/03', WEDNESDAY, 'month-first')).toBe('2026-03-14');
  });

  it('never puts a weekday in the future', () => {
    expect(dateIn('dinner on saturday')).toBe('2026-03-14');
  });

  it('treats a number after a month as the year only when plausible', () => {
    expect(dateIn('rent March 3 1500')).toBe('2026-03-03');
  });

  it('does not read an abbreviation without a qualifier as a weekday', () => {
    expect(dateIn('sat on the sofa 20')).toBeNull();
  });

  it('ignores next week', () => {
    expect(dateIn('dinner next friday')).toBeNull();
  });

  it('returns the span of every date', () => {
    expect(extractDates('rent on the 3rd', WEDNESDAY, 'day-first').spans).toEqual([{ start: 5, end: 15 }]);
  });
});

describe('numericDateOrderFor', () => {
  it('returns month-first for USD', () => {
    expect(numericDateOrderFor('USD')).toBe('month-first');
  });

  it('returns day-first for EUR', () => {
    expect(numericDateOrderFor('EUR')).toBe('day-first');
  });
});
