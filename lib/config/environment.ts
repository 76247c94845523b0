/** Parsers of environment variables shared by the configuration loaders. */
/** Raised when an environment variable is missing or has an invalid value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();

  return value === '' ? undefined : value;
}

export function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (value === undefined) {
    throw new ConfigError(name, 'environment variable is required but not set.');
  }

  return value;
}

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) {
    return fallback;
  }

  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got "${raw}".`);
  }

  return value;
}

export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name)?.toLowerCase();
  if (raw === undefined) {
    return fallback;
  }
  if (['true', '1', 'yes', 'on'].includes(raw)) {
    return true;
  }
  if (['false', '0', 'no', 'off'].includes(raw)) {
    return false;
  }

  throw new ConfigError(name, `expected true or false, got "${raw}".`);
}

export function currency(env: Env, name: string, fallback: string): string {
  const value = (optional(env, name) ?? fallback).toUpperCase();
  if (!/^[A-Z]{3}$/.test(value)) {
    throw new ConfigError(name, `expected an ISO 4217 code such as EUR, got "${value}".`);
  }

  return value;
}

export function timeZone(env: Env, name: string, fallback: string): string {
  const value = optional(env, name) ?? fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new ConfigError(name, `"${value}" is not an IANA time zone such as Europe/Lisbon.`);
  }

  return value;
}

export function url(env: Env, name: string, fallback: string): string {
  const value = optional(env, name) ?? fallback;
  try {
    new URL(value);
  } catch {
    throw new ConfigError(name, `expected an absolute URL, got "${value}".`);
  }

  return value.replace(/\/+$/, '');
}

export function optionalUrl(env: Env, name: string): string | undefined {
  return optional(env, name) === undefined ? undefined : url(env, name, '');
}

export function isHttpUrl(value: string): boolean {
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}
