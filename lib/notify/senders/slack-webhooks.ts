import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigError, parseSlackWebhooks, type SlackWebhookSource } from '../../config';
import { SlackSecretFormatError, UnknownSlackWebhookError } from '../errors';

/** The Secrets Manager read that the resolver needs, which Powertools `SecretsProvider` provides. */
export interface SecretReader {
  get(secretId: string, options: { maxAge: number }): Promise<unknown>;
}

/** Returns the URL of a Slack webhook by its configured name. */
export type SlackWebhookResolver = (webhook: string) => Promise<string>;

/**
 * Creates a resolver of Slack webhook URLs. On AWS the secret is read with caching for `maxAgeSeconds`, so a
 * rotated URL is picked up without a redeploy. The secret is read as a string and parsed here, because a
 * JSON parse error message would quote the secret's text.
 */
export function createSlackWebhookResolver(
  source: SlackWebhookSource,
  provider: SecretReader = new SecretsProvider(),
): SlackWebhookResolver {
  const lookUp = (webhooks: Readonly<Record<string, string>>, webhook: string): string => {
    const webhookUrl = webhooks[webhook];
    if (webhookUrl === undefined) {
      throw new UnknownSlackWebhookError(webhook);
    }
    return webhookUrl;
  };

  if (source.kind === 'environment') {
    return async (webhook) => lookUp(source.webhooks, webhook);
  }

  return async (webhook) => {
    const raw = await provider.get(source.secretId, { maxAge: source.maxAgeSeconds });
    if (typeof raw !== 'string') {
      throw new SlackSecretFormatError(source.secretId, 'it has no string value');
    }
    try {
      return lookUp(parseSlackWebhooks(raw, source.secretId), webhook);
    } catch (error) {
      if (error instanceof ConfigError) {
        throw new SlackSecretFormatError(source.secretId, error.message);
      }
      throw error;
    }
  };
}
