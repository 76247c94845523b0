import { createHash, randomInt } from 'node:crypto';

/**
 * Characters of a link code: digits and capital letters without 0, O, 1, I and L, which people misread
 * when they copy a code from one app to another. 31 characters over 8 positions give about 8.5 × 10^11
 * codes.
 */
export const LINK_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Characters in a link code, without the dash shown in the middle. */
export const LINK_CODE_LENGTH = 8;

/** Limits of link codes. */
export interface LinkCodeLimits {
  /** How long a code works after it was issued. */
  codeLifetimeMs: number;
  /** Codes one user may get within `requestWindowMs`. */
  maxCodesPerWindow: number;
  requestWindowMs: number;
  /** Wrong or expired codes one user may send within `failureWindowMs` before redemption is paused. */
  maxFailedAttempts: number;
  failureWindowMs: number;
}

/** Default limits: a 10-minute code, 5 codes a day, and 5 wrong codes an hour. */
export const LINK_CODE_LIMITS: Readonly<LinkCodeLimits> = Object.freeze({
  codeLifetimeMs: 10 * 60_000,
  maxCodesPerWindow: 5,
  requestWindowMs: 24 * 3_600_000,
  maxFailedAttempts: 5,
  failureWindowMs: 3_600_000,
});

const VALID_CODE = new RegExp(`^[${LINK_CODE_ALPHABET}]{${LINK_CODE_LENGTH}}$`);

/** Generates a random link code of {@link LINK_CODE_LENGTH} characters, without the dash. */
export function generateLinkCode(): string {
  let code = '';
  for (let index = 0; index < LINK_CODE_LENGTH; index += 1) {
    code += LINK_CODE_ALPHABET[randomInt(0, LINK_CODE_ALPHABET.length)];
  }

  return code;
}

/**
 * Formats a code as the user sees it, in two groups of four.
 * @example formatLinkCode('K7QF3M9D') // 'K7QF-3M9D'
 */
export function formatLinkCode(code: string): string {
  const half = LINK_CODE_LENGTH / 2;

  return `${code.slice(0, half)}-${code.slice(half)}`;
}

/**
 * Returns the code as stored, upper-case without dashes or white space, or `undefined` when the text is
 * not a link code.
 * @example normalizeLinkCode(' k7qf 3m9d ') // 'K7QF3M9D'
 */
export function normalizeLinkCode(text: string): string | undefined {
  const code = text.replace(/[\s-]/g, '').toUpperCase();

  return VALID_CODE.test(code) ? code : undefined;
}

/** A message that is only a link code in the shown form, such as `K7QF-3M9D` or `k7qf-3m9d`. */
const SHOWN_CODE = new RegExp(`^\\s*[${LINK_CODE_ALPHABET}]{4}-[${LINK_CODE_ALPHABET}]{4}\\s*$`, 'i');

/**
 * Whether a plain message is a link code as the bot shows it (with the dash), which people paste without
 * the /link in front. Only the dashed form counts, so an ordinary message is never taken for a code.
 */
export function isShownLinkCode(text: string): boolean {
  return SHOWN_CODE.test(text);
}

/**
 * Returns the hex SHA-256 of a normalized code. The hash is the lookup key of the code, so it has no salt.
 * NOTE: someone holding a copy of the identities table can search all codes for a hash offline. A code
 * works for 10 minutes only, and such a reader already sees every user's data.
 */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}
