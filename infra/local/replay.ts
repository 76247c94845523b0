import { readFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Update } from '@grammyjs/types';
import { fromMinorUnits } from '../../lib/domain/money';
import type { Transaction } from '../../lib/domain/transaction';
import type { FakeTelegram, RecordedCall } from './fake-telegram/types';
import type { LocalStack } from './stack';
import { postTelegramUpdate } from './telegram-post';
import { isWhatsAppPayload } from './whatsapp-payload';

/** One line of replay output. */
export type ReplayLine =
  | {
      type: 'reply';
      /** Telegram chat id, or `<phone_number_id>:<wa_id>` on WhatsApp. */
      chat_id: number | string | undefined;
      text: string;
      buttons: string[];
      edited?: true;
      /** Name of the WhatsApp template the reply went out as, outside the 24-hour window. */
      template?: string;
    }
  | {
      type: 'transaction';
      id: string;
      user_id: string;
      kind: string;
      amount: string;
      currency: string;
      date: string;
      merchant: string | null;
      category: string | null;
      status: string;
    };

/** Raised when a replay cannot read its input. */
export class ReplayInputError extends Error {
  override readonly name = 'ReplayInputError';
}

/**
 * A delivery to replay: a Telegram update or a WhatsApp webhook payload (`object: 'whatsapp_business_account'`).
 */
export type ReplayDelivery = Update | Record<string, unknown>;

/**
 * Reads delivery files: each contains one Telegram update or WhatsApp webhook payload, a JSON array of
 * them, or `{ "deliveries": [...] }`. Both kinds may be mixed.
 */
export async function readUpdateFiles(files: string[]): Promise<ReplayDelivery[]> {
  const deliveries: ReplayDelivery[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new ReplayInputError(`Cannot read ${file} as JSON: ${(error as Error).message}`);
    }
    const list = Array.isArray(parsed)
      ? parsed
      : Array.isArray((parsed as { deliveries?: unknown }).deliveries)
        ? (parsed as { deliveries: unknown[] }).deliveries
        : [parsed];
    deliveries.push(...(list as ReplayDelivery[]));
  }

  return deliveries;
}

/**
 * Moves every date in the deliveries so the latest one is `nowSeconds`, keeping the gaps between them, as
 * if Telegram or Meta had just sent them. Telegram dates are `date` and `edit_date` numbers. WhatsApp
 * payloads carry `timestamp` strings of epoch seconds, which stay strings. Without this an old sample would
 * land in a past month and /balance would not show it.
 */
export function retimeUpdates<T>(updates: T[], nowSeconds: number): T[] {
  const dates: number[] = [];
  const visit = (
    value: unknown,
    dateKeys: ReadonlySet<string>,
    apply?: (date: number) => number,
  ): unknown => {
    if (Array.isArray(value)) {
      return value.map((item) => visit(item, dateKeys, apply));
    }
    if (typeof value !== 'object' || value === null) {
      return value;
    }

    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const date = dateKeys.has(key) ? epochSeconds(field) : undefined;
      if (date === undefined) {
        copy[key] = visit(field, dateKeys, apply);
        continue;
      }
      dates.push(date);
      const moved = apply === undefined ? date : apply(date);
      copy[key] = typeof field === 'string' ? String(moved) : moved;
    }

    return copy;
  };
  const visitAll = (apply?: (date: number) => number) =>
    updates.map((update) =>
      visit(update, isWhatsAppPayload(update) ? WHATSAPP_DATE_KEYS : TELEGRAM_DATE_KEYS, apply),
    ) as T[];
  visitAll();
  if (dates.length === 0) {
    return updates;
  }

  // The latest delivery lands on now and the others keep their gaps before it, so no date is in the future.
  const shift = nowSeconds - Math.max(...dates);

  return visitAll((date) => date + shift);
}

const TELEGRAM_DATE_KEYS: ReadonlySet<string> = new Set(['date', 'edit_date']);
const WHATSAPP_DATE_KEYS: ReadonlySet<string> = new Set(['timestamp']);

function epochSeconds(field: unknown): number | undefined {
  if (typeof field === 'number') {
    return field;
  }

  return typeof field === 'string' && /^\d+$/.test(field) ? Number(field) : undefined;
}

function replyLine(call: RecordedCall): ReplayLine | undefined {
  if (call.method !== 'sendMessage' && call.method !== 'editMessageText') {
    return undefined;
  }
  if (typeof call.response !== 'object' || call.response.status !== 200) {
    return undefined;
  }

  const result = (call.response.body as { result?: { text?: string; chat?: { id: number } } }).result;
  const markup = call.params.reply_markup;
  const keyboard = (typeof markup === 'string' ? JSON.parse(markup) : markup) as
    | { inline_keyboard?: Array<Array<{ text: string }>> }
    | undefined;
  const chatId = (call.params.chat_id as number | string | undefined) ?? result?.chat?.id;

  return {
    type: 'reply',
    chat_id: typeof chatId === 'string' && /^-?\d+$/.test(chatId) ? Number(chatId) : chatId,
    text:
      typeof result === 'object' && result?.text !== undefined ? result.text : String(call.params.text ?? ''),
    buttons: (keyboard?.inline_keyboard ?? []).flat().map((button) => button.text),
    ...(call.method === 'editMessageText' ? { edited: true as const } : {}),
  };
}

function transactionLine(transaction: Transaction, status = transaction.status as string): ReplayLine {
  return {
    type: 'transaction',
    id: transaction.transactionId,
    user_id: transaction.userId,
    kind: transaction.kind,
    amount: fromMinorUnits(transaction.amountMinor, transaction.currency),
    currency: transaction.currency,
    date: transaction.date,
    merchant: transaction.merchant ?? null,
    category: transaction.category ?? null,
    status,
  };
}

async function snapshot(client: DynamoDBDocumentClient, table: string): Promise<Map<string, Transaction>> {
  const items = new Map<string, Transaction>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    for (const item of page.Items ?? []) {
      items.set(item.transactionId as string, item as Transaction);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);

  return items;
}

/** Result of a replay. */
export interface ReplayResult {
  lines: ReplayLine[];
  /** Clear messages about rejected deliveries, dead-lettered records or timeouts; empty on success. */
  problems: string[];
}

/** Adapter that delivers one kind of replay input and reads the bot's replies to it. */
export interface ReplayChannel {
  /** Returns whether this channel delivers `delivery`; the replay uses the first channel that does. */
  accepts(delivery: ReplayDelivery): boolean;
  /** Names `delivery`, the `index`-th of the replay counting from 0, in problem messages. */
  describe(delivery: ReplayDelivery, index: number): string;
  /** Posts `delivery` to its local webhook and returns the HTTP response. */
  post(delivery: ReplayDelivery): Promise<{ status: number; body: string }>;
  /** Returns a mark of the replies so far, for {@link ReplayChannel.repliesSince}. */
  mark(): number;
  /** Returns the replies sent since `mark`, in order. */
  repliesSince(mark: number): ReplayLine[];
}

/** Returns the Telegram channel of a replay, which posts updates to the Telegram webhook and reads replies from the fake Bot API. */
export function telegramReplayChannel(stack: LocalStack, fake: FakeTelegram): ReplayChannel {
  return {
    accepts: () => true,
    describe: (delivery, index) => {
      const updateId = (delivery as Update).update_id;
      return `Update ${updateId ?? `#${index + 1} (no update_id)`}`;
    },
    post: (delivery) => {
      fake.observeUpdate(delivery as Update);
      return postTelegramUpdate(stack, delivery as Update);
    },
    mark: () => fake.calls.length,
    repliesSince: (mark) =>
      fake.calls.slice(mark).flatMap((call) => {
        const line = replyLine(call);
        return line === undefined ? [] : [line];
      }),
  };
}

/** Returns the `media_group_id` of a Telegram album message, or `undefined` for any other delivery. */
function mediaGroupOf(delivery: ReplayDelivery | undefined): string | undefined {
  const group = (delivery as { message?: { media_group_id?: unknown } } | undefined)?.message?.media_group_id;
  return typeof group === 'string' ? group : undefined;
}

/**
 * Posts each delivery to its local webhook as Telegram or Meta would, waits until processing settles and
 * reports the bot's replies and every stored, changed or deleted transaction, in order. Each delivery goes
 * through the first of `channels` that accepts it. The messages of one album are posted back to back and
 * settled together.
 */
export async function replayUpdates(
  deliveries: ReplayDelivery[],
  stack: LocalStack,
  channels: ReplayChannel[],
  emit: (line: ReplayLine) => void,
  settleTimeoutMs = 60_000,
): Promise<ReplayResult> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const lines: ReplayLine[] = [];
  const problems: string[] = [];
  const output = (line: ReplayLine) => {
    lines.push(line);
    emit(line);
  };
  let before = await snapshot(client, stack.resources.tables.transactions);
  // The reply mark taken before the first delivery whose replies are not printed yet.
  let seen: number | undefined;

  for (const [index, delivery] of deliveries.entries()) {
    const channel = channels.find((candidate) => candidate.accepts(delivery));
    if (channel === undefined) {
      problems.push(
        `Delivery #${index + 1} matches no replay channel; pass a Telegram update or a WhatsApp payload.`,
      );
      continue;
    }
    seen ??= channel.mark();
    const response = await channel.post(delivery);
    if (response.status !== 200) {
      problems.push(
        `${channel.describe(delivery, index)} was rejected with HTTP ${response.status}: ${response.body}`,
      );
      continue;
    }
    const group = mediaGroupOf(delivery);
    if (group !== undefined && mediaGroupOf(deliveries[index + 1]) === group) {
      // Telegram sends an album's messages back to back, so the next part goes out before settling.
      continue;
    }

    try {
      await stack.settle(settleTimeoutMs);
    } catch (error) {
      problems.push(`${channel.describe(delivery, index)}: ${(error as Error).message}`);
      break;
    }

    for (const line of channel.repliesSince(seen)) {
      output(line);
    }
    seen = undefined;
    const after = await snapshot(client, stack.resources.tables.transactions);
    for (const [id, transaction] of after) {
      if (JSON.stringify(before.get(id)) !== JSON.stringify(transaction)) {
        output(transactionLine(transaction));
      }
    }
    for (const [id, transaction] of before) {
      if (!after.has(id)) {
        output(transactionLine(transaction, 'deleted'));
      }
    }
    before = after;
  }

  const deadLetters = await stack.deadLetterCount();
  if (deadLetters > 0) {
    problems.push(
      `${deadLetters} record(s) reached the dead-letter queue; run with --verbose to see the processor's errors.`,
    );
  }
  client.destroy();

  return { lines, problems };
}
