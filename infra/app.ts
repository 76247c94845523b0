import { fileURLToPath } from 'node:url';
import { App, Tags } from 'aws-cdk-lib';
import { addComplianceChecks } from './stack/compliance';
import {
  parseCurrencyCode,
  parseCurrencyList,
  parseEmailIdentityMode,
  parseEmailSender,
  parseEventSourceMaxConcurrency,
  parseHttpsUrl,
  parseReservedConcurrency,
  parseSampleRate,
} from './stack/context-options';
import { FinancyStack } from './stack/financy-stack';
import { parseStage } from './stack/stage';

// The cdk CLI runs this file with tsx as an ES module (cdk.json). The repository root is resolved
// from this file rather than the working directory, so `cdk synth` works from any folder.
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

const app = new App();
const stage = parseStage(app.node.tryGetContext('stage'));
const optionalContext = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};
const context = (key: string): unknown => app.node.tryGetContext(key);

new FinancyStack(app, `Financy-${stage}`, {
  stage,
  projectRoot,
  description:
    `Financy chat integrations (${stage}): Telegram webhook, inbound queue, processor, tables, ` +
    'FX refresh, notifications and weekly summary',
  telegramSecretVersion: optionalContext('telegramSecretVersion'),
  alarmEmail: optionalContext('alarmEmail'),
  defaultCurrency: optionalContext('defaultCurrency'),
  defaultTimeZone: optionalContext('defaultTimeZone'),
  debugSampleRate: parseSampleRate('debugSampleRate', context('debugSampleRate')),
  webhookReservedConcurrency: parseReservedConcurrency(
    'webhookReservedConcurrency',
    context('webhookReservedConcurrency'),
  ),
  processorMaxConcurrency: parseEventSourceMaxConcurrency(
    'processorMaxConcurrency',
    context('processorMaxConcurrency'),
  ),
  emailSender: parseEmailSender('emailFromAddress', context('emailFromAddress')),
  emailIdentityMode: parseEmailIdentityMode('emailIdentity', context('emailIdentity')),
  fxBaseCurrency: parseCurrencyCode('fxBaseCurrency', context('fxBaseCurrency')),
  fxCurrencies: parseCurrencyList('fxCurrencies', context('fxCurrencies')),
  notificationSenderMaxConcurrency: parseEventSourceMaxConcurrency(
    'notificationSenderMaxConcurrency',
    context('notificationSenderMaxConcurrency'),
  ),
  weeklySummarySettingsUrl: parseHttpsUrl('weeklySummarySettingsUrl', context('weeklySummarySettingsUrl')),
});

Tags.of(app).add('project', 'financy');
Tags.of(app).add('stage', stage);
addComplianceChecks(app);
