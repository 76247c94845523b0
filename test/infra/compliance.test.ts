import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { STAGES } from '../../infra/stack/stage';
import { checkCompliance, type TemplateResource } from './stack-fixture';

interface Acknowledgment {
  id: string;
  reason: string;
}

function acknowledgmentsOf(template: ReturnType<typeof checkCompliance>['template']): Acknowledgment[] {
  return Object.values(template.Resources).flatMap((resource) => {
    const nag = resource.Metadata?.cdk_nag as { rules_to_suppress?: Acknowledgment[] } | undefined;
    return nag?.rules_to_suppress ?? [];
  });
}

describe('cdk-nag AwsSolutions checks', () => {
  const results = new Map(STAGES.map((stage) => [stage, checkCompliance(stage)]));

  it.each(STAGES)('leave no unacknowledged error or warning in %s', (stage) => {
    expect(results.get(stage)?.findings).toEqual([]);
  });

  it.each(['address', 'domain', 'existing'] as const)(
    'leave no finding with an e-mail sender and identity mode %s',
    (emailIdentityMode) => {
      const { findings } = checkCompliance('prod', {
        emailSender: {
          from: 'Financy <reports@example.com>',
          address: 'reports@example.com',
          domain: 'example.com',
        },
        emailIdentityMode,
      });

      expect(findings).toEqual([]);
    },
  );

  it.each(STAGES)('leave no finding in %s without WhatsApp', (stage) => {
    expect(checkCompliance(stage, { whatsapp: false }).findings).toEqual([]);
  });

  it('acknowledge the WhatsApp routes and secret', () => {
    const resources = Object.values(results.get('prod')!.template.Resources);
    const rulesOf = (resource: TemplateResource) =>
      (
        (resource.Metadata?.cdk_nag as { rules_to_suppress?: Acknowledgment[] } | undefined)
          ?.rules_to_suppress ?? []
      ).map(({ id }) => id);
    const routes = resources.filter(
      (resource) =>
        resource.Type === 'AWS::ApiGatewayV2::Route' &&
        String(resource.Properties?.RouteKey).endsWith('/webhooks/whatsapp'),
    );
    const secrets = resources.filter(
      (resource) =>
        resource.Type === 'AWS::SecretsManager::Secret' &&
        String(resource.Properties?.Description).includes('WhatsApp'),
    );

    expect(routes).toHaveLength(2);
    expect(secrets).toHaveLength(1);
    for (const route of routes) {
      expect(rulesOf(route)).toContain('AwsSolutions-APIG4');
    }
    expect(rulesOf(secrets[0]!)).toContain('AwsSolutions-SMG4');
  });

  it('report errors and warnings of bad resources', () => {
    const { findings } = checkCompliance('dev', {}, (stack) => {
      new Queue(stack, 'PlainQueue', { encryption: QueueEncryption.UNENCRYPTED });
      new Table(stack, 'TableWithoutRecovery', {
        partitionKey: { name: 'id', type: AttributeType.STRING },
        encryption: TableEncryption.AWS_MANAGED,
        removalPolicy: RemovalPolicy.DESTROY,
      });
    });
    const rules = findings.map((finding) => `${finding.severity} ${finding.rule}`);

    expect(rules).toEqual(expect.arrayContaining(['error AwsSolutions-SQS4', 'warning AwsSolutions-DDB3']));
  });

  it.each(STAGES)('give every acknowledgment in %s a specific reason', (stage) => {
    const acknowledgments = acknowledgmentsOf(results.get(stage)!.template);

    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledgments) {
      expect(reason.length).toBeGreaterThanOrEqual(80);
      if (id.startsWith('AwsSolutions-IAM5')) {
        // A wildcard finding is acknowledged one wildcard at a time, never for the whole rule.
        expect(id).toMatch(/^AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
      }
    }
  });

  it('acknowledge only the expected rules', () => {
    const ids = new Set(
      acknowledgmentsOf(results.get('prod')!.template).map(({ id }) => id.replace(/\[.*$/, '')),
    );

    expect([...ids].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
  });
});
