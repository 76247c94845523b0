/**
 * Parses a Secrets Manager value that must be a JSON object, without Powertools' JSON transform: its error
 * would quote the text, so a token stored as plain text would reach the logs. `fail` builds the error for
 * a problem; the problem never contains the value.
 */
export function parseSecretObject(raw: unknown, fail: (problem: string) => Error): Record<string, unknown> {
  if (typeof raw !== 'string') {
    throw fail('it has no string value');
  }

  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw fail(`its value of ${raw.length} characters is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('its value is not a JSON object');
  }

  return value as Record<string, unknown>;
}
