import { countRequest, windowWaitMs } from '../../../lib/domain/request-window';
import {
  formatLinkCode,
  generateLinkCode,
  hashLinkCode,
  isShownLinkCode,
  LINK_CODE_ALPHABET,
  normalizeLinkCode,
} from '../../../lib/processor/linking/link-codes';

const HOUR_MS = 3_600_000;
const LIMIT = { maxPerWindow: 2, windowMs: HOUR_MS };

describe('link codes', () => {
  it('generates eight characters of the alphabet', () => {
    const codes = Array.from({ length: 200 }, generateLinkCode);

    for (const code of codes) {
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('leaves out characters people misread', () => {
    for (const ambiguous of ['0', 'O', '1', 'I', 'L']) {
      expect(LINK_CODE_ALPHABET).not.toContain(ambiguous);
    }
    expect(LINK_CODE_ALPHABET).toHaveLength(31);
  });

  it('formats a code in two groups', () => {
    expect(formatLinkCode('K7QF3M9D')).toBe('K7QF-3M9D');
  });

  it.each([
    ['grouped', 'K7QF-3M9D'],
    ['lower case', 'k7qf-3m9d'],
    ['without the dash', 'K7QF3M9D'],
    ['with spaces', ' k7qf 3m9d '],
  ])('normalizes a code %s', (_name, text) => {
    expect(normalizeLinkCode(text)).toBe('K7QF3M9D');
  });

  it.each([
    ['too short', 'K7QF-3M9'],
    ['too long', 'K7QF-3M9DD'],
    ['with a zero', 'K7QF-3M90'],
    ['with an O', 'K7QF-3M9O'],
    ['with an I', 'K7QF-3MI9'],
    ['with an L', 'L7QF-3M9D'],
    ['with a one', '17QF-3M9D'],
    ['with other words', 'K7QF-3M9D please'],
    ['empty', ''],
  ])('rejects a code %s', (_name, text) => {
    expect(normalizeLinkCode(text)).toBeUndefined();
  });

  it('hashes a code with SHA-256', () => {
    expect(hashLinkCode('K7QF3M9D')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashLinkCode('K7QF3M9D')).toBe(hashLinkCode(normalizeLinkCode('k7qf-3m9d')!));
    expect(hashLinkCode('K7QF3M9D')).not.toBe(hashLinkCode('K7QF3M9E'));
  });
});

describe('request window', () => {
  it('starts a window with the first request', () => {
    expect(countRequest(undefined, 1_000, LIMIT)).toEqual({
      windowStartEpochMs: 1_000,
      count: 1,
      lastRequestedAtEpochMs: 1_000,
    });
  });

  it('waits until the full window ends', () => {
    const first = countRequest(undefined, 0, LIMIT);
    const second = countRequest(first, 10 * 60_000, LIMIT);

    expect(windowWaitMs(first, 10 * 60_000, LIMIT)).toBe(0);
    expect(second.count).toBe(2);
    expect(windowWaitMs(second, 15 * 60_000, LIMIT)).toBe(45 * 60_000);
    expect(windowWaitMs(second, HOUR_MS, LIMIT)).toBe(0);
  });

  it('starts a new window after the old one ends', () => {
    const full = { windowStartEpochMs: 0, count: 2, lastRequestedAtEpochMs: 100 };

    expect(countRequest(full, HOUR_MS, LIMIT)).toEqual({
      windowStartEpochMs: HOUR_MS,
      count: 1,
      lastRequestedAtEpochMs: HOUR_MS,
    });
  });
});

describe('isShownLinkCode', () => {
  it.each(['K7QF-3M9D', ' k7qf-3m9d '])('takes %p for a pasted code', (text) => {
    expect(isShownLinkCode(text)).toBe(true);
  });

  it.each(['K7QF3M9D', 'taxi 25.00', 'K7QF-3M9D lunch', 'K0QF-3M9D', 'ABCD-EFG'])(
    'does not take %p for a code',
    (text) => {
      expect(isShownLinkCode(text)).toBe(false);
    },
  );
});
