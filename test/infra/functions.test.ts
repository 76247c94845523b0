import { SERVICE_NAMES } from '../../infra/definitions';
import { environmentOf, findFunction, synthesizeStack, type TemplateResource } from './stack-fixture';

const SERVICES = Object.values(SERVICE_NAMES);

describe('ApplicationFunction', () => {
  const template = synthesizeStack('dev');

  it.each(SERVICES)('runs %s on Node.js 22 and ARM64', (service) => {
    const [, resource] = findFunction(template, service);

    expect(resource.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
    });
  });

  it.each(SERVICES)('gives %s a log group with retention', (service) => {
    const [, resource] = findFunction(template, service);
    const loggingConfig = resource.Properties?.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined;
    const logGroupId = loggingConfig?.LogGroup?.Ref ?? '(no log group)';
    const logGroup = template.toJSON().Resources[logGroupId] as TemplateResource | undefined;

    expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup?.Properties?.RetentionInDays).toBe(7);
  });

  it.each(SERVICES)('sets Powertools variables on %s', (service) => {
    const [, resource] = findFunction(template, service);

    expect(environmentOf(resource)).toMatchObject({
      POWERTOOLS_SERVICE_NAME: service,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('keeps credentials out of every environment', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as TemplateResource[];

    for (const resource of functions) {
      const environment = environmentOf(resource);
      const credentialNames = Object.keys(environment).filter((name) =>
        /BOT_TOKEN|WEBHOOK_SECRET|API_KEY|WEBHOOK_URLS|ACCESS_TOKEN|(^|_)APP_SECRET|VERIFY_TOKEN/.test(name),
      );
      expect(credentialNames).toEqual([]);
      expect(JSON.stringify(environment)).not.toMatch(
        /REPLACE_ME|resolve:secretsmanager|SecretString|hooks\.slack\.com/,
      );
    }
  });

  it('gives the WhatsApp functions the secret ARN', () => {
    for (const service of ['whatsapp-webhook', 'message-processor']) {
      const [, resource] = findFunction(template, service);
      expect(environmentOf(resource).WHATSAPP_SECRET_ARN).toEqual({
        Ref: expect.stringContaining('WhatsAppIngestSecret'),
      });
    }
  });

  it('gives the webhook and processor the secret ARN', () => {
    for (const service of ['telegram-webhook', 'message-processor']) {
      const [, resource] = findFunction(template, service);
      expect(environmentOf(resource).TELEGRAM_SECRET_ARN).toEqual({
        Ref: expect.stringContaining('TelegramBotSecret'),
      });
    }
  });
});
