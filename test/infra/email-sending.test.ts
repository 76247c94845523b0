import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { EmailIdentityMode } from '../../infra/stack/context-options';
import {
  findFunction,
  logicalIdOf,
  resourcesOf,
  statementsOfFunctionRole,
  synthesizeStack,
} from './stack-fixture';

const SENDER = {
  from: 'Financy <reports@example.com>',
  address: 'reports@example.com',
  domain: 'example.com',
};

function sendEmailResources(template: Template): string {
  const [, sender] = findFunction(template, 'notification-sender');
  const statements = statementsOfFunctionRole(template, sender).filter((statement) =>
    [statement.Action].flat().includes('ses:SendEmail'),
  );

  return JSON.stringify(statements.map((statement) => statement.Resource));
}

function synthesizeWithIdentity(mode: EmailIdentityMode): Template {
  return synthesizeStack('dev', { emailSender: SENDER, emailIdentityMode: mode });
}

describe('EmailSending', () => {
  const template = synthesizeStack('dev');
  const topicId = logicalIdOf(template, 'AWS::SNS::Topic', { TopicName: 'Financy-dev-ses-feedback' });
  const configurationSetId = logicalIdOf(template, 'AWS::SES::ConfigurationSet', {
    Name: 'financy-dev-notifications',
  });

  it('publishes bounces, complaints and deliveries to the feedback topic', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSetId },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'delivery'],
        SnsDestination: { TopicARN: { Ref: topicId } },
      },
    });
  });

  it('lets SES publish only for this configuration set', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              StringEquals: {
                'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
                'AWS:SourceArn': Match.objectLike({
                  'Fn::Join': ['', Match.arrayWith([':configuration-set/', { Ref: configurationSetId }])],
                }),
              },
            },
          }),
        ]),
      },
    });
  });

  it('lets SES use the topic key for this topic only', () => {
    const [, topic] = resourcesOf(template, 'AWS::SNS::Topic').find(([id]) => id === topicId)!;
    const keyId = (topic.Properties!.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const [, key] = resourcesOf(template, 'AWS::KMS::Key').find(([id]) => id === keyId)!;
    const statements = (key.Properties!.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    const sesStatements = statements.filter(
      (statement) => JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'ses.amazonaws.com' }),
    );

    expect(key.Properties!.EnableKeyRotation).toBe(true);
    expect(sesStatements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Condition: {
          StringEquals: {
            'kms:EncryptionContext:aws:sns:topicArn': {
              'Fn::Join': ['', expect.arrayContaining([':Financy-dev-ses-feedback'])],
            },
          },
        },
      }),
    ]);
  });

  it('creates no identity without a sender', () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    template.hasOutput('EmailSender', { Value: Match.stringLikeRegexp('example\\.invalid') });
  });

  it('verifies the sender address by default', () => {
    const withAddress = synthesizeStack('dev', { emailSender: SENDER });

    withAddress.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'reports@example.com',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: Match.anyValue() } },
    });
    expect(sendEmailResources(withAddress)).toContain(':identity/reports@example.com');
    expect(sendEmailResources(withAddress)).not.toContain(':identity/example.com');
  });

  it('verifies the domain with Easy DKIM records as outputs', () => {
    const withDomain = synthesizeWithIdentity('domain');

    withDomain.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.com' });
    for (const index of [1, 2, 3]) {
      withDomain.hasOutput(`EmailDkimRecord${index}`, {
        Value: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([' CNAME '])] }),
      });
    }
    expect(sendEmailResources(withDomain)).toContain(':identity/example.com');
  });

  it('uses an identity verified outside the stack', () => {
    const withExisting = synthesizeWithIdentity('existing');

    withExisting.resourceCountIs('AWS::SES::EmailIdentity', 0);
    expect(sendEmailResources(withExisting)).toContain(':identity/reports@example.com');
    expect(sendEmailResources(withExisting)).toContain(':identity/example.com');
  });
});
