import { readFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Update } from '@grammyjs/types';
import { fromMinorUnits } from '../../lib/domain/money';
import type { Transaction } from '../../lib/domain/transaction';
import type { FakeTelegram, RecordedCall } from './fake-telegram/types';
import type { LocalStack } from './stack';
import { postTelegramUpdate } from './telegram-post';

/** One line of replay output. */
export type ReplayLine =
  | { type: 'reply'; chat_id: number | string | undefined; text: string; buttons: string[]; edited?: true }
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

/** Reads update files: each contains one update, a JSON array of them, or `{ "deliveries": [...] }`. */
export async function readUpdateFiles(files: string[]): Promise<Update[]> {
  const updates: Update[] = [];
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
    updates.push(...(list as Update[]));
  }

  return updates;
}

/**
 * Moves every date in the updates so the latest one is `nowSeconds`, keeping the gaps between them, as if
 * Telegram had just sent them. Without this an old sample would land in a past month and /balance would not show it.
 */
export function retimeUpdates(updates: Update[], nowSeconds: number): Update[] {
  const dates: number[] = [];
  const visit = (value: unknown, apply?: (date: number) => number): unknown => {
    if (Array.isArray(value)) {
      return value.map((item) => visit(item, apply));
    }
    if (typeof value !== 'object' || value === null) {
      return value;
    }

    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if ((key === 'date' || key === 'edit_date') && typeof field === 'number') {
        dates.push(field);
        copy[key] = apply === undefined ? field : apply(field);
      } else {
        copy[key] = visit(field, apply);
      }
    }

    return copy;
  };
  visit(updates);
  if (dates.length === 0) {
    return updates;
  }

  // The latest update lands on now and the others keep their gaps before it, so no date is in the future.
  const shift = nowSeconds - Math.max(...dates);

  return visit(updates, (date) => date + shift) as Update[];
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
  /** Clear messages about rejected updates, dead-lettered records or timeouts; empty on success. */
  problems: string[];
}

/**
 * Posts each update to the local webhook as Telegram would, waits until processing settles and reports
 * the bot's replies and every stored, changed or deleted transaction, in order.
 */
export async function replayUpdates(
  updates: Update[],
  stack: LocalStack,
  fake: FakeTelegram,
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

  for (const [index, update] of updates.entries()) {
    const seen = fake.calls.length;
    fake.observeUpdate(update);
    const response = await postTelegramUpdate(stack, update);
    if (response.status !== 200) {
      problems.push(
        `Update ${update.update_id ?? `#${index + 1} (no update_id)`} was rejected with HTTP ${response.status}: ${response.body}`,
      );
      continue;
    }

    try {
      await stack.settle(settleTimeoutMs);
    } catch (error) {
      problems.push(`Update ${update.update_id}: ${(error as Error).message}`);
      break;
    }

    for (const call of fake.calls.slice(seen)) {
      const line = replyLine(call);
      if (line !== undefined) {
        output(line);
      }
    }
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
