import type { StackProps } from 'aws-cdk-lib';
import type { FUNCTION_ENTRIES } from '../definitions';
import type { AiOptions } from './ai-options';
import type { LogLevel } from './application-function';
import type { EmailIdentityMode, EmailSender } from './context-options';
import type { Stage } from './stage';
import type { WhatsAppOptions } from './whatsapp-options';

/** Entry files of the stack's functions, by function. */
export type FunctionEntries = Record<keyof typeof FUNCTION_ENTRIES, string>;

/** Properties of {@link FinancyStack}. */
export interface FinancyStackProps extends StackProps {
  /** Stage that picks removal policies, deletion protection and log retention. */
  readonly stage: Stage;
  /**
   * Absolute path of the repository root, against which function entries are resolved. The CDK
   * app passes the folder above infra/, so synth works from any working directory.
   * @default process.cwd(), which is the repository root when the cdk CLI runs the app
   */
  readonly projectRoot?: string;
  /**
   * Entry files that replace the ones in FUNCTION_ENTRIES, absolute or relative to `projectRoot`.
   * NodejsFunction rejects an entry outside `projectRoot`, so stand-in files belong inside it.
   * @default FUNCTION_ENTRIES from infra/definitions
   */
  readonly entries?: Partial<FunctionEntries>;
  /**
   * Powertools log level of every function.
   * @default 'INFO'
   */
  readonly logLevel?: LogLevel;
  /**
   * Share of invocations, from 0 to 1, that log at DEBUG level (POWERTOOLS_LOGGER_SAMPLE_RATE). The app
   * reads it from `-c debugSampleRate=0.1`.
   * @default the stage's setting: 0.1 in dev, 0 in prod
   */
  readonly debugSampleRate?: number;
  /**
   * Reserved concurrency of each webhook function, Telegram's and WhatsApp's, or `null` for none. Lambda
   * rejects a reservation that would leave less than 100 unreserved concurrent executions in the account, so
   * an account whose concurrency quota is low needs a lower value or `null`. The app reads it from
   * `-c webhookReservedConcurrency=<n|none>`.
   * @default the stage's setting: 5 in dev, 40 in prod
   */
  readonly webhookReservedConcurrency?: number | null;
  /**
   * Most processor instances that the inbound queue's event source runs at once, from 2 to 1,000. The app
   * reads it from `-c processorMaxConcurrency=<n>`.
   * @default the stage's setting: 2 in dev, 10 in prod
   */
  readonly processorMaxConcurrency?: number;
  /**
   * Value that forces the webhook to be registered again, usually the VersionId of the secret
   * after the bot token was set. The app reads it from `-c telegramSecretVersion=...`.
   * @default 'initial'
   */
  readonly telegramSecretVersion?: string;
  /**
   * E-mail address subscribed to the alarm topic. AWS sends a confirmation mail first.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * ISO 4217 currency of new users (DEFAULT_CURRENCY).
   * @default - the processor's own default, USD
   */
  readonly defaultCurrency?: string;
  /**
   * IANA time zone of new users (DEFAULT_TIME_ZONE).
   * @default - the processor's own default, UTC
   */
  readonly defaultTimeZone?: string;
  /**
   * Sender of every notification e-mail (NOTIFY_EMAIL_FROM). The app reads it from `-c emailFromAddress=...`.
   * @default - none: e-mail notifications fail until a sender is configured
   */
  readonly emailSender?: EmailSender;
  /**
   * Source of the sender's SES identity, one of EMAIL_IDENTITY_MODES. The app reads it from
   * `-c emailIdentity=...`.
   * @default 'address', an e-mail address identity that SES verifies by mail
   */
  readonly emailIdentityMode?: EmailIdentityMode;
  /**
   * ISO 4217 code that exchange rates are quoted against (FX_BASE_CURRENCY). The app reads it from
   * `-c fxBaseCurrency=...`.
   * @default 'USD'
   */
  readonly fxBaseCurrency?: string;
  /**
   * ISO 4217 codes that the FX refresh keeps rates for (FX_CURRENCIES). The app reads them from
   * `-c fxCurrencies=EUR,GBP,...`.
   * @default DEFAULT_FX_CURRENCIES from infra/stack/fx-refresh
   */
  readonly fxCurrencies?: readonly string[];
  /**
   * Most notification sender instances that the notification queue's event source runs at once, from 2 to
   * 1,000. The app reads it from `-c notificationSenderMaxConcurrency=<n>`.
   * @default the stage's setting: 2 in dev, 5 in prod
   */
  readonly notificationSenderMaxConcurrency?: number;
  /**
   * Sender ID shown on SMS where the destination country supports one (NOTIFY_SMS_SENDER_ID).
   * @default - none
   */
  readonly smsSenderId?: string;
  /**
   * https link to the notification settings in the weekly summary e-mail (WEEKLY_SUMMARY_SETTINGS_URL). The
   * app reads it from `-c weeklySummarySettingsUrl=...`.
   * @default - none, so the e-mail has no settings link
   */
  readonly weeklySummarySettingsUrl?: string;
  /**
   * Whether the stack contains the WhatsApp channel. Without it, no WhatsApp route, function, secret, table,
   * alarm or dashboard row exists, and the processor gets no WHATSAPP_* variable. The app reads it from
   * `-c whatsapp=false`.
   * @default the stage's setting: true in dev and prod
   */
  readonly whatsapp?: boolean;
  /**
   * Reply template, template language and Graph API version of the WhatsApp channel.
   * @default the defaults of WhatsAppOptions: financy_reply, en and v23.0
   */
  readonly whatsappOptions?: WhatsAppOptions;
  /**
   * AI spend per day, in US dollars, above which the AI daily spend alarm fires. The app reads it from
   * `-c aiDailySpendAlarmUsd=<amount>`.
   * @default AI_COST_DEFAULTS.dailySpendAlarmUsd from infra/stack/ai-cost-monitoring (20)
   */
  readonly aiDailySpendAlarmUsd?: number;
  /**
   * The processor's AI settings: which key secrets it reads, the transcriber, the per-user daily budget and
   * the OpenAI model.
   * @default the stage's `ai` and `vision` settings (off), Whisper, 0.05 USD and gpt-4.1-mini
   */
  readonly aiOptions?: AiOptions;
}
