import {
  CURRENCY_CODE,
  DECIMAL_AMOUNT,
  ISO_TIMESTAMP,
  type JsonObject,
  readEnum,
  readInteger,
  readObject,
  readOptionalString,
  readString,
  type StringRule,
} from '../validation';
import { emailDocument, escapeHtml, escapeSlack } from './html';
import type { NotificationTemplate } from './types';

/** Operational conditions that page the team. */
export const OPERATIONS_ALERTS = [
  'breaker-opened',
  'dlq-not-empty',
  'ai-budget-exceeded',
  'fx-refresh-failing',
] as const;

/** An operational condition that pages the team. */
export type OperationsAlert = (typeof OPERATIONS_ALERTS)[number];

/** Fields of every alert. */
interface AlertBase {
  /** Deployment stage, such as `prod`. */
  stage: string;
  occurredAt: string;
}

/** Data of an operations alert, by alert. */
export type OperationsAlertData = AlertBase &
  (
    | { alert: 'breaker-opened'; dependency: string; openForSeconds: number; consecutiveFailures?: number }
    | { alert: 'dlq-not-empty'; queueName: string; approximateMessages: number }
    | { alert: 'ai-budget-exceeded'; period: string; budget: string; spent: string; currency: string }
    | { alert: 'fx-refresh-failing'; provider: string; consecutiveFailures: number; lastSuccessAt?: string }
  );

const IDENTIFIER: StringRule = {
  pattern: /^[A-Za-z0-9._:-]+$/,
  expected: 'an identifier of letters, digits and . _ : -',
  maxLength: 80,
};
const STAGE: StringRule = { pattern: /^[a-z0-9-]+$/, expected: 'a stage name such as prod', maxLength: 32 };
const PERIOD: StringRule = {
  pattern: /^\d{4}-\d{2}(?:-\d{2})?$/,
  expected: 'a month or day such as 2026-03',
};

/** Fields each alert accepts besides `alert`, `stage` and `occurredAt`. */
const ALERT_FIELDS: Readonly<Record<OperationsAlert, readonly string[]>> = {
  'breaker-opened': ['dependency', 'openForSeconds', 'consecutiveFailures'],
  'dlq-not-empty': ['queueName', 'approximateMessages'],
  'ai-budget-exceeded': ['period', 'budget', 'spent', 'currency'],
  'fx-refresh-failing': ['provider', 'consecutiveFailures', 'lastSuccessAt'],
};

const COMMON_FIELDS = ['alert', 'stage', 'occurredAt'];
const ANY_ALERT_FIELDS = [...COMMON_FIELDS, ...new Set(Object.values(ALERT_FIELDS).flat())];

function parseData(value: unknown, path: string): OperationsAlertData {
  // Read `alert` first, then check the keys again against the fields of that alert alone.
  const alert = readEnum(readObject(value, path, ANY_ALERT_FIELDS), 'alert', path, OPERATIONS_ALERTS);
  const data = readObject(value, path, [...COMMON_FIELDS, ...ALERT_FIELDS[alert]]);
  const base = {
    stage: readString(data, 'stage', path, STAGE),
    occurredAt: readString(data, 'occurredAt', path, ISO_TIMESTAMP),
  };

  return { ...base, ...parseDetails(alert, data, path) };
}

function parseDetails(alert: OperationsAlert, data: JsonObject, path: string) {
  switch (alert) {
    case 'breaker-opened':
      return {
        alert,
        dependency: readString(data, 'dependency', path, IDENTIFIER),
        openForSeconds: readInteger(data, 'openForSeconds', path, 1, 86_400),
        consecutiveFailures:
          data.consecutiveFailures === undefined
            ? undefined
            : readInteger(data, 'consecutiveFailures', path, 1, 1_000_000),
      };
    case 'dlq-not-empty':
      return {
        alert,
        queueName: readString(data, 'queueName', path, IDENTIFIER),
        approximateMessages: readInteger(data, 'approximateMessages', path, 1, 100_000_000),
      };
    case 'ai-budget-exceeded':
      return {
        alert,
        period: readString(data, 'period', path, PERIOD),
        budget: readString(data, 'budget', path, DECIMAL_AMOUNT),
        spent: readString(data, 'spent', path, DECIMAL_AMOUNT),
        currency: readString(data, 'currency', path, CURRENCY_CODE),
      };
    case 'fx-refresh-failing':
      return {
        alert,
        provider: readString(data, 'provider', path, IDENTIFIER),
        consecutiveFailures: readInteger(data, 'consecutiveFailures', path, 1, 1_000_000),
        lastSuccessAt: readOptionalString(data, 'lastSuccessAt', path, ISO_TIMESTAMP),
      };
  }
}

/** The alert's title, facts and next step, in plain text, shared by every channel. */
interface AlertSummary {
  title: string;
  facts: [label: string, value: string][];
  action: string;
}

function summarize(data: OperationsAlertData): AlertSummary {
  switch (data.alert) {
    case 'breaker-opened':
      return {
        title: `Circuit of ${data.dependency} opened`,
        facts: [
          ['Dependency', data.dependency],
          ['Open for', `${data.openForSeconds} s`],
          ...(data.consecutiveFailures === undefined
            ? []
            : [['Consecutive failures', String(data.consecutiveFailures)] as [string, string]]),
        ],
        action: `Check the status of ${data.dependency} and the error logs of the functions that call it.`,
      };
    case 'dlq-not-empty':
      return {
        title: `Dead-letter queue ${data.queueName} is not empty`,
        facts: [
          ['Queue', data.queueName],
          ['Messages (approximate)', String(data.approximateMessages)],
        ],
        action: 'Find the cause in the logs, fix it, then move the records back with npm run dlq:redrive.',
      };
    case 'ai-budget-exceeded':
      return {
        title: `AI budget for ${data.period} exceeded`,
        facts: [
          ['Period', data.period],
          ['Spent', `${data.spent} ${data.currency}`],
          ['Budget', `${data.budget} ${data.currency}`],
        ],
        action: 'Raise the budget or wait for the next period.',
      };
    case 'fx-refresh-failing':
      return {
        title: `FX refresh from ${data.provider} is failing`,
        facts: [
          ['Provider', data.provider],
          ['Consecutive failures', String(data.consecutiveFailures)],
          ['Last success', data.lastSuccessAt ?? 'none recorded'],
        ],
        action: `Check the status of ${data.provider}, its API key and the fx-refresh logs.`,
      };
  }
}

function subject(data: OperationsAlertData): string {
  return `[${data.stage}] ${summarize(data).title}`;
}

/** An operations alert for the team: breaker opened, DLQ not empty, AI budget exceeded, FX refresh failing. */
export const operationsAlertTemplate: NotificationTemplate<OperationsAlertData> = {
  name: 'operations-alert',
  parseData,
  email: {
    subject,
    html(data) {
      const summary = summarize(data);
      const rows = summary.facts
        .map(
          ([label, value]) =>
            `<tr><td style="padding:4px 16px 4px 0">${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`,
        )
        .join('\n');

      return emailDocument(
        subject(data),
        [
          `<h1 style="font-size:18px">${escapeHtml(summary.title)}</h1>`,
          `<p>Stage ${escapeHtml(data.stage)}, at ${escapeHtml(data.occurredAt)}.</p>`,
          `<table>\n${rows}\n</table>`,
          `<p>${escapeHtml(summary.action)}</p>`,
        ].join('\n'),
      );
    },
    text(data) {
      const summary = summarize(data);

      return [
        summary.title,
        `Stage ${data.stage}, at ${data.occurredAt}.`,
        '',
        ...summary.facts.map(([label, value]) => `${label}: ${value}`),
        '',
        summary.action,
      ].join('\n');
    },
  },
  sms: (data) => `Financy ${subject(data)}`,
  slack(data) {
    const summary = summarize(data);

    return {
      text: subject(data),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: summary.title.slice(0, 150) } },
        {
          type: 'section',
          fields: summary.facts.map(([label, value]) => ({
            type: 'mrkdwn',
            text: `*${escapeSlack(label)}*\n${escapeSlack(value)}`,
          })),
        },
        { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(summary.action) } },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: `Stage ${escapeSlack(data.stage)} · ${escapeSlack(data.occurredAt)}` },
          ],
        },
      ],
    };
  },
};
