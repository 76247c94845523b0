import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createAlarmNotifierHandler } from '../../functions/alarm-notifier/create-handler';
import { localLambdaContext } from '../../infra/local/lambda-context';
import { ConfigError, loadAlarmNotifierConfig } from '../../lib/config';
import {
  ALL_FX_PROVIDERS,
  AlarmForwardingError,
  type AlarmRouting,
  alarmNotification,
  type CloudWatchAlarmChange,
  forwardAlarmEvent,
  InvalidAlarmMessageError,
  largestReasonDatapoint,
  normalizeTimestamp,
  operationsAlertOf,
  parseCloudWatchAlarm,
} from '../../lib/notify/alarms';
import { type Notification, parseNotification, serializeNotification } from '../../lib/notify/notification';
import type { NotificationQueue } from '../../lib/notify/preferences/notification-queue';
import { renderSlack } from '../../lib/notify/templates';
import { SILENT_LOGGER } from '../../lib/resilience/logger';
import { CapturingLogger } from '../support/capturing-logger';

const EVENTS = path.resolve(__dirname, '../../events');

const ROUTING: AlarmRouting = {
  stage: 'prod',
  fxRefreshFunctionNames: ['Financy-prod-FxRefreshFunction-AbC123'],
};

function sampleEvent(name: string): SNSEvent {
  return JSON.parse(readFileSync(path.join(EVENTS, name), 'utf8')) as SNSEvent;
}

/** Returns the CloudWatch alarm message of a sample SNS event, as an object to change in a test. */
function sampleMessage(name: string): Record<string, unknown> {
  return JSON.parse(sampleEvent(name).Records[0]!.Sns.Message) as Record<string, unknown>;
}

function eventOf(...messages: unknown[]): SNSEvent {
  const template = sampleEvent('alarm-dead-letter-queue-not-empty.json').Records[0]!;

  return {
    Records: messages.map((message, index) => ({
      ...template,
      Sns: {
        ...template.Sns,
        MessageId: `00000000-0000-4000-8000-00000000000${index}`,
        Message: typeof message === 'string' ? message : JSON.stringify(message),
      },
    })),
  };
}

function alarmOf(name: string): CloudWatchAlarmChange {
  const record = sampleEvent(name).Records[0]!;

  return parseCloudWatchAlarm(record.Sns.Message, record.Sns.Timestamp);
}

/** A notification queue that keeps what it is sent, and fails while `failing` is set. */
class RecordingQueue implements NotificationQueue {
  readonly sent: Notification[] = [];
  failing = false;

  async enqueue(notification: Notification): Promise<string> {
    if (this.failing) {
      throw new Error('SQS is unavailable');
    }
    serializeNotification(notification);
    this.sent.push(notification);

    return `message-${this.sent.length}`;
  }
}

describe('parseCloudWatchAlarm', () => {
  it('reads a single-metric alarm', () => {
    const alarm = alarmOf('alarm-dead-letter-queue-not-empty.json');

    expect(alarm).toMatchObject({
      alarmName: 'Financy-prod-notification-dead-letter-queue-not-empty',
      newState: 'ALARM',
      stateChangeTime: '2026-03-18T12:00:03.123Z',
      periodSeconds: 60,
      evaluationPeriods: 1,
      threshold: 1,
    });
    expect(alarm.metrics).toEqual([
      {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: 'financy-prod-notifications-dlq' },
      },
    ]);
  });

  it('reads the metrics of a math expression', () => {
    const alarm = alarmOf('alarm-circuit-open-math-expression.json');

    expect(alarm.metrics).toEqual([
      {
        namespace: 'Financy',
        metricName: 'ShortCircuitedCalls',
        dimensions: { dependency: 'fx:frankfurter', service: 'fx-refresh' },
      },
    ]);
    expect(alarm.evaluationPeriods).toBe(5);
  });

  it('rejects a message that is not JSON', () => {
    expect(() => parseCloudWatchAlarm('ALARM: something broke')).toThrow(InvalidAlarmMessageError);
    expect(() => parseCloudWatchAlarm('ALARM: something broke')).toThrow('Message is not valid JSON');
  });

  it.each([
    ['AlarmName', { AlarmName: '' }],
    ['NewStateValue', { NewStateValue: 42 }],
  ])('rejects a message without %s', (field, change) => {
    const message = { ...sampleMessage('alarm-dead-letter-queue-not-empty.json'), ...change };

    expect(() => parseCloudWatchAlarm(JSON.stringify(message))).toThrow(`${field} is missing or empty`);
  });

  it('falls back to the SNS timestamp', () => {
    const message = { ...sampleMessage('alarm-dead-letter-queue-not-empty.json'), StateChangeTime: 'soon' };

    expect(parseCloudWatchAlarm(JSON.stringify(message), '2026-03-18T12:00:04Z').stateChangeTime).toBe(
      '2026-03-18T12:00:04.000Z',
    );
    expect(() => parseCloudWatchAlarm(JSON.stringify(message))).toThrow('StateChangeTime');
  });

  it('skips malformed dimensions and a missing trigger', () => {
    const message = sampleMessage('alarm-dead-letter-queue-not-empty.json');
    const trigger = message.Trigger as Record<string, unknown>;
    const withOddDimensions = {
      ...message,
      Trigger: {
        ...trigger,
        Dimensions: [null, { name: 'QueueName' }, { Name: 'Region', Value: 'eu-west-1' }],
      },
    };
    const withoutTrigger = { ...message, Trigger: undefined };

    expect(parseCloudWatchAlarm(JSON.stringify(withOddDimensions)).metrics[0]?.dimensions).toEqual({
      Region: 'eu-west-1',
    });
    expect(parseCloudWatchAlarm(JSON.stringify(withoutTrigger)).metrics).toEqual([]);
  });
});

describe('normalizeTimestamp', () => {
  it.each([
    ['2026-03-18T12:00:03.123+0000', '2026-03-18T12:00:03.123Z'],
    ['2026-03-18T13:00:03.123+0100', '2026-03-18T12:00:03.123Z'],
    ['2026-03-18T12:00:03Z', '2026-03-18T12:00:03.000Z'],
  ])('reads %s', (value, expected) => {
    expect(normalizeTimestamp(value)).toBe(expected);
  });

  it.each(['18/03/26 12:00:03', 'yesterday', ''])('rejects %j', (value) => {
    expect(normalizeTimestamp(value)).toBeUndefined();
  });
});

describe('largestReasonDatapoint', () => {
  it('returns the largest quoted datapoint with its time', () => {
    const reason =
      'Threshold Crossed: 3 out of the last 3 datapoints [4.0 (18/03/26 11:59:00), 6.0 (18/03/26 11:58:00), ' +
      '5.0 (18/03/26 11:57:00)] were greater than or equal to the threshold (1.0).';

    expect(largestReasonDatapoint(reason)).toEqual({ value: 6, epochMs: Date.UTC(2026, 2, 18, 11, 58, 0) });
  });

  it('returns nothing for a reason without datapoints', () => {
    expect(largestReasonDatapoint('Unchecked: Initial alarm creation')).toBeUndefined();
  });
});

describe('operationsAlertOf', () => {
  it('maps a dead-letter queue alarm', () => {
    expect(operationsAlertOf(alarmOf('alarm-dead-letter-queue-not-empty.json'), ROUTING)).toEqual({
      alert: 'dlq-not-empty',
      stage: 'prod',
      occurredAt: '2026-03-18T12:00:03.123Z',
      queueName: 'financy-prod-notifications-dlq',
      approximateMessages: 3,
    });
  });

  it('maps a circuit alarm over its evaluation window', () => {
    expect(operationsAlertOf(alarmOf('alarm-circuit-open-math-expression.json'), ROUTING)).toEqual({
      alert: 'breaker-opened',
      stage: 'prod',
      occurredAt: '2026-03-18T12:00:03.123Z',
      dependency: 'fx:frankfurter',
      openForSeconds: 300,
    });
  });

  it('maps the stale-rates alarm with the last good fetch', () => {
    expect(operationsAlertOf(alarmOf('alarm-fx-rates-stale.json'), ROUTING)).toEqual({
      alert: 'fx-refresh-failing',
      stage: 'prod',
      occurredAt: '2026-03-18T12:00:03.123Z',
      provider: ALL_FX_PROVIDERS,
      consecutiveFailures: 2,
      lastSuccessAt: '2026-03-18T08:59:57.000Z',
    });
  });

  it('maps the errors alarm of an FX refresh function only', () => {
    const message = sampleMessage('alarm-fx-rates-stale.json');
    const errorsAlarm = (functionName: string) =>
      parseCloudWatchAlarm(
        JSON.stringify({
          ...message,
          AlarmName: 'Financy-prod-fx-refresh-errors',
          Trigger: {
            MetricName: 'Errors',
            Namespace: 'AWS/Lambda',
            Dimensions: [{ value: functionName, name: 'FunctionName' }],
            Period: 3600,
            EvaluationPeriods: 2,
            Threshold: 1,
          },
        }),
      );

    expect(operationsAlertOf(errorsAlarm('Financy-prod-FxRefreshFunction-AbC123'), ROUTING)).toMatchObject({
      alert: 'fx-refresh-failing',
      provider: ALL_FX_PROVIDERS,
      consecutiveFailures: 2,
    });
    expect(operationsAlertOf(errorsAlarm('Financy-prod-MessageProcessor-XyZ'), ROUTING)).toBeUndefined();
  });

  it('ignores an alarm that returned to OK', () => {
    expect(operationsAlertOf(alarmOf('alarm-returned-to-ok.json'), ROUTING)).toBeUndefined();
  });

  it('ignores an alarm without a matching alert', () => {
    const message = {
      ...sampleMessage('alarm-dead-letter-queue-not-empty.json'),
      AlarmName: 'Financy-prod-inbound-message-age',
      Trigger: { MetricName: 'ApproximateAgeOfOldestMessage', Namespace: 'AWS/SQS', Dimensions: [] },
    };

    expect(operationsAlertOf(parseCloudWatchAlarm(JSON.stringify(message)), ROUTING)).toBeUndefined();
  });
});

describe('alarmNotification', () => {
  const alarm = alarmOf('alarm-dead-letter-queue-not-empty.json');
  const data = operationsAlertOf(alarm, ROUTING)!;

  it('builds a valid Slack notification', () => {
    const notification = alarmNotification(alarm, data, {
      webhook: 'operations',
      correlationId: '6a0f4d3c-2b1a-4c9d-8e7f-0a1b2c3d4e5f',
    });

    expect(parseNotification(serializeNotification(notification))).toEqual(notification);
    expect(notification).toMatchObject({
      kind: 'slack',
      template: 'operations-alert',
      recipient: { webhook: 'operations' },
      idempotencyKey: 'alarm:Financy-prod-notification-dead-letter-queue-not-empty:2026-03-18T12:00:03.123Z',
      correlationId: '6a0f4d3c-2b1a-4c9d-8e7f-0a1b2c3d4e5f',
    });
    expect(renderSlack(notification.template, notification.data).text).toBe(
      '[prod] Dead-letter queue financy-prod-notifications-dlq is not empty',
    );
  });

  it('hashes keys and ids that the format rejects', () => {
    const spaced = { ...alarm, alarmName: 'Queue backlog (manual)' };
    const notification = alarmNotification(spaced, data, { webhook: 'operations', correlationId: 'a b/c' });

    expect(notification.idempotencyKey).toMatch(/^alarm:[0-9a-f]{64}$/);
    expect(notification.correlationId).toMatch(/^[0-9a-f]{32}$/);
    expect(() => serializeNotification(notification)).not.toThrow();
  });
});

describe('forwardAlarmEvent', () => {
  function dependencies(queue: NotificationQueue) {
    return { queue, routing: ROUTING, slackWebhook: 'operations', logger: SILENT_LOGGER };
  }

  it('queues an alert per matching alarm', async () => {
    const queue = new RecordingQueue();

    const summary = await forwardAlarmEvent(
      sampleEvent('alarm-circuit-open-math-expression.json'),
      dependencies(queue),
    );

    expect(summary).toEqual({ records: 1, forwarded: 1, skipped: 0, invalid: 0 });
    expect(queue.sent.map((notification) => notification.data.alert)).toEqual(['breaker-opened']);
  });

  it('skips OK states and drops unreadable records', async () => {
    const queue = new RecordingQueue();
    const event = eventOf(sampleMessage('alarm-returned-to-ok.json'), 'not json');

    const summary = await forwardAlarmEvent(event, dependencies(queue));

    expect(summary).toEqual({ records: 2, forwarded: 0, skipped: 1, invalid: 1 });
    expect(queue.sent).toEqual([]);
  });

  it('throws after the other records when the queue fails', async () => {
    const queue = new RecordingQueue();
    queue.failing = true;
    const event = eventOf(sampleMessage('alarm-dead-letter-queue-not-empty.json'), 'not json');

    await expect(forwardAlarmEvent(event, dependencies(queue))).rejects.toThrow(AlarmForwardingError);
    await expect(forwardAlarmEvent(event, dependencies(queue))).rejects.toThrow(
      '1 of 2 alarm notifications could not be queued',
    );
  });
});

describe('loadAlarmNotifierConfig', () => {
  const environment = {
    NOTIFICATION_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/000000000000/financy-prod-notifications',
    STAGE: 'prod',
  };

  it('applies the defaults', () => {
    expect(loadAlarmNotifierConfig(environment)).toEqual({
      notificationQueueUrl: environment.NOTIFICATION_QUEUE_URL,
      stage: 'prod',
      slackWebhook: 'operations',
      fxRefreshFunctionNames: [],
    });
  });

  it('reads the webhook and the FX function names', () => {
    const config = loadAlarmNotifierConfig({
      ...environment,
      SLACK_WEBHOOK_NAME: 'on-call',
      FX_REFRESH_FUNCTION_NAMES: 'fx-a, fx-b',
    });

    expect(config.slackWebhook).toBe('on-call');
    expect(config.fxRefreshFunctionNames).toEqual(['fx-a', 'fx-b']);
  });

  it.each([
    ['NOTIFICATION_QUEUE_URL', { NOTIFICATION_QUEUE_URL: undefined }],
    ['STAGE', { STAGE: 'Prod' }],
    ['SLACK_WEBHOOK_NAME', { SLACK_WEBHOOK_NAME: 'On Call' }],
  ])('rejects a missing or invalid %s', (variable, change) => {
    expect(() => loadAlarmNotifierConfig({ ...environment, ...change })).toThrow(ConfigError);
    expect(() => loadAlarmNotifierConfig({ ...environment, ...change })).toThrow(`${variable}:`);
  });
});

describe('alarm-notifier function', () => {
  const sqsMock = mockClient(SQSClient);
  const queueUrl = 'http://127.0.0.1:9/000000000000/unit-notifications';

  afterAll(() => {
    sqsMock.restore();
  });

  it('sends the Slack alert of an alarm to the queue', async () => {
    sqsMock.reset();
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'queued-1' });
    const lines: string[] = [];
    const handler = createAlarmNotifierHandler(
      loadAlarmNotifierConfig({ NOTIFICATION_QUEUE_URL: queueUrl, STAGE: 'prod' }),
      { sqs: new SQSClient({ region: 'us-east-1' }), logger: new CapturingLogger('alarm-notifier', lines) },
    );

    const summary = await handler(
      sampleEvent('alarm-dead-letter-queue-not-empty.json'),
      localLambdaContext('alarm-notifier', 30),
    );

    const [call] = sqsMock.commandCalls(SendMessageCommand);
    const notification = parseNotification(call!.args[0].input.MessageBody!);
    expect(summary).toEqual({ records: 1, forwarded: 1, skipped: 0, invalid: 0 });
    expect(call!.args[0].input.QueueUrl).toBe(queueUrl);
    expect(notification).toMatchObject({ kind: 'slack', data: { alert: 'dlq-not-empty', stage: 'prod' } });
    expect(lines.join('\n')).toContain('Queued the Slack alert of the alarm');
  });
});
