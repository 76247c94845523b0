/**
 * `POST /v1/chat/completions` of the fake OpenAI server: request checks as OpenAI makes them, and replies
 * computed deterministically from the request, so the local stack gives plausible answers without a key.
 */
import {
  HOME_CURRENCY_LABEL,
  TODAY_LABEL,
  TRANSACTION_SCHEMA_NAME,
  unquoteUserText,
} from '../../../lib/ai/categorize-prompt';
import { invalidRequestError, type OpenAiErrorBody } from './responses';

/** The request fields that the fake reads. */
export interface ChatRequest {
  model?: unknown;
  messages?: unknown;
  response_format?: {
    type?: string;
    json_schema?: { name?: string; strict?: boolean; schema?: unknown };
  };
}

/** A message of the request. */
interface RequestMessage {
  role: string;
  content: string;
}

/** Returns a 400 body when the request breaks one of OpenAI's rules, else `undefined`. */
export function checkChatRequest(request: ChatRequest): OpenAiErrorBody | undefined {
  if (typeof request.model !== 'string' || request.model === '') {
    return invalidRequestError('you must provide a model parameter', 'model');
  }
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    return invalidRequestError(
      "Invalid 'messages': empty array. Expected an array with minimum length 1.",
      'messages',
    );
  }
  const format = request.response_format;
  if (format?.type === 'json_schema') {
    if (format.json_schema?.name === undefined || format.json_schema.schema === undefined) {
      return invalidRequestError(
        "Missing required parameter: 'response_format.json_schema'.",
        'response_format',
      );
    }
    if (format.json_schema.strict === true) {
      const problem = strictSchemaProblem(format.json_schema.schema, 'schema');
      if (problem !== undefined) {
        return invalidRequestError(
          `Invalid schema for response_format '${format.json_schema.name}': ${problem}`,
          'response_format',
        );
      }
    }
  }

  return undefined;
}

/**
 * Returns the assistant's reply: a transaction for requests with the transaction schema, a value of the
 * schema for other JSON-schema requests, and a short summary of the data for plain-text requests.
 */
export function replyTo(request: ChatRequest): string {
  const messages = readMessages(request.messages);
  const format = request.response_format;
  if (format?.type === 'json_schema' && format.json_schema?.name === TRANSACTION_SCHEMA_NAME) {
    return JSON.stringify(readTransaction(messages));
  }
  if (format?.type === 'json_schema') {
    return JSON.stringify(sampleOf(format.json_schema?.schema));
  }
  if (format?.type === 'json_object') {
    return '{}';
  }

  return summarize(messages.filter((message) => message.role === 'user').at(-1)?.content ?? '');
}

/** The messages as role and text, in the order sent. */
export function readMessages(messages: unknown): RequestMessage[] {
  if (!Array.isArray(messages)) {
    return [];
  }

  return messages.map((message: { role?: unknown; content?: unknown }) => ({
    role: String(message.role),
    content: typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? ''),
  }));
}

// OpenAI's strict mode: every object lists all its properties in `required` and sets
// additionalProperties to false.
function strictSchemaProblem(schema: unknown, path: string): string | undefined {
  if (typeof schema !== 'object' || schema === null) {
    return undefined;
  }
  const node = schema as {
    type?: unknown;
    properties?: Record<string, unknown>;
    required?: unknown;
    additionalProperties?: unknown;
    items?: unknown;
  };
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes('object')) {
    if (node.additionalProperties !== false) {
      return `In context=(${path}), 'additionalProperties' is required to be supplied and to be false.`;
    }
    const keys = Object.keys(node.properties ?? {});
    const required = Array.isArray(node.required) ? node.required : [];
    const missing = keys.filter((key) => !required.includes(key));
    if (missing.length > 0) {
      return `In context=(${path}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    }
    for (const key of keys) {
      const problem = strictSchemaProblem(node.properties?.[key], `${path}, '${key}'`);
      if (problem !== undefined) {
        return problem;
      }
    }
  }

  return strictSchemaProblem(node.items, `${path}, 'items'`);
}

// A small keyword table; the local stack needs plausible answers, not good ones.
const KEYWORD_CATEGORIES: ReadonlyArray<[RegExp, string]> = [
  [/lunch|dinner|breakfast|coffee|restaurant|pizza|subway|groceries|food/i, 'Food & Dining'],
  [/taxi|uber|bus|train|fuel|petrol|gas station|parking|metro/i, 'Transportation'],
  [/rent|electricity|water bill|internet|phone bill|utilities/i, 'Bills & Utilities'],
  [/cinema|movie|netflix|concert|game/i, 'Entertainment'],
  [/pharmacy|doctor|dentist|hospital|medicine/i, 'Healthcare'],
  [/course|book|tuition|school|udemy/i, 'Education'],
  [/hotel|flight|airbnb|trip/i, 'Travel'],
  [/haircut|salon|barber|spa/i, 'Personal Care'],
  [/gift|donation|charity/i, 'Gifts & Donations'],
  [/salary|paycheck|income|got paid/i, 'Income'],
  [/fee|commission|interest charge/i, 'Fees & Charges'],
  [/stocks|etf|crypto|invest/i, 'Investments'],
  [/transfer|sent to/i, 'Transfers'],
];

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  '€': 'EUR',
  '£': 'GBP',
  $: 'USD',
  '₴': 'UAH',
  '₹': 'INR',
};

function readTransaction(messages: readonly RequestMessage[]): Record<string, unknown> {
  const system = messages.find((message) => message.role === 'system')?.content ?? '';
  const lastUser = messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
  const text = unquoteUserText(lastUser) ?? lastUser;
  const homeCurrency = lineValue(system, HOME_CURRENCY_LABEL) ?? 'USD';
  const today = lineValue(system, TODAY_LABEL) ?? new Date().toISOString().slice(0, 10);

  const number = /\d+(?:[.,]\d{1,2})?(?!\d)/.exec(text)?.[0];
  const category = KEYWORD_CATEGORIES.find(([pattern]) => pattern.test(text))?.[1] ?? 'Shopping';
  const code = /\b([A-Z]{3})\b/.exec(text)?.[1];
  const symbol = Object.keys(CURRENCY_SYMBOLS).find((written) => text.includes(written));
  const kind = category === 'Income' ? 'income' : /refund/i.test(text) ? 'refund' : 'expense';

  return {
    kind: number === undefined ? 'none' : kind,
    amount: number?.replace(',', '.') ?? null,
    currency: code ?? (symbol === undefined ? homeCurrency : CURRENCY_SYMBOLS[symbol]),
    date: today,
    merchant: /\bat\s+([\p{Lu}][\p{L}'&-]*)/u.exec(text)?.[1] ?? null,
    category: number === undefined ? null : category,
    description: text.trim().slice(0, 100),
  };
}

function lineValue(text: string, label: string): string | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(label));

  return line?.slice(label.length).trim();
}

// A value that satisfies simple schemas: the first enum value, empty strings, zeros, empty arrays.
function sampleOf(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) {
    return null;
  }
  const node = schema as { type?: unknown; enum?: unknown[]; properties?: Record<string, unknown> };
  if (Array.isArray(node.enum) && node.enum.length > 0) {
    return node.enum[0];
  }
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(node.properties ?? {}).map(([key, value]) => [key, sampleOf(value)]),
      );
    case 'array':
      return [];
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

// Plain-text requests are summaries: name the largest `Category: amount` line of the data.
function summarize(content: string): string {
  const lines = [...content.matchAll(/^[-•]?\s*([\p{L}& ]+):\s*([\d.]+)\s*([A-Z]{3})?\s*$/gmu)];
  const largest = lines
    .map((match) => ({ category: match[1]!.trim(), amount: Number(match[2]), currency: match[3] ?? '' }))
    .sort((left, right) => right.amount - left.amount)[0];
  if (largest === undefined) {
    return 'No spending recorded this month yet.';
  }

  return `Most of your spending this month went to ${largest.category} (${largest.amount.toFixed(2)} ${largest.currency}).`.replace(
    ' )',
    ')',
  );
}
