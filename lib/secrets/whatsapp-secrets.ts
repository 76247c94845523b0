import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { parsePhoneNumberIds, type WhatsAppSecretSource } from '../config';
import { parseSecretObject } from './secret-json';

/** The WhatsApp Cloud API credentials and the business phone numbers the bot answers on. */
export interface WhatsAppSecrets {
  /** System-user access token for the Graph API. */
  accessToken: string;
  /** App secret that signs webhook POST bodies (X-Hub-Signature-256). */
  appSecret: string;
  /** Token that Meta's GET subscription handshake must present. */
  verifyToken: string;
  /** Graph API ids of the business phone numbers; messages to other numbers are ignored. */
  phoneNumberIds: string[];
}

/** Raised when the Secrets Manager secret does not hold the expected JSON. The message never quotes a value. */
export class WhatsAppSecretFormatError extends Error {
  override readonly name = 'WhatsAppSecretFormatError';

  constructor(secretId: string, problem: string) {
    super(
      `Secret ${secretId} must be a JSON object with string fields accessToken, appSecret and verifyToken and ` +
        `phoneNumberIds (an array of id strings); ${problem}. Update it with aws secretsmanager put-secret-value.`,
    );
  }
}

/** Returns the WhatsApp secrets, read from Secrets Manager with caching, or from the local configuration. */
export type WhatsAppSecretsLoader = () => Promise<WhatsAppSecrets>;

function phoneNumberIdsOf(secretId: string, value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? [value] : undefined;
  if (raw === undefined || !raw.every((id) => typeof id === 'string')) {
    throw new WhatsAppSecretFormatError(secretId, 'phoneNumberIds is missing or not an array of strings');
  }
  try {
    return parsePhoneNumberIds(raw.join(','), `phoneNumberIds of secret ${secretId}`);
  } catch {
    throw new WhatsAppSecretFormatError(secretId, 'phoneNumberIds holds an id that is not digits');
  }
}

/**
 * Creates a loader for the WhatsApp secrets. On AWS the secret is fetched once and cached in the instance
 * for `maxAgeSeconds`, so a rotated access token or app secret is picked up without a redeploy.
 */
export function createWhatsAppSecretsLoader(
  source: WhatsAppSecretSource,
  provider: SecretsProvider = new SecretsProvider(),
): WhatsAppSecretsLoader {
  if (source.kind === 'environment') {
    const { accessToken, appSecret, verifyToken, phoneNumberIds } = source;
    const secrets = { accessToken, appSecret, verifyToken, phoneNumberIds: [...phoneNumberIds] };
    return async () => secrets;
  }

  return async () => {
    const raw = await provider.get(source.secretId, { maxAge: source.maxAgeSeconds });
    const value = parseSecretObject(
      raw,
      (problem) => new WhatsAppSecretFormatError(source.secretId, problem),
    );
    for (const field of ['accessToken', 'appSecret', 'verifyToken']) {
      if (typeof value[field] !== 'string' || value[field] === '') {
        throw new WhatsAppSecretFormatError(source.secretId, `${field} is missing`);
      }
    }

    return {
      accessToken: value.accessToken as string,
      appSecret: value.appSecret as string,
      verifyToken: value.verifyToken as string,
      phoneNumberIds: phoneNumberIdsOf(source.secretId, value.phoneNumberIds ?? value.phoneNumberId),
    };
  };
}
