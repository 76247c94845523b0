import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import {
  MONITORED_DEPENDENCIES,
  WEBHOOK_MAX_BODY_BYTES,
  WHATSAPP_MAX_MEDIA_BYTES,
} from '../../infra/definitions';
import { ALARM_THRESHOLDS } from '../../infra/stack/operations-alarms';
import { WHATSAPP_SECRET_PLACEHOLDER } from '../../infra/stack/whatsapp-ingest';
import { METRIC_NAMESPACE, METRICS } from '../../lib/observability/metric-names';
import { createWhatsAppSecretsLoader } from '../../lib/secrets/whatsapp-secrets';
import { dashboardWidgets, metricLines, sectionTitles, widgetTitled } from './dashboard-fixture';
import {
  actionsOfFunctionRole,
  environmentOf,
  findFunction,
  resourcesOf,
  statementsOfFunctionRole,
  synthesizeStack,
  type TemplateResource,
  WEBHOOK_FUNCTION_ACTIONS,
} from './stack-fixture';

const SERVICE = 'whatsapp-webhook';

/** Returns the logical id of the one resource of `type` whose id contains `fragment`. */
function idContaining(template: Template, type: string, fragment: string): string {
  const ids = resourcesOf(template, type)
    .map(([id]) => id)
    .filter((id) => id.includes(fragment));
  if (ids.length !== 1) {
    throw new Error(`Expected one ${type} whose id contains ${fragment}, found ${ids.length}.`);
  }

  return ids[0]!;
}

function secretIdOf(template: Template): string {
  return idContaining(template, 'AWS::SecretsManager::Secret', 'WhatsAppIngestSecret');
}

/** Returns the logical id and route key of each route of the API. */
function routesOf(template: Template): [string, string][] {
  return resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([id, route]) => [
    id,
    String(route.Properties?.RouteKey),
  ]);
}

function whatsAppRouteIds(template: Template): string[] {
  return routesOf(template)
    .filter(([, routeKey]) => routeKey.endsWith('/webhooks/whatsapp'))
    .map(([id]) => id);
}

/** Returns the statements of a role that allow `action`, with their resources. */
function statementsAllowing(template: Template, functionResource: TemplateResource, action: string) {
  return statementsOfFunctionRole(template, functionResource).filter((statement) =>
    [statement.Action].flat().includes(action),
  );
}

describe('WhatsAppIngest', () => {
  const template = synthesizeStack('dev');

  it('routes GET and POST to the function', () => {
    const [functionId] = findFunction(template, SERVICE);
    const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration').filter(
      ([, integration]) =>
        JSON.stringify(integration.Properties?.IntegrationUri) ===
        JSON.stringify({ 'Fn::GetAtt': [functionId, 'Arn'] }),
    );
    const whatsAppRoutes = resourcesOf(template, 'AWS::ApiGatewayV2::Route').filter(([id]) =>
      whatsAppRouteIds(template).includes(id),
    );

    expect(integrations).toHaveLength(1);
    expect(integrations[0]![1].Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    expect(whatsAppRoutes.map(([, route]) => route.Properties?.RouteKey).sort()).toEqual([
      'GET /webhooks/whatsapp',
      'POST /webhooks/whatsapp',
    ]);
    for (const [, route] of whatsAppRoutes) {
      expect(route.Properties?.Target).toEqual({
        'Fn::Join': ['', ['integrations/', { Ref: integrations[0]![0] }]],
      });
    }
  });

  it('shares the API with Telegram', () => {
    const apiIds = resourcesOf(template, 'AWS::ApiGatewayV2::Api').map(([id]) => id);

    expect(apiIds).toHaveLength(1);
    expect(resourcesOf(template, 'AWS::ApiGatewayV2::Stage')).toHaveLength(1);
    for (const [, route] of resourcesOf(template, 'AWS::ApiGatewayV2::Route')) {
      expect(route.Properties?.ApiId).toEqual({ Ref: apiIds[0] });
    }
  });

  it('throttles each WhatsApp route', () => {
    const routeIds = whatsAppRouteIds(template);

    template.hasResource('AWS::ApiGatewayV2::Stage', {
      Properties: Match.objectLike({
        RouteSettings: {
          'POST /webhooks/telegram': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
          'GET /webhooks/whatsapp': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5 },
          'POST /webhooks/whatsapp': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        },
      }),
      DependsOn: Match.arrayWith(routeIds),
    });
  });

  it('configures the webhook function', () => {
    const [, webhook] = findFunction(template, SERVICE);
    const environment = environmentOf(webhook);

    expect(webhook.Properties).toMatchObject({
      MemorySize: 256,
      Timeout: 5,
      Runtime: 'nodejs22.x',
      TracingConfig: { Mode: 'Active' },
    });
    expect(environment).toMatchObject({
      INBOUND_QUEUE_URL: { Ref: expect.stringContaining('InboundQueue') },
      WHATSAPP_SECRET_ARN: { Ref: secretIdOf(template) },
      SECRETS_CACHE_SECONDS: '300',
      WEBHOOK_MAX_BODY_BYTES: String(WEBHOOK_MAX_BODY_BYTES),
    });
    expect(Object.keys(environment).filter((name) => name.startsWith('TELEGRAM_'))).toEqual([]);
  });

  it('grants only queue sends and secret reads', () => {
    const [, webhook] = findFunction(template, SERVICE);
    const inboundQueueId = idContaining(template, 'AWS::SQS::Queue', 'InboundQueue');

    expect(actionsOfFunctionRole(template, webhook).sort()).toEqual(WEBHOOK_FUNCTION_ACTIONS);
    expect(
      statementsAllowing(template, webhook, 'sqs:SendMessage').map((statement) => statement.Resource),
    ).toEqual([{ 'Fn::GetAtt': [inboundQueueId, 'Arn'] }]);
    expect(
      statementsAllowing(template, webhook, 'secretsmanager:GetSecretValue').map(
        (statement) => statement.Resource,
      ),
    ).toEqual([{ Ref: secretIdOf(template) }]);
  });

  it.each([
    ['dev', {}, 5],
    ['prod', {}, 40],
    ['prod', { webhookReservedConcurrency: 12 }, 12],
    ['prod', { webhookReservedConcurrency: null }, undefined],
  ] as const)('reserves concurrency like Telegram in %s with %j: %s', (stage, props, expected) => {
    const subject = synthesizeStack(stage, props);
    const [, whatsApp] = findFunction(subject, SERVICE);
    const [, telegram] = findFunction(subject, 'telegram-webhook');

    expect(whatsApp.Properties?.ReservedConcurrentExecutions).toBe(expected);
    expect(telegram.Properties?.ReservedConcurrentExecutions).toBe(expected);
  });

  it('keeps logs for the stage retention', () => {
    const prod = synthesizeStack('prod');
    const [, webhook] = findFunction(prod, SERVICE);
    const loggingConfig = webhook.Properties?.LoggingConfig as { LogGroup: { Ref: string } } | undefined;
    const logGroupId = loggingConfig?.LogGroup.Ref ?? '(no log group)';

    expect(prod.toJSON().Resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 90 },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('WhatsApp secret', () => {
  const dev = synthesizeStack('dev');
  const secret = dev.toJSON().Resources[secretIdOf(dev)] as TemplateResource;
  const generate = secret.Properties?.GenerateSecretString as {
    SecretStringTemplate: string;
    GenerateStringKey: string;
    PasswordLength: number;
    ExcludePunctuation: boolean;
  };

  it('contains placeholders and a generated token', () => {
    expect(JSON.parse(generate.SecretStringTemplate)).toEqual({
      accessToken: WHATSAPP_SECRET_PLACEHOLDER,
      appSecret: WHATSAPP_SECRET_PLACEHOLDER,
      phoneNumberIds: [],
    });
    expect(generate).toMatchObject({
      GenerateStringKey: 'verifyToken',
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
    expect(secret.Properties?.SecretString).toBeUndefined();
  });

  it('fails the secret check until filled in', async () => {
    const deployedValue = { ...JSON.parse(generate.SecretStringTemplate), verifyToken: 'a'.repeat(64) };
    const provider = { get: async () => JSON.stringify(deployedValue) } as unknown as SecretsProvider;
    const loadSecrets = createWhatsAppSecretsLoader(
      { kind: 'secrets-manager', secretId: 'whatsapp-secret', maxAgeSeconds: 0 },
      provider,
    );

    await expect(loadSecrets()).rejects.toThrow('put-secret-value');
  });

  it.each([
    ['dev', 'Delete'],
    ['prod', 'Retain'],
  ] as const)('has the %s removal policy', (stage, policy) => {
    const template = stage === 'dev' ? dev : synthesizeStack(stage);

    expect((template.toJSON().Resources[secretIdOf(template)] as TemplateResource).DeletionPolicy).toBe(
      policy,
    );
  });
});

describe('processor WhatsApp settings', () => {
  it('passes WhatsApp variables with defaults', () => {
    const template = synthesizeStack('dev');
    const [, processor] = findFunction(template, 'message-processor');

    expect(environmentOf(processor)).toMatchObject({
      WHATSAPP_SECRET_ARN: { Ref: secretIdOf(template) },
      WHATSAPP_STATE_TABLE: { Ref: expect.stringContaining('WhatsappStateTable') },
      WHATSAPP_API_VERSION: 'v23.0',
      WHATSAPP_REPLY_TEMPLATE: 'financy_reply',
      WHATSAPP_TEMPLATE_LANGUAGE: 'en',
      WHATSAPP_MAX_MEDIA_BYTES: String(WHATSAPP_MAX_MEDIA_BYTES),
    });
    expect(environmentOf(processor).WHATSAPP_API_BASE_URL).toBeUndefined();
  });

  it('passes the configured template options', () => {
    const template = synthesizeStack('prod', {
      whatsappOptions: { replyTemplate: 'financy_reply_pt', templateLanguage: 'pt_BR', apiVersion: 'v24.0' },
    });
    const [, processor] = findFunction(template, 'message-processor');

    expect(environmentOf(processor)).toMatchObject({
      WHATSAPP_REPLY_TEMPLATE: 'financy_reply_pt',
      WHATSAPP_TEMPLATE_LANGUAGE: 'pt_BR',
      WHATSAPP_API_VERSION: 'v24.0',
    });
  });

  it('grants secret reads and state table writes', () => {
    const template = synthesizeStack('dev');
    const [, processor] = findFunction(template, 'message-processor');
    const stateTableId = idContaining(template, 'AWS::DynamoDB::GlobalTable', 'WhatsappStateTable');
    const stateStatements = statementsOfFunctionRole(template, processor).filter((statement) =>
      JSON.stringify(statement.Resource).includes(stateTableId),
    );

    expect(
      statementsAllowing(template, processor, 'secretsmanager:GetSecretValue').map(
        (statement) => statement.Resource,
      ),
    ).toContainEqual({ Ref: secretIdOf(template) });
    expect(stateStatements.flatMap((statement) => [statement.Action].flat())).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ]),
    );
  });
});

describe('WhatsApp operations', () => {
  const template = synthesizeStack('dev');
  const widgets = dashboardWidgets(template);

  it('alarms on the WhatsApp webhook 5xx rate', () => {
    const [functionId] = findFunction(template, SERVICE);
    const lambdaMetric = (id: string, metricName: string) =>
      Match.objectLike({
        Id: id,
        MetricStat: Match.objectLike({
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: metricName,
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
          },
          Stat: 'Sum',
          Period: 60,
        }),
      });

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-whatsapp-webhook-5xx',
      Metrics: Match.arrayWith([
        Match.objectLike({ ReturnData: true, Expression: Match.stringLikeRegexp('^IF\\(.* > 0, 100 \\* ') }),
        lambdaMetric('invocations', 'Invocations'),
        lambdaMetric('errors', 'Errors'),
        lambdaMetric('throttles', 'Throttles'),
        Match.objectLike({
          Id: 'unavailable',
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: METRIC_NAMESPACE,
              MetricName: METRICS.webhookUnavailable,
              Dimensions: [
                { Name: 'channel', Value: 'whatsapp' },
                { Name: 'service', Value: SERVICE },
              ],
            },
            Stat: 'Sum',
          }),
        }),
      ]),
      Threshold: ALARM_THRESHOLDS.webhookServerErrorPercent,
      EvaluationPeriods: 5,
      DatapointsToAlarm: ALARM_THRESHOLDS.webhookServerErrorMinutes,
      TreatMissingData: 'notBreaching',
    });
  });

  it.each([
    ['whatsapp', 'Financy-dev-circuit-open-whatsapp'],
    ['whatsapp:media', 'Financy-dev-circuit-open-whatsapp-media'],
  ])('alarms when the %s circuit stays open', (dependency, alarmName) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: alarmName,
      MetricName: METRICS.shortCircuitedCalls,
      Dimensions: [
        { Name: 'dependency', Value: dependency },
        { Name: 'service', Value: 'message-processor' },
      ],
    });
  });

  it('shows a WhatsApp webhook section', () => {
    expect(sectionTitles(widgets, 'WhatsApp webhook')).toEqual([
      'WhatsApp webhook responses by outcome',
      'WhatsApp rejections (4xx) by reason',
      'WhatsApp webhook 4xx and 5xx',
      'WhatsApp webhook duration (ms)',
      'WhatsApp webhook concurrency and throttles',
    ]);
  });

  it.each([
    ['WhatsApp webhook responses by outcome', METRICS.webhookRequests],
    ['WhatsApp rejections (4xx) by reason', METRICS.webhookRejected],
  ])('graphs %s for the whatsapp channel only', (title, metricName) => {
    const [line] = metricLines(widgetTitled(widgets, title));

    expect(line?.expression).toBe(
      `SEARCH('Namespace="${METRIC_NAMESPACE}" MetricName="${metricName}" channel="whatsapp"', 'Sum', 60)`,
    );
  });

  it('counts 4xx and 5xx from the function', () => {
    const expressions = metricLines(widgetTitled(widgets, 'WhatsApp webhook 4xx and 5xx')).map(
      (line) => line.expression ?? line.name,
    );

    expect(expressions).toEqual([
      `SUM(SEARCH('Namespace="${METRIC_NAMESPACE}" MetricName="${METRICS.webhookRejected}" channel="whatsapp"', 'Sum', 60))`,
      '(FILL(errors, 0) + FILL(throttles, 0) + FILL(unavailable, 0))',
      // The expression's metrics follow as hidden lines.
      'Invocations',
      'Errors',
      'Throttles',
      METRICS.webhookUnavailable,
    ]);
  });

  it('lists WhatsApp alarms in the status widget', () => {
    const statusWidget = widgets.find((widget) => widget.type === 'alarm');

    expect(statusWidget?.properties.alarms).toHaveLength(
      resourcesOf(template, 'AWS::CloudWatch::Alarm').length,
    );
  });
});

describe('WhatsApp outputs', () => {
  const template = synthesizeStack('dev');

  it('outputs the callback URL', () => {
    template.hasOutput('WhatsAppWebhookUrl', {
      Value: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'ApiEndpoint'] }, '/webhooks/whatsapp']],
      },
    });
  });

  it('outputs the secret ARN', () => {
    template.hasOutput('WhatsAppSecretArn', { Value: { Ref: secretIdOf(template) } });
  });
});

describe('WhatsApp switched off', () => {
  const on = synthesizeStack('prod');
  const off = synthesizeStack('prod', { whatsapp: false });

  it('creates no WhatsApp function, route or secret', () => {
    expect(() => findFunction(off, SERVICE)).toThrow('found 0');
    expect(routesOf(off).map(([, routeKey]) => routeKey)).toEqual(['POST /webhooks/telegram']);
    expect(resourcesOf(off, 'AWS::SecretsManager::Secret')).toHaveLength(
      resourcesOf(on, 'AWS::SecretsManager::Secret').length - 1,
    );
    expect(JSON.stringify(off.toJSON())).not.toMatch(/whatsapp/i);
  });

  it('creates no WhatsApp state table', () => {
    expect(resourcesOf(off, 'AWS::DynamoDB::GlobalTable')).toHaveLength(
      resourcesOf(on, 'AWS::DynamoDB::GlobalTable').length - 1,
    );
  });

  it('gives the processor no WHATSAPP_* variable', () => {
    const [, processor] = findFunction(off, 'message-processor');

    expect(Object.keys(environmentOf(processor)).filter((name) => name.startsWith('WHATSAPP_'))).toEqual([]);
  });

  it('leaves out outputs, alarms and dashboard row', () => {
    expect(Object.keys(off.findOutputs('*')).filter((name) => name.startsWith('WhatsApp'))).toEqual([]);
    const whatsAppCircuits = MONITORED_DEPENDENCIES.filter(({ requires }) => requires === 'whatsapp');

    expect(whatsAppCircuits.map(({ dependency }) => dependency)).toEqual(['whatsapp', 'whatsapp:media']);
    // The WhatsApp webhook 5xx alarm and one circuit alarm per WhatsApp dependency.
    expect(resourcesOf(off, 'AWS::CloudWatch::Alarm')).toHaveLength(
      resourcesOf(on, 'AWS::CloudWatch::Alarm').length - 1 - whatsAppCircuits.length,
    );
    expect(() => sectionTitles(dashboardWidgets(off), 'WhatsApp webhook')).toThrow('No dashboard section');
  });

  it('throttles only the Telegram route', () => {
    off.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: { 'POST /webhooks/telegram': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 } },
    });
  });
});
