import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { InvalidContextValueError, UnknownContextKeyError } from '../../infra/stack/context-options';
import { FinancyStack } from '../../infra/stack/financy-stack';
import {
  InvalidSettingsFileError,
  readStageSettings,
  resolveStackSettings,
  type StackSettings,
} from '../../infra/stack/stage-settings';
import { environmentOf, findFunction, PROJECT_ROOT } from './stack-fixture';

const COMMITTED_SETTINGS = path.join(PROJECT_ROOT, 'infra', 'stages');

let settingsDirectory: string;
let outdir: string;

beforeEach(() => {
  settingsDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'financy-stages-'));
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'financy-synth-'));
});

afterEach(() => {
  fs.rmSync(settingsDirectory, { recursive: true, force: true });
  fs.rmSync(outdir, { recursive: true, force: true });
});

function writeSettings(stage: string, content: unknown): void {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  fs.writeFileSync(path.join(settingsDirectory, `${stage}.json`), text);
}

/** Resolves the settings as infra/app.ts does, from `context` and the temporary settings directory. */
function resolve(context: Record<string, unknown> = {}): StackSettings {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  return resolveStackSettings(app.node, settingsDirectory);
}

/** Synthesizes the stack as infra/app.ts does, without bundling. */
function synthesize(context: Record<string, unknown> = {}): Template {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const settings = resolveStackSettings(app.node, settingsDirectory);
  const stack = new FinancyStack(app, `Financy-${settings.stage}`, {
    ...settings,
    projectRoot: PROJECT_ROOT,
  });

  return Template.fromStack(stack);
}

describe('stage settings file', () => {
  it('keeps the alarm subscription and SES identity without -c', () => {
    writeSettings('dev', {
      alarmEmail: 'ops@example.com',
      emailFromAddress: 'Financy <reports@example.com>',
    });

    const template = synthesize({ stage: 'dev', telegramSecretVersion: 'v2' });

    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'reports@example.com' });
  });

  it('lets -c override a file value', () => {
    writeSettings('dev', { alarmEmail: 'ops@example.com', debugSampleRate: 0.5 });

    const settings = resolve({ alarmEmail: 'oncall@example.com' });

    expect(settings.alarmEmail).toBe('oncall@example.com');
    expect(settings.debugSampleRate).toBe(0.5);
  });

  it('reads only the file of the chosen stage', () => {
    writeSettings('dev', { alarmEmail: 'dev@example.com' });
    writeSettings('prod', { alarmEmail: 'prod@example.com' });

    expect(resolve({ stage: 'prod' }).alarmEmail).toBe('prod@example.com');
    expect(resolve().alarmEmail).toBe('dev@example.com');
  });

  it('is optional', () => {
    const settings = resolve({ stage: 'prod' });

    expect(settings.stage).toBe('prod');
    expect(settings.alarmEmail).toBeUndefined();
  });

  it('accepts JSON numbers and arrays', () => {
    writeSettings('dev', { webhookReservedConcurrency: 3, fxCurrencies: ['eur', 'GBP'] });

    const settings = resolve();

    expect(settings.webhookReservedConcurrency).toBe(3);
    expect(settings.fxCurrencies).toEqual(['EUR', 'GBP']);
  });

  it('validates values with the option parsers', () => {
    writeSettings('dev', { debugSampleRate: 2 });

    expect(() => resolve()).toThrow(InvalidContextValueError);
    expect(() => resolve()).toThrow('Context value debugSampleRate=2 is invalid');
  });

  it('rejects a misspelt key with a suggestion', () => {
    writeSettings('dev', { alarmemail: 'ops@example.com' });

    expect(() => resolve()).toThrow(UnknownContextKeyError);
    expect(() => resolve()).toThrow(
      /Unknown context key "alarmemail" in stage settings file .*dev\.json\. Did you mean "alarmEmail"\?/,
    );
  });

  it.each(['stage', 'telegramSecretVersion'])('rejects %s, a -c only option', (key) => {
    writeSettings('dev', { [key]: 'dev' });

    expect(() => resolve()).toThrow(InvalidSettingsFileError);
    expect(() => resolve()).toThrow(`which can only be given as -c ${key}=<value>`);
  });

  it('rejects CDK settings', () => {
    writeSettings('dev', { '@aws-cdk/core:newStyleStackSynthesis': true });

    expect(() => resolve()).toThrow('put CDK settings in cdk.json');
  });

  it.each([
    ['invalid JSON', '{"alarmEmail": '],
    ['an array', '[]'],
    ['a string', '"ops@example.com"'],
  ])('rejects %s', (_case, text) => {
    writeSettings('dev', text);

    expect(() => resolve()).toThrow(InvalidSettingsFileError);
  });

  it.each(['dev', 'prod'])('committed %s file is valid', (stage) => {
    expect(readStageSettings(COMMITTED_SETTINGS, stage)).toEqual(expect.any(Object));
  });
});

describe('WhatsApp settings', () => {
  it('turns WhatsApp off from the settings file', () => {
    writeSettings('prod', { whatsapp: false });

    const template = synthesize({ stage: 'prod' });

    expect(resolve({ stage: 'prod' }).whatsapp).toBe(false);
    expect(() => findFunction(template, 'whatsapp-webhook')).toThrow('found 0');
  });

  it('lets -c whatsapp=true override the file', () => {
    writeSettings('dev', { whatsapp: false });

    expect(resolve({ whatsapp: 'true' }).whatsapp).toBe(true);
    expect(resolve({ whatsapp: 'false' }).whatsapp).toBe(false);
  });

  it('leaves WhatsApp to the stage default when unset', () => {
    expect(resolve().whatsapp).toBeUndefined();
  });

  it('passes the template options to the processor', () => {
    writeSettings('dev', { whatsappReplyTemplate: 'financy_reply_v2', whatsappTemplateLanguage: 'pt_BR' });

    const [, processor] = findFunction(synthesize({ whatsappApiVersion: 'v24.0' }), 'message-processor');

    expect(environmentOf(processor)).toMatchObject({
      WHATSAPP_REPLY_TEMPLATE: 'financy_reply_v2',
      WHATSAPP_TEMPLATE_LANGUAGE: 'pt_BR',
      WHATSAPP_API_VERSION: 'v24.0',
    });
  });

  it.each([
    ['whatsapp', 'no', 'expected true or false'],
    ['whatsappReplyTemplate', 'Financy Reply', 'lowercase letters, digits and underscores'],
    ['whatsappTemplateLanguage', 'english', 'such as en, en_US or pt_BR'],
    ['whatsappApiVersion', '23.0', 'such as v23.0'],
  ])('rejects %s=%j', (key, value, expected) => {
    expect(() => resolve({ [key]: value })).toThrow(InvalidContextValueError);
    expect(() => resolve({ [key]: value })).toThrow(expected);
  });
});

describe('AI settings', () => {
  it('reads the AI options from the settings file', () => {
    writeSettings('prod', {
      ai: true,
      vision: true,
      transcriber: 'transcribe',
      aiDailyBudgetUsd: 0.1,
      openaiModel: 'gpt-4.1-nano',
    });

    expect(resolve({ stage: 'prod' }).aiOptions).toEqual({
      ai: true,
      vision: true,
      transcriber: 'transcribe',
      aiDailyBudgetUsd: '0.1',
      openaiModel: 'gpt-4.1-nano',
    });
  });

  it('lets -c ai=false override the file', () => {
    writeSettings('dev', { ai: true, vision: true });

    expect(resolve({ ai: 'false' }).aiOptions).toMatchObject({ ai: false, vision: true });
  });

  it('leaves every AI option to its default when unset', () => {
    expect(resolve().aiOptions).toEqual({
      ai: undefined,
      vision: undefined,
      transcriber: undefined,
      aiDailyBudgetUsd: undefined,
      openaiModel: undefined,
    });
  });

  it('accepts a daily budget of 0', () => {
    expect(resolve({ aiDailyBudgetUsd: '0' }).aiOptions?.aiDailyBudgetUsd).toBe('0');
  });

  it('passes the settings to the processor', () => {
    writeSettings('dev', { ai: true, aiDailyBudgetUsd: '0.25', openaiModel: 'gpt-4.1-nano' });

    const [, processor] = findFunction(synthesize({ transcriber: 'transcribe' }), 'message-processor');

    expect(environmentOf(processor)).toMatchObject({
      AI_DAILY_BUDGET_USD: '0.25',
      OPENAI_MODEL: 'gpt-4.1-nano',
      TRANSCRIBER: 'transcribe',
      OPENAI_SECRET_ARN: { Ref: expect.stringContaining('OpenAiKeySecret') },
      TRANSCRIBE_BUCKET: { Ref: expect.stringContaining('TranscriptionBucket') },
    });
    expect(environmentOf(processor).VISION_SECRET_ARN).toBeUndefined();
  });

  it.each([
    ['ai', 'yes', 'expected true or false'],
    ['vision', 1, 'expected true or false'],
    ['transcriber', 'polly', 'one of whisper, transcribe'],
    ['aiDailyBudgetUsd', '-1', 'from 0 to 100'],
    ['aiDailyBudgetUsd', '101', 'from 0 to 100'],
    ['aiDailyBudgetUsd', '1e-2', 'from 0 to 100'],
    ['openaiModel', 'gpt 4', 'an OpenAI model id'],
  ])('rejects %s=%j', (key, value, expected) => {
    expect(() => resolve({ [key]: value })).toThrow(InvalidContextValueError);
    expect(() => resolve({ [key]: value })).toThrow(expected);
  });
});

describe('context keys', () => {
  it('rejects a misspelt -c key and names the known ones', () => {
    expect(() => resolve({ alarmemail: 'ops@example.com' })).toThrow(
      /^Unknown context key "alarmemail" in the app context .*Did you mean "alarmEmail"\? Known keys: stage, telegramSecretVersion, alarmEmail,/,
    );
  });

  it('rejects an unknown -c key without a close match', () => {
    expect(() => resolve({ alarmAddress: 'ops@example.com' })).toThrow(
      /^Unknown context key "alarmAddress" in the app context \(-c, cdk.json or cdk.context.json\)\. Known keys: /,
    );
  });

  it('accepts the keys of cdk.json and the CDK', () => {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    };
    const context = {
      ...cdkJson.context,
      notices: false,
      'acknowledged-issue-numbers': [12345],
      '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
      'aws:cdk:enable-path-metadata': true,
      'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a'],
    };

    expect(() => resolve(context)).not.toThrow();
  });

  it('rejects an invalid alarm e-mail address', () => {
    expect(() => resolve({ alarmEmail: 'ops at example.com' })).toThrow(
      'Context value alarmEmail="ops at example.com" is invalid: expected an e-mail address such as ops@example.com.',
    );
  });
});
