import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'constructs';
import { parseDailyBudgetUsd, parseOpenAiModel, parseTranscriber } from './ai-options';
import {
  assertKnownContextKeys,
  type ContextOption,
  parseBoolean,
  parseCurrencyCode,
  parseCurrencyList,
  parseEmailAddress,
  parseEmailIdentityMode,
  parseEmailSender,
  parseEventSourceMaxConcurrency,
  parseHttpsUrl,
  parseReservedConcurrency,
  parseSampleRate,
  parseText,
  parseUsdAmount,
} from './context-options';
import type { FinancyStackProps } from './financy-stack-props';
import { parseStage } from './stage';
import { parseWhatsAppOptions } from './whatsapp-options';

/** Raised when a stage settings file cannot be read or contains something other than known options. */
export class InvalidSettingsFileError extends Error {
  override readonly name = 'InvalidSettingsFileError';
}

/**
 * Options that a stage settings file must not contain. The file belongs to one stage, and
 * `telegramSecretVersion` changes with every new bot secret, so both stay `-c` options.
 */
const COMMAND_LINE_ONLY: ReadonlySet<ContextOption> = new Set(['stage', 'telegramSecretVersion']);

/** Returns the path of the settings file of `stage` in `directory`: `<directory>/<stage>.json`. */
export function stageSettingsPath(directory: string, stage: string): string {
  return path.join(directory, `${stage}.json`);
}

/**
 * Reads the settings file of `stage`, a JSON object of context options. A missing file means no settings.
 * @throws InvalidSettingsFileError when the file is not a JSON object, or contains an unknown key or a
 * command-line-only option.
 */
export function readStageSettings(directory: string, stage: string): Record<string, unknown> {
  const file = stageSettingsPath(directory, stage);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return {};
    }
    throw error;
  }

  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (error) {
    throw new InvalidSettingsFileError(
      `Stage settings file ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new InvalidSettingsFileError(
      `Stage settings file ${file} must contain a JSON object, such as {"alarmEmail": "ops@example.com"}.`,
    );
  }

  const keys = Object.keys(settings);
  for (const key of keys) {
    if (key.includes(':') || key.includes('@')) {
      throw new InvalidSettingsFileError(
        `Stage settings file ${file} contains "${key}", which is a CDK setting; put CDK settings in cdk.json.`,
      );
    }
    if (COMMAND_LINE_ONLY.has(key as ContextOption)) {
      throw new InvalidSettingsFileError(
        `Stage settings file ${file} contains "${key}", which can only be given as -c ${key}=<value>.`,
      );
    }
  }
  assertKnownContextKeys(keys, `stage settings file ${file}`);

  return settings as Record<string, unknown>;
}

/** The stack properties that the app's options set. */
export type StackSettings = Pick<
  FinancyStackProps,
  | 'stage'
  | 'telegramSecretVersion'
  | 'alarmEmail'
  | 'defaultCurrency'
  | 'defaultTimeZone'
  | 'debugSampleRate'
  | 'webhookReservedConcurrency'
  | 'processorMaxConcurrency'
  | 'emailSender'
  | 'emailIdentityMode'
  | 'fxBaseCurrency'
  | 'fxCurrencies'
  | 'notificationSenderMaxConcurrency'
  | 'weeklySummarySettingsUrl'
  | 'whatsapp'
  | 'whatsappOptions'
  | 'aiDailySpendAlarmUsd'
  | 'aiOptions'
>;

/**
 * Resolves the stack's options from the app context (`-c`, cdk.json) and the settings file of the stage in
 * `settingsDirectory`. A context value overrides the file's value of the same option.
 * @throws UnknownContextKeyError for an unknown context key, InvalidSettingsFileError for a bad settings
 * file, and InvalidContextValueError for an invalid value from either.
 */
export function resolveStackSettings(node: Node, settingsDirectory: string): StackSettings {
  assertKnownContextKeys(
    Object.keys(node.getAllContext()),
    'the app context (-c, cdk.json or cdk.context.json)',
  );

  const stage = parseStage(node.tryGetContext('stage'));
  const fileSettings = readStageSettings(settingsDirectory, stage);
  const option = (key: ContextOption): unknown => {
    const value: unknown = node.tryGetContext(key);
    return value === undefined ? fileSettings[key] : value;
  };

  return {
    stage,
    telegramSecretVersion: parseText('telegramSecretVersion', option('telegramSecretVersion')),
    alarmEmail: parseEmailAddress('alarmEmail', option('alarmEmail')),
    defaultCurrency: parseText('defaultCurrency', option('defaultCurrency')),
    defaultTimeZone: parseText('defaultTimeZone', option('defaultTimeZone')),
    debugSampleRate: parseSampleRate('debugSampleRate', option('debugSampleRate')),
    webhookReservedConcurrency: parseReservedConcurrency(
      'webhookReservedConcurrency',
      option('webhookReservedConcurrency'),
    ),
    processorMaxConcurrency: parseEventSourceMaxConcurrency(
      'processorMaxConcurrency',
      option('processorMaxConcurrency'),
    ),
    emailSender: parseEmailSender('emailFromAddress', option('emailFromAddress')),
    emailIdentityMode: parseEmailIdentityMode('emailIdentity', option('emailIdentity')),
    fxBaseCurrency: parseCurrencyCode('fxBaseCurrency', option('fxBaseCurrency')),
    fxCurrencies: parseCurrencyList('fxCurrencies', option('fxCurrencies')),
    notificationSenderMaxConcurrency: parseEventSourceMaxConcurrency(
      'notificationSenderMaxConcurrency',
      option('notificationSenderMaxConcurrency'),
    ),
    weeklySummarySettingsUrl: parseHttpsUrl('weeklySummarySettingsUrl', option('weeklySummarySettingsUrl')),
    whatsapp: parseBoolean('whatsapp', option('whatsapp')),
    whatsappOptions: parseWhatsAppOptions({
      replyTemplate: option('whatsappReplyTemplate'),
      templateLanguage: option('whatsappTemplateLanguage'),
      apiVersion: option('whatsappApiVersion'),
    }),
    aiDailySpendAlarmUsd: parseUsdAmount('aiDailySpendAlarmUsd', option('aiDailySpendAlarmUsd')),
    aiOptions: {
      ai: parseBoolean('ai', option('ai')),
      vision: parseBoolean('vision', option('vision')),
      aiInsights: parseBoolean('aiInsights', option('aiInsights')),
      transcriber: parseTranscriber('transcriber', option('transcriber')),
      aiDailyBudgetUsd: parseDailyBudgetUsd('aiDailyBudgetUsd', option('aiDailyBudgetUsd')),
      openaiModel: parseOpenAiModel('openaiModel', option('openaiModel')),
    },
  };
}
