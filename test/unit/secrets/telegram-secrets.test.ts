import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  createTelegramSecretsLoader,
  TelegramSecretFormatError,
} from '../../../lib/secrets/telegram-secrets';

const SECRET_ID = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:financy-bot';
const TOKEN = '7000000001:AAplantedTokenValue_abcdefghijklmnop';

/** A Secrets Manager provider that returns `value` for every secret, as `get` without a transform does. */
function providerReturning(value: unknown): SecretsProvider {
  return { get: async () => value } as unknown as SecretsProvider;
}

function loaderFor(value: unknown) {
  return createTelegramSecretsLoader(
    { kind: 'secrets-manager', secretId: SECRET_ID, maxAgeSeconds: 300 },
    providerReturning(value),
  );
}

async function errorOf(value: unknown): Promise<Error> {
  try {
    await loaderFor(value)();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the loader to throw');
}

describe('createTelegramSecretsLoader', () => {
  it('reads both fields from the secret JSON', async () => {
    const secrets = await loaderFor(JSON.stringify({ botToken: TOKEN, webhookSecret: 'hook-secret' }))();

    expect(secrets).toEqual({ botToken: TOKEN, webhookSecret: 'hook-secret' });
  });

  it('names a missing field', async () => {
    const error = await errorOf(JSON.stringify({ botToken: TOKEN }));

    expect(error).toBeInstanceOf(TelegramSecretFormatError);
    expect(error.message).toContain('webhookSecret is missing');
    expect(error.message).not.toContain(TOKEN);
  });

  it('hides a token stored as plain text', async () => {
    const error = await errorOf(TOKEN);

    expect(error).toBeInstanceOf(TelegramSecretFormatError);
    expect(error.message).toContain(`${TOKEN.length} characters is not JSON`);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain('AAplanted');
  });

  it('rejects a JSON value that is not an object', async () => {
    const error = await errorOf(JSON.stringify([TOKEN]));

    expect(error.message).toContain('not a JSON object');
    expect(error.message).not.toContain(TOKEN);
  });

  it('rejects a secret without a string value', async () => {
    const error = await errorOf(undefined);

    expect(error.message).toContain('no string value');
  });

  it('uses the local values without Secrets Manager', async () => {
    const loader = createTelegramSecretsLoader({
      kind: 'environment',
      botToken: TOKEN,
      webhookSecret: 'local-secret',
    });

    expect(await loader()).toEqual({ botToken: TOKEN, webhookSecret: 'local-secret' });
  });
});
