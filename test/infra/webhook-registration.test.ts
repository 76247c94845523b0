import { Match } from 'aws-cdk-lib/assertions';
import { TELEGRAM_ALLOWED_UPDATES } from '../../infra/definitions';
import {
  actionsOfFunctionRole,
  BASELINE_FUNCTION_ACTIONS,
  environmentOf,
  findFunction,
  synthesizeStack,
} from './stack-fixture';

describe('TelegramWebhookRegistration', () => {
  const template = synthesizeStack('dev');

  it('creates the bot secret with a generated webhook secret', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: JSON.stringify({ botToken: 'REPLACE_ME' }),
        GenerateStringKey: 'webhookSecret',
        ExcludePunctuation: true,
        IncludeSpace: false,
        PasswordLength: Match.anyValue(),
      },
    });
    const [secret] = Object.values(
      template.findResources('AWS::SecretsManager::Secret', {
        Properties: { GenerateSecretString: Match.objectLike({ GenerateStringKey: 'webhookSecret' }) },
      }),
    );
    const length = secret?.Properties.GenerateSecretString.PasswordLength as number;

    expect(length).toBeGreaterThanOrEqual(32);
    expect(length).toBeLessThanOrEqual(64);
  });

  it('registers the webhook URL with the allowed updates', () => {
    template.hasResourceProperties('Custom::TelegramWebhook', {
      ServiceToken: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      SecretArn: { Ref: Match.stringLikeRegexp('TelegramBotSecret') },
      WebhookUrl: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'ApiEndpoint'] }, '/webhooks/telegram']],
      },
      AllowedUpdates: [...TELEGRAM_ALLOWED_UPDATES],
      SecretVersion: 'initial',
    });
  });

  it('changes the resource when the secret version changes', () => {
    const updated = synthesizeStack('dev', { telegramSecretVersion: 'version-2' });

    updated.hasResourceProperties('Custom::TelegramWebhook', { SecretVersion: 'version-2' });
  });

  it('registers after the webhook route exists', () => {
    const routes = Object.keys(template.findResources('AWS::ApiGatewayV2::Route'));
    const [registration] = Object.values(template.findResources('Custom::TelegramWebhook'));

    expect(registration?.DependsOn).toEqual(expect.arrayContaining(routes));
  });

  it('lets the handler only read the secret', () => {
    const [, handler] = findFunction(template, 'telegram-register-webhook');

    expect(actionsOfFunctionRole(template, handler).sort()).toEqual(
      [...BASELINE_FUNCTION_ACTIONS, 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'].sort(),
    );
    expect(environmentOf(handler).TELEGRAM_API_BASE_URL).toBe('https://api.telegram.org');
  });

  it('outputs the registration message', () => {
    template.hasOutput('WebhookRegistration', {
      Value: { 'Fn::GetAtt': [Match.anyValue(), 'Message'] },
    });
    template.hasOutput('TelegramBotSecretArn', {
      Value: { Ref: Match.stringLikeRegexp('TelegramBotSecret') },
    });
  });

  it('retains the prod secret', () => {
    const prod = synthesizeStack('prod');

    prod.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});
