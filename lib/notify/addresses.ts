import { createHash } from 'node:crypto';

/**
 * A practical check of an e-mail address: one `@`, no spaces, angle brackets, commas or quotes, a dot in the
 * domain, and at most 254 characters (the longest path that SMTP accepts, RFC 5321). It does not try to
 * accept every address that RFC 5322 allows.
 */
const EMAIL_ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** An E.164 phone number: a plus sign and up to 15 digits, the first not 0. */
export const E164_PHONE_NUMBER = /^\+[1-9]\d{1,14}$/;

/** Returns true for a string that passes the practical address check above. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL_ADDRESS.test(value);
}

/**
 * Returns the key of an address in the suppression table: trimmed and lower-cased. The local part is
 * case-sensitive in theory, but mailbox providers treat it as case-insensitive, and SES feedback may
 * spell an address differently from the request that sent to it.
 */
export function suppressionKey(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * Splits address header values into addresses. A value may hold several comma-separated addresses
 * (`"ana@example.com, ben@example.org"`, as SES sometimes reports `commonHeaders.to`) and display names
 * (`"Doe, Ana" <ana@example.com>`). Commas inside quotes or angle brackets do not split. Returns the
 * addresses trimmed, without display names, in their original spelling; parts without an address are dropped.
 */
export function splitAddressList(values: readonly string[]): string[] {
  const addresses: string[] = [];
  for (const value of values) {
    for (const part of splitOutsideQuotes(value)) {
      const address = addressOf(part);
      if (address !== undefined) {
        addresses.push(address);
      }
    }
  }

  return addresses;
}

/**
 * Returns a short, stable pseudonym of an address for logs: the first 16 hex digits of the SHA-256 of its
 * suppression key. Log lines carry it in place of the address, so one address's events can be followed
 * without writing the address down. Someone who already has a candidate address can test it against the
 * hash, so it is a pseudonym, not an anonymization, and phone numbers never get one.
 */
export function addressHash(address: string): string {
  return createHash('sha256').update(suppressionKey(address)).digest('hex').slice(0, 16);
}

function splitOutsideQuotes(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  let angleDepth = 0;
  for (const character of value) {
    if (character === '"') {
      inQuotes = !inQuotes;
    } else if (!inQuotes && character === '<') {
      angleDepth += 1;
    } else if (!inQuotes && character === '>') {
      angleDepth = Math.max(0, angleDepth - 1);
    } else if (character === ',' && !inQuotes && angleDepth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += character;
  }
  parts.push(current);

  return parts;
}

function addressOf(part: string): string | undefined {
  const bracketed = /<([^<>]*)>\s*$/.exec(part);
  const candidate = (bracketed?.[1] ?? part).trim();

  return isEmailAddress(candidate) ? candidate : undefined;
}
