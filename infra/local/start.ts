/**
 * `npm start`: runs the whole product on this machine and opens a terminal chat.
 *
 *   npm start                          chat in the terminal with the bot, through the real path
 *   npm start -- --channel whatsapp    chat in the terminal as a WhatsApp user
 *   npm start -- --transcriber transcribe --offline-ocr
 *                                      voice notes through the fake Amazon Transcribe, receipts through
 *                                      tesseract.js
 *   npm start -- --replay FILE...      post Telegram updates and WhatsApp payloads, print replies and
 *                                      transactions as JSON lines
 *   TELEGRAM_BOT_TOKEN=... npm start   long-poll a real bot and feed its updates to the local webhook
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { FX_REFRESH_SERVICE } from '../../functions/fx-refresh/create-handler';
import { PROCESSOR_SERVICE } from '../../functions/message-processor/create-handler';
import { NOTIFICATION_SENDER_SERVICE } from '../../functions/notification-sender/create-handler';
import { TELEGRAM_WEBHOOK_SERVICE } from '../../functions/telegram-webhook/create-handler';
import { WHATSAPP_WEBHOOK_SERVICE } from '../../functions/whatsapp-webhook/create-handler';
import { TelegramApiClient } from '../../lib/channels/telegram/api-client';
import { LOCAL_COMMANDS_HINT } from './chat-input';
import { pointSdkAtEmulators, startEmulators } from './emulators';
import { startFakeTelegram } from './fake-telegram/server';
import { startFakeWhatsApp } from './fake-whatsapp/server';
import { type LocalAi, startLocalAi } from './local-ai';
import type { LocalFxRefreshOutcome } from './local-fx-refresh';
import { LocalFunctionLogger, type LocalLog, openLocalLog } from './local-log';
import { LocalTelegramWebhookLogger } from './local-webhook-logger';
import { LOCAL_WHATSAPP_PHONE_NUMBER_IDS } from './local-whatsapp';
import { watchLocalNotifications } from './notification-feed';
import { startPollingBridge } from './polling-bridge';
import { readUpdateFiles, replayUpdates, retimeUpdates, telegramReplayChannel } from './replay';
import { startLocalStack } from './stack';
import { LOCAL_USER, telegramChatChannel } from './telegram-chat';
import { runChatPrompt } from './terminal-chat';
import { LOCAL_WHATSAPP_USER, whatsAppChatChannel } from './whatsapp-chat';
import { whatsAppReplayChannel } from './whatsapp-replay';

const USAGE = `Usage: npm start -- [--channel telegram|whatsapp | --replay FILE... [--timeout SECONDS] [--keep-dates]]
                    [--transcriber whisper|transcribe] [--offline-ocr] [--verbose] [--log-file FILE]
  --channel NAME     chat in the terminal as a telegram user (default) or as a whatsapp user (+55 number,
                     so amounts default to BRL); /as telegram and /as whatsapp switch during the chat
  --transcriber NAME which fake transcribes voice notes: whisper (default, the fake OpenAI server) or
                     transcribe (the fake Amazon Transcribe, with the S3 emulator)
  --offline-ocr      read receipt photos with tesseract.js in the processor instead of the fake Vision
  --replay FILE...   post each Telegram update or WhatsApp webhook payload in FILE (one, an array, or
                     {"deliveries": [...]}; kinds may be mixed) and print one JSON line per bot reply and
                     per stored or changed transaction
  --timeout SECONDS  how long a replayed update may take to settle (default 60)
  --keep-dates       keep the dates and timestamps in the files; by default they move to now, keeping
                     their gaps
  --verbose          print the functions' INFO logs (default: warnings and errors only)
  --log-file FILE    write the functions' log lines (INFO and above) and EMF metric lines to FILE,
                     one JSON object per line, as CloudWatch Logs would get them (default: a new
                     functions.log in a temporary directory; the path is printed at start)
Environment: TELEGRAM_BOT_TOKEN to chat with a real bot through getUpdates; TELEGRAM_API_BASE_URL to
point that at another Bot API server.`;

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        replay: { type: 'boolean' },
        timeout: { type: 'string' },
        verbose: { type: 'boolean' },
        'log-file': { type: 'string' },
        'keep-dates': { type: 'boolean' },
        channel: { type: 'string' },
        transcriber: { type: 'string' },
        'offline-ocr': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const { values, positionals } = parseCommandLine();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const channel = values.channel ?? 'telegram';
if (channel !== 'telegram' && channel !== 'whatsapp') {
  process.stderr.write(`--channel ${channel} is not available; pass telegram or whatsapp.\n${USAGE}\n`);
  process.exit(2);
}
const transcriber = values.transcriber ?? 'whisper';
if (transcriber !== 'whisper' && transcriber !== 'transcribe') {
  process.stderr.write(
    `--transcriber ${transcriber} is not available; pass whisper or transcribe.\n${USAGE}\n`,
  );
  process.exit(2);
}
const replayFiles = values.replay ? positionals : [];
if (values.replay && replayFiles.length === 0) {
  process.stderr.write(`--replay needs at least one file.\n${USAGE}\n`);
  process.exit(2);
}
const timeoutSeconds = Number(values.timeout ?? 60);
if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
  process.stderr.write(`--timeout must be a positive number of seconds, got "${values.timeout}".\n`);
  process.exit(2);
}

// In replay mode stdout carries only JSON lines, so progress goes to stderr.
const info = (message: string) => (values.replay ? process.stderr : process.stdout).write(`${message}\n`);
const logLevel = values.verbose ? 'INFO' : 'WARN';
const realBotToken =
  values.replay || channel === 'whatsapp' ? undefined : process.env.TELEGRAM_BOT_TOKEN?.trim() || undefined;

// Read replay files before starting anything, so a wrong path fails at once.
let replayInput: Awaited<ReturnType<typeof readUpdateFiles>> = [];
try {
  replayInput = await readUpdateFiles(replayFiles);
} catch (error) {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exit(2);
}

let functionLog: LocalLog;
try {
  functionLog = openLocalLog(values['log-file']);
} catch (error) {
  process.stderr.write(
    `error: could not open the log file (${(error as Error).message}); pass a writable path with --log-file.\n`,
  );
  process.exit(2);
}

info('Starting DynamoDB Local and the SQS emulator…');
const emulators = await startEmulators();
pointSdkAtEmulators(emulators.endpoints);

// One prefix for the stack's tables and queues and the AI fakes' buckets.
const prefix = `local-${randomBytes(4).toString('hex')}`;
const ai: LocalAi = await startLocalAi({ prefix, transcriber, vision: values['offline-ocr'] !== true });

const fake = realBotToken === undefined ? await startFakeTelegram() : undefined;
const telegramApiBaseUrl = fake?.url ?? process.env.TELEGRAM_API_BASE_URL ?? 'https://api.telegram.org';
const botToken = fake?.token ?? realBotToken!;
// The Graph API fake starts before the stack because the stack needs its URL; it learns the webhook's URL
// for status webhooks once the stack runs. It enforces the 24-hour window, which the chat and the replay
// open before every message.
const whatsappAppSecret = randomBytes(24).toString('base64url');
const fakeWhatsApp = await startFakeWhatsApp({
  accessToken: randomBytes(24).toString('base64url'),
  phoneNumberIds: [...LOCAL_WHATSAPP_PHONE_NUMBER_IDS],
  enforceWindow: true,
});
// Lines that are not bot replies go through `info` until the terminal chat prints them above its prompt.
let printNotice: (line: string) => void = info;
// The start-up lines below show the first refresh, so only the hourly ones print as they happen.
let firstFxRefreshShown = false;
const functionLogger = (serviceName: string) =>
  new LocalFunctionLogger({ serviceName, terminalLevel: logLevel, writeLine: functionLog.writeLine });
const stack = await startLocalStack({
  botToken,
  telegramApiBaseUrl,
  prefix,
  environment: ai.environment,
  webhookLogger: new LocalTelegramWebhookLogger({
    serviceName: TELEGRAM_WEBHOOK_SERVICE,
    terminalLevel: logLevel,
    writeLine: functionLog.writeLine,
  }),
  processorLogger: functionLogger(PROCESSOR_SERVICE),
  writeMetricLine: functionLog.writeLine,
  onPollerError: (error) => process.stderr.write(`local SQS poller: ${(error as Error).message}\n`),
  fxRefresh: {
    logger: functionLogger(FX_REFRESH_SERVICE),
    onRefresh: (outcome) => {
      if (firstFxRefreshShown) {
        printNotice(`fx-refresh › ${describeFxRefresh(outcome)}`);
      }
    },
  },
  notifications: { logger: functionLogger(NOTIFICATION_SENDER_SERVICE) },
  whatsapp: {
    graphApiBaseUrl: fakeWhatsApp.url,
    accessToken: fakeWhatsApp.accessToken,
    appSecret: whatsappAppSecret,
    verifyToken: randomBytes(16).toString('base64url'),
    phoneNumberIds: [...LOCAL_WHATSAPP_PHONE_NUMBER_IDS],
    webhookLogger: functionLogger(WHATSAPP_WEBHOOK_SERVICE),
  },
});
fakeWhatsApp.setStatusWebhook({ url: stack.whatsappWebhookUrl!, appSecret: whatsappAppSecret });
const notificationFeed =
  stack.notifications === undefined
    ? undefined
    : watchLocalNotifications(stack.notifications, (line) => printNotice(line));

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    notificationFeed?.stop();
    await stack.stop();
    await fake?.stop();
    await fakeWhatsApp.close();
    await ai.stop();
    await emulators.stop();
    functionLog.close();
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));

info(`DynamoDB Local     ${emulators.endpoints.dynamodb}`);
info(`SQS (fauxqs)       ${emulators.endpoints.sqs}`);
info(`Telegram webhook   POST ${stack.webhookUrl}`);
info(
  `Telegram Bot API   ${fake === undefined ? `${telegramApiBaseUrl} (TELEGRAM_BOT_TOKEN's bot, getUpdates)` : `${fake.url} (local fake)`}`,
);
info(`WhatsApp webhook   GET and POST ${stack.whatsappWebhookUrl}`);
info(
  `WhatsApp Graph API ${fakeWhatsApp.url} (local fake; phone number ids ${LOCAL_WHATSAPP_PHONE_NUMBER_IDS.join(', ')})`,
);
info(`Inbound queue      ${stack.resources.inboundQueueUrl}`);
info(`Dead-letter queue  ${stack.resources.deadLetterQueueUrl}`);
if (stack.notifications !== undefined) {
  info(`Notification queue ${stack.notifications.queueUrl}, sent by notification-sender to:`);
  info(`  fake SES         ${stack.notifications.ses.url}`);
  info(`  fake SNS         ${stack.notifications.sns.url} (push and SMS)`);
  info(`  fake Slack       ${stack.notifications.slack.url}`);
}
if (stack.fxRefresh !== undefined) {
  info(`FX providers       ${stack.fxRefresh.fake.url} (local fakes; fx-refresh runs at start, then hourly)`);
  info(`FX rates           ${describeFxRefresh(stack.fxRefresh.firstOutcome)}`);
  firstFxRefreshShown = true;
}
info(
  `OpenAI             ${ai.openai.baseURL} (local fake: chat${transcriber === 'whisper' ? ' and Whisper' : ''})`,
);
if (ai.transcribe !== undefined) {
  info(
    `Amazon Transcribe  ${ai.transcribe.url} (local fake; audio and transcripts in ${ai.environment.TRANSCRIBE_BUCKET})`,
  );
}
info(
  ai.vision === undefined
    ? 'Receipt OCR        tesseract.js in the processor (--offline-ocr)'
    : `Google Vision      ${ai.vision.url} (local fake)`,
);
info(`Receipts bucket    ${ai.environment.RECEIPTS_BUCKET} on ${process.env.AWS_ENDPOINT_URL_S3}`);
info(`Function logs      ${functionLog.path} (log lines and EMF metrics, JSON lines)`);

if (values.replay) {
  try {
    const updates = values['keep-dates']
      ? replayInput
      : retimeUpdates(replayInput, Math.floor(Date.now() / 1_000));
    const result = await replayUpdates(
      updates,
      stack,
      [whatsAppReplayChannel(stack, fakeWhatsApp, whatsappAppSecret), telegramReplayChannel(stack, fake!)],
      (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
      timeoutSeconds * 1_000,
    );
    for (const problem of result.problems) {
      process.stderr.write(`error: ${problem}\n`);
    }
    await shutdown(result.problems.length === 0 ? 0 : 1);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    await shutdown(1);
  }
}

if (fake === undefined) {
  info(
    'Forwarding updates from the real bot to the local webhook. Write to your bot in Telegram; Ctrl-C stops.',
  );
  const bridge = startPollingBridge(
    new TelegramApiClient({ token: botToken, baseUrl: telegramApiBaseUrl }),
    stack,
    info,
  );
  try {
    await bridge.done;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    await shutdown(1);
  }
} else {
  const writer =
    channel === 'whatsapp'
      ? `the WhatsApp user +${LOCAL_WHATSAPP_USER.waId}`
      : `the Telegram user ${LOCAL_USER.firstName}`;
  info(
    `\nChat with the bot below as ${writer}: try "spent 12.50 on lunch at Subway" or /help. Type a number to press a button or list row; Ctrl-C quits.`,
  );
  info(LOCAL_COMMANDS_HINT);
  await runChatPrompt(
    stack,
    {
      telegram: telegramChatChannel(stack, fake),
      whatsapp: whatsAppChatChannel(stack, fakeWhatsApp, { appSecret: whatsappAppSecret }),
    },
    {
      channel,
      onPrinterReady: (print) => {
        printNotice = print;
      },
    },
  );
  await shutdown(0);
}

function describeFxRefresh(outcome: LocalFxRefreshOutcome): string {
  if ('error' in outcome) {
    const error = outcome.error;
    return `refresh failed: ${error instanceof Error ? error.message : String(error)}`;
  }

  const { result } = outcome;
  const requests = result.requests === 1 ? '1 provider request' : `${result.requests} provider requests`;
  return (
    `${result.status}: ${result.updated.length} rates against ${result.baseCurrency} updated, ` +
    `version ${result.version ?? 'none'}, ${requests}`
  );
}
