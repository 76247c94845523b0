import { Match, type Template } from 'aws-cdk-lib/assertions';
import { SERVICE_NAMES, WEBHOOK_MAX_BODY_BYTES } from '../../infra/definitions';
import { TELEGRAM_WEBHOOK_PATH } from '../../infra/stack/telegram-ingest';
import {
  actionsOfFunctionRole,
  environmentOf,
  findFunction,
  synthesizeStack,
  type TemplateResource,
} from './stack-fixture';

const APPLICATION_SERVICES = Object.values(SERVICE_NAMES);

interface PolicyProperties {
  Roles: { Ref: string }[];
  PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] };
}

function resourcesOf(template: Template, type: string): [string, TemplateResource][] {
  return Object.entries(template.findResources(type)) as [string, TemplateResource][];
}

function reservedConcurrencyOfWebhook(template: Template): unknown {
  const [, webhook] = findFunction(template, 'telegram-webhook');
  return webhook.Properties?.ReservedConcurrentExecutions;
}

function maxConcurrencyOfSource(template: Template, service: string): unknown {
  const [functionId] = findFunction(template, service);
  const mapping = resourcesOf(template, 'AWS::Lambda::EventSourceMapping')
    .map(([, resource]) => resource)
    .find(
      (resource) => JSON.stringify(resource.Properties?.FunctionName) === JSON.stringify({ Ref: functionId }),
    );

  return (mapping?.Properties?.ScalingConfig as { MaximumConcurrency?: number } | undefined)
    ?.MaximumConcurrency;
}

describe('tracing and logs', () => {
  const template = synthesizeStack('dev');

  it('traces every function with X-Ray', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function');

    // The application functions and the custom resource provider's function.
    expect(functions).toHaveLength(APPLICATION_SERVICES.length + 1);
    for (const [, resource] of functions) {
      expect(resource.Properties?.TracingConfig).toEqual({ Mode: 'Active' });
      expect(actionsOfFunctionRole(template, resource)).toEqual(
        expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
      );
    }
  });

  it('logs every function to its log group', () => {
    for (const [, resource] of resourcesOf(template, 'AWS::Lambda::Function')) {
      const loggingConfig = resource.Properties?.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined;
      const logGroup = template.toJSON().Resources[loggingConfig?.LogGroup?.Ref ?? '(none)'] as
        | TemplateResource
        | undefined;

      expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
    }
  });

  it.each([
    ['dev', 7],
    ['prod', 90],
  ] as const)('gives every log group in %s a retention of %i days', (stage, days) => {
    const logGroups = resourcesOf(synthesizeStack(stage), 'AWS::Logs::LogGroup');

    // The application functions, the custom resource provider and the API access log.
    expect(logGroups).toHaveLength(APPLICATION_SERVICES.length + 2);
    for (const [, logGroup] of logGroups) {
      expect(logGroup.Properties?.RetentionInDays).toBe(days);
    }
  });

  it('lets each function write only to its own log group', () => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy').map(([, policy]) => policy);

    for (const [, role] of resourcesOf(template, 'AWS::IAM::Role')) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
    for (const [, resource] of resourcesOf(template, 'AWS::Lambda::Function')) {
      const { Role: role, LoggingConfig: loggingConfig } = resource.Properties as {
        Role: { 'Fn::GetAtt': [string, string] };
        LoggingConfig: { LogGroup: { Ref: string } };
      };
      const logGroupId = loggingConfig.LogGroup.Ref;
      const logStatements = policies
        .map((policy) => policy.Properties as unknown as PolicyProperties)
        .filter((policy) => policy.Roles.some((attached) => attached.Ref === role['Fn::GetAtt'][0]))
        .flatMap((policy) => policy.PolicyDocument.Statement)
        .filter((statement) => JSON.stringify(statement.Action).includes('logs:'));

      expect(logStatements).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
      ]);
    }
  });

  it.each(APPLICATION_SERVICES)('keeps HTTPS request capture off in %s', (service) => {
    const [, resource] = findFunction(template, service);

    expect(environmentOf(resource).POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS).toBe('false');
  });

  it.each([
    ['dev', {}, '0.1'],
    ['prod', {}, '0'],
    ['prod', { debugSampleRate: 0.25 }, '0.25'],
  ] as const)('samples DEBUG logs in %s with %j at %s', (stage, props, expected) => {
    const stack = synthesizeStack(stage, props);

    for (const service of APPLICATION_SERVICES) {
      const [, resource] = findFunction(stack, service);
      expect(environmentOf(resource).POWERTOOLS_LOGGER_SAMPLE_RATE).toBe(expected);
    }
  });
});

describe('encryption and TLS', () => {
  const template = synthesizeStack('dev');

  it('encrypts each topic with its own rotating customer managed key', () => {
    const keys = resourcesOf(template, 'AWS::KMS::Key');
    const topics = resourcesOf(template, 'AWS::SNS::Topic');

    // The alarm topic and the SES feedback topic.
    expect(topics).toHaveLength(2);
    expect(keys).toHaveLength(topics.length);
    for (const [keyId, key] of keys) {
      expect(key.Properties?.EnableKeyRotation).toBe(true);
      const encrypted = topics.filter(
        ([, topic]) =>
          JSON.stringify(topic.Properties?.KmsMasterKeyId) ===
          JSON.stringify({ 'Fn::GetAtt': [keyId, 'Arn'] }),
      );
      expect(encrypted).toHaveLength(1);
    }
  });

  it('lets CloudWatch alarms use the topic key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          }),
        ]),
      },
    });
  });

  it('denies topic and queue access without TLS', () => {
    const denyWithoutTls = Match.arrayWith([
      Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);

    expect(
      Object.keys(
        template.findResources('AWS::SNS::TopicPolicy', {
          Properties: { PolicyDocument: { Statement: denyWithoutTls } },
        }),
      ),
    ).toHaveLength(resourcesOf(template, 'AWS::SNS::Topic').length);
    expect(
      Object.keys(
        template.findResources('AWS::SQS::QueuePolicy', {
          Properties: { PolicyDocument: { Statement: denyWithoutTls } },
        }),
      ),
    ).toHaveLength(resourcesOf(template, 'AWS::SQS::Queue').length);
  });

  it('encrypts every queue and table at rest', () => {
    for (const [, queue] of resourcesOf(template, 'AWS::SQS::Queue')) {
      expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    }
    for (const [, table] of resourcesOf(template, 'AWS::DynamoDB::GlobalTable')) {
      expect(table.Properties?.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    }
  });
});

describe('webhook edge', () => {
  const template = synthesizeStack('dev');

  it('writes JSON access logs without bodies', () => {
    const [[, stage]] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage') as [[string, TemplateResource]];
    const settings = stage.Properties?.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(settings.Format) as Record<string, string>;

    const logGroupId = (settings.DestinationArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

    expect(template.toJSON().Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 7 },
    });
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      routeKey: '$context.routeKey',
      sourceIp: '$context.identity.sourceIp',
    });
    expect(settings.Format).not.toMatch(/body|\$input|\$request|header/i);
  });

  it('throttles the Telegram route', () => {
    const [routeId] = Object.keys(
      template.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: `POST ${TELEGRAM_WEBHOOK_PATH}` },
      }),
    );

    template.hasResource('AWS::ApiGatewayV2::Stage', {
      Properties: Match.objectLike({
        DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        RouteSettings: {
          [`POST ${TELEGRAM_WEBHOOK_PATH}`]: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        },
      }),
      DependsOn: Match.arrayWith([routeId]),
    });
  });

  it('sets the webhook body limit explicitly', () => {
    const [, webhook] = findFunction(template, 'telegram-webhook');

    expect(environmentOf(webhook).WEBHOOK_MAX_BODY_BYTES).toBe(String(WEBHOOK_MAX_BODY_BYTES));
    // API Gateway HTTP APIs accept payloads up to 10 MB, so a larger limit would never apply.
    expect(WEBHOOK_MAX_BODY_BYTES).toBeLessThan(10 * 1_000_000);
  });
});

describe('concurrency', () => {
  it.each([
    ['dev', {}, 5],
    ['prod', {}, 40],
    ['prod', { webhookReservedConcurrency: 12 }, 12],
    ['prod', { webhookReservedConcurrency: null }, undefined],
  ] as const)('reserves webhook concurrency in %s with %j: %s', (stage, props, expected) => {
    expect(reservedConcurrencyOfWebhook(synthesizeStack(stage, props))).toBe(expected);
  });

  it.each([
    ['dev', {}, 2],
    ['prod', {}, 10],
    ['dev', { processorMaxConcurrency: 4 }, 4],
  ] as const)('caps the processor event source in %s with %j at %i', (stage, props, expected) => {
    expect(maxConcurrencyOfSource(synthesizeStack(stage, props), 'message-processor')).toBe(expected);
  });

  it.each([
    ['dev', {}, 2],
    ['prod', {}, 5],
    ['prod', { notificationSenderMaxConcurrency: 8 }, 8],
  ] as const)('caps the notification sender event source in %s with %j at %i', (stage, props, expected) => {
    expect(maxConcurrencyOfSource(synthesizeStack(stage, props), 'notification-sender')).toBe(expected);
  });

  it.each(['message-processor', 'notification-sender'])('reserves no concurrency for %s', (service) => {
    const [, consumer] = findFunction(synthesizeStack('prod'), service);

    expect(consumer.Properties?.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('stage differences', () => {
  const dev = synthesizeStack('dev');
  const prod = synthesizeStack('prod');

  it('retains data and logs only in prod', () => {
    for (const type of ['AWS::DynamoDB::GlobalTable', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup']) {
      for (const [, resource] of resourcesOf(prod, type)) {
        expect(resource.DeletionPolicy).toBe('Retain');
      }
      for (const [, resource] of resourcesOf(dev, type)) {
        expect(resource.DeletionPolicy).toBe('Delete');
      }
    }
  });

  it('schedules the topic keys for deletion', () => {
    for (const template of [dev, prod]) {
      for (const [, key] of resourcesOf(template, 'AWS::KMS::Key')) {
        expect(key.DeletionPolicy).toBe('Delete');
        expect(key.Properties?.PendingWindowInDays).toBe(30);
      }
    }
  });
});
