import { Match } from 'aws-cdk-lib/assertions';
import { INBOUND_QUEUE } from '../../infra/definitions';
import {
  actionsOfFunctionRole,
  findFunction,
  resourcesOf,
  synthesizeStack,
  type TemplateResource,
  WEBHOOK_FUNCTION_ACTIONS,
} from './stack-fixture';

describe('TelegramIngest', () => {
  const template = synthesizeStack('dev');

  it('creates the inbound FIFO queue with a redrive policy', () => {
    const deadLetterQueues = template.findResources('AWS::SQS::Queue', {
      Properties: { QueueName: `financy-dev-${INBOUND_QUEUE.deadLetterName}` },
    });
    const [deadLetterQueueId] = Object.keys(deadLetterQueues);

    expect(deadLetterQueueId).toBeDefined();
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `financy-dev-${INBOUND_QUEUE.name}`,
      FifoQueue: true,
      ContentBasedDeduplication: false,
      VisibilityTimeout: INBOUND_QUEUE.visibilityTimeoutSeconds,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] },
        maxReceiveCount: INBOUND_QUEUE.maxReceiveCount,
      },
    });
  });

  it('creates the dead-letter queue as FIFO', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `financy-dev-${INBOUND_QUEUE.deadLetterName}`,
      FifoQueue: true,
      ContentBasedDeduplication: false,
      MessageRetentionPeriod: INBOUND_QUEUE.deadLetterRetentionDays * 86_400,
      SqsManagedSseEnabled: true,
    });
  });

  it('denies queue access without TLS', () => {
    const queueIds = Object.keys(
      template.findResources('AWS::SQS::Queue', {
        Properties: { QueueName: Match.stringLikeRegexp('^financy-dev-inbound') },
      }),
    );
    const policies = template.findResources('AWS::SQS::QueuePolicy', {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
        Queues: [{ Ref: Match.anyValue() }],
      },
    });
    const protectedQueues = Object.values(policies).map(
      (policy) => ((policy as TemplateResource).Properties!.Queues as { Ref: string }[])[0]?.Ref,
    );

    expect(queueIds).toHaveLength(2);
    expect(protectedQueues).toEqual(expect.arrayContaining(queueIds));
  });

  it('alarms on one dead-lettered message', () => {
    const topics = Object.keys(
      template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'Financy dev alarms' } }),
    );

    expect(topics).toHaveLength(1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-dead-letter-queue-not-empty',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'QueueName'] },
        },
      ],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: topics[0] }],
    });
  });

  it('routes POST /webhooks/telegram to the webhook function', () => {
    const [functionId] = findFunction(template, 'telegram-webhook');

    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /webhooks/telegram' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });
    const telegramRoutes = resourcesOf(template, 'AWS::ApiGatewayV2::Route')
      .map(([, route]) => route.Properties?.RouteKey as string)
      .filter((routeKey) => routeKey.endsWith('/webhooks/telegram'));
    expect(telegramRoutes).toEqual(['POST /webhooks/telegram']);
  });

  it('throttles the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });

  it('outputs the webhook URL', () => {
    template.hasOutput('WebhookUrl', {
      Value: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'ApiEndpoint'] }, '/webhooks/telegram']],
      },
    });
  });

  it('configures the webhook function', () => {
    const [, webhook] = findFunction(template, 'telegram-webhook');

    expect(webhook.Properties).toMatchObject({ MemorySize: 256, Timeout: 5 });
    expect(webhook.Properties?.Environment).toMatchObject({
      Variables: {
        INBOUND_QUEUE_URL: { Ref: expect.stringContaining('InboundQueue') },
        TELEGRAM_SECRET_ARN: { Ref: expect.stringContaining('TelegramBotSecret') },
        TELEGRAM_IP_CHECK: 'true',
      },
    });
  });

  it('lets the webhook only send messages and read the secret', () => {
    const [, webhook] = findFunction(template, 'telegram-webhook');
    const actions = actionsOfFunctionRole(template, webhook);

    expect(actions.sort()).toEqual(WEBHOOK_FUNCTION_ACTIONS);
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
  });
});
