import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { AiOptions } from '../../infra/stack/ai-options';
import { AI_KEY_PLACEHOLDER, RECEIPT_RETENTION_DAYS } from '../../infra/stack/ai-services';
import type { Stage } from '../../infra/stack/stage';
import {
  checkCompliance,
  environmentOf,
  findFunction,
  type PolicyStatementJson,
  resourcesOf,
  statementsOfFunctionRole,
  synthesizeStack,
  type TemplateResource,
} from './stack-fixture';

const ALL_ON: AiOptions = { ai: true, vision: true, transcriber: 'transcribe' };

function synthesize(stage: Stage, aiOptions?: AiOptions): Template {
  return synthesizeStack(stage, aiOptions === undefined ? {} : { aiOptions });
}

function processorEnvironment(template: Template): Record<string, unknown> {
  return environmentOf(findFunction(template, 'message-processor')[1]);
}

function processorStatements(template: Template): PolicyStatementJson[] {
  return statementsOfFunctionRole(template, findFunction(template, 'message-processor')[1]);
}

/** Returns the one bucket whose logical id contains `name`. */
function bucketNamed(template: Template, name: string): [string, TemplateResource] {
  const matches = resourcesOf(template, 'AWS::S3::Bucket').filter(([id]) => id.includes(name));
  if (matches.length !== 1) {
    throw new Error(`Expected one bucket named ${name}, found ${matches.length}.`);
  }

  return matches[0]!;
}

/** Returns the statements that mention a resource whose logical id contains `name`. */
function statementsOn(statements: PolicyStatementJson[], name: string): PolicyStatementJson[] {
  return statements.filter((statement) => JSON.stringify(statement.Resource).includes(name));
}

describe('AiServices', () => {
  const defaults = synthesize('dev');
  const allOn = synthesize('dev', ALL_ON);

  describe('receipts bucket', () => {
    it('is private, encrypted and TLS-only', () => {
      const [id, bucket] = bucketNamed(defaults, 'ReceiptsBucket');

      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      expect(bucket.Properties?.VersioningConfiguration).toBeUndefined();
      defaults.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Principal: { AWS: '*' },
              Resource: Match.anyValue(),
            },
          ],
        },
      });
    });

    it('expires images and aborts incomplete uploads', () => {
      const [, bucket] = bucketNamed(defaults, 'ReceiptsBucket');

      expect(bucket.Properties?.LifecycleConfiguration).toEqual({
        Rules: [
          { ExpirationInDays: RECEIPT_RETENTION_DAYS, Status: 'Enabled' },
          { AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
        ],
      });
    });

    it('logs access to the access log bucket', () => {
      const [, bucket] = bucketNamed(defaults, 'ReceiptsBucket');
      const [logsId] = bucketNamed(defaults, 'AccessLogsBucket');

      expect(bucket.Properties?.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logsId },
        LogFilePrefix: 'receipts-bucket/',
      });
    });

    it.each([
      ['dev', 'Delete'],
      ['prod', 'Retain'],
    ] as const)('has the %s removal policy', (stage, policy) => {
      const template = stage === 'dev' ? defaults : synthesize('prod');
      for (const name of ['ReceiptsBucket', 'AccessLogsBucket']) {
        const [, bucket] = bucketNamed(template, name);
        expect(bucket.DeletionPolicy).toBe(policy);
      }
      expect(resourcesOf(template, 'Custom::S3AutoDeleteObjects')).toEqual([]);
    });
  });

  describe('processor access', () => {
    it('reads and writes receipts/* only, and lists the bucket', () => {
      const statements = statementsOn(processorStatements(defaults), 'ReceiptsBucket');

      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: {
            'Fn::Join': [
              '',
              [{ 'Fn::GetAtt': [expect.stringContaining('ReceiptsBucket'), 'Arn'] }, '/receipts/*'],
            ],
          },
        },
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: { 'Fn::GetAtt': [expect.stringContaining('ReceiptsBucket'), 'Arn'] },
        },
      ]);
    });

    it('cannot touch the access logs', () => {
      expect(statementsOn(processorStatements(allOn), 'AccessLogsBucket')).toEqual([]);
    });

    it('passes the bucket and the AI settings', () => {
      expect(processorEnvironment(defaults)).toMatchObject({
        RECEIPTS_BUCKET: { Ref: expect.stringContaining('ReceiptsBucket') },
        OCR_OFFLINE: 'false',
        TRANSCRIBER: 'whisper',
        AI_DAILY_BUDGET_USD: '0.05',
        OPENAI_MODEL: 'gpt-4.1-mini',
      });
    });
  });

  describe('key secrets', () => {
    it('exist with placeholder keys', () => {
      const secrets = resourcesOf(defaults, 'AWS::SecretsManager::Secret').filter(([id]) =>
        /OpenAiKeySecret|VisionKeySecret/.test(id),
      );

      expect(secrets).toHaveLength(2);
      for (const [, secret] of secrets) {
        expect(JSON.parse(secret.Properties?.SecretString as string)).toEqual({ apiKey: AI_KEY_PLACEHOLDER });
      }
    });

    it('are not read while ai and vision are off', () => {
      const environment = processorEnvironment(defaults);

      expect(environment.OPENAI_SECRET_ARN).toBeUndefined();
      expect(environment.VISION_SECRET_ARN).toBeUndefined();
      expect(statementsOn(processorStatements(defaults), 'OpenAiKeySecret')).toEqual([]);
      expect(statementsOn(processorStatements(defaults), 'VisionKeySecret')).toEqual([]);
    });

    it.each([
      ['OpenAiKeySecret', 'OPENAI_SECRET_ARN'],
      ['VisionKeySecret', 'VISION_SECRET_ARN'],
    ])('pass %s to the processor when on', (secretName, variable) => {
      const reads = statementsOn(processorStatements(allOn), secretName);

      expect(processorEnvironment(allOn)[variable]).toEqual({ Ref: expect.stringContaining(secretName) });
      expect(reads).toEqual([
        {
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: { Ref: expect.stringContaining(secretName) },
        },
      ]);
    });

    it('let users turn on AI summaries only with aiInsights and ai both on', () => {
      expect(processorEnvironment(synthesize('prod', { ai: true, aiInsights: true })).AI_INSIGHTS).toBe(
        'true',
      );
      expect(processorEnvironment(synthesize('prod', { aiInsights: true })).AI_INSIGHTS).toBeUndefined();
      expect(processorEnvironment(synthesize('prod', { ai: true })).AI_INSIGHTS).toBeUndefined();
    });

    it('turn on one at a time', () => {
      const environment = processorEnvironment(synthesize('prod', { vision: true }));

      expect(environment.VISION_SECRET_ARN).toBeDefined();
      expect(environment.OPENAI_SECRET_ARN).toBeUndefined();
    });

    it('keep the placeholder out of the environment', () => {
      expect(JSON.stringify(processorEnvironment(allOn))).not.toContain(AI_KEY_PLACEHOLDER);
    });
  });

  describe('Amazon Transcribe', () => {
    it('is absent with Whisper', () => {
      const actions = processorStatements(defaults).flatMap((statement) => statement.Action);

      expect(() => bucketNamed(defaults, 'TranscriptionBucket')).toThrow('found 0');
      expect(processorEnvironment(defaults).TRANSCRIBE_BUCKET).toBeUndefined();
      expect(actions.filter((action) => action.startsWith('transcribe:'))).toEqual([]);
    });

    it('gets a bucket that expires audio and transcripts after a day', () => {
      const [id, bucket] = bucketNamed(allOn, 'TranscriptionBucket');

      expect(bucket.Properties?.LifecycleConfiguration).toEqual({
        Rules: [
          { Prefix: 'voice/', ExpirationInDays: 1, Status: 'Enabled' },
          { Prefix: 'transcripts/', ExpirationInDays: 1, Status: 'Enabled' },
        ],
      });
      expect(bucket.Properties?.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(processorEnvironment(allOn).TRANSCRIBE_BUCKET).toEqual({ Ref: id });
    });

    it('lets the processor use voice/ and transcripts/ only', () => {
      const statements = statementsOn(processorStatements(allOn), 'TranscriptionBucket');
      const objectArn = (prefix: string) => ({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringContaining('TranscriptionBucket'), 'Arn'] }, prefix]],
      });

      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          Resource: [objectArn('/voice/*'), objectArn('/transcripts/*')],
        },
      ]);
    });

    it('starts and reads only financy- jobs', () => {
      const statements = processorStatements(allOn).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('transcribe:')),
      );

      expect(statements).toHaveLength(1);
      expect(statements[0]!.Action).toEqual([
        'transcribe:StartTranscriptionJob',
        'transcribe:GetTranscriptionJob',
      ]);
      expect(JSON.stringify(statements[0]!.Resource)).toContain(':transcription-job/financy-*');
    });
  });

  describe('stack outputs', () => {
    it('name the secrets and buckets', () => {
      expect(Object.keys(defaults.findOutputs('*'))).toEqual(
        expect.arrayContaining(['OpenAiKeySecretArn', 'VisionKeySecretArn', 'ReceiptsBucketName']),
      );
      expect(Object.keys(defaults.findOutputs('*'))).not.toContain('TranscriptionBucketName');
      expect(Object.keys(allOn.findOutputs('*'))).toContain('TranscriptionBucketName');
    });
  });

  describe('compliance', () => {
    it.each(['dev', 'prod'] as const)('has no cdk-nag finding in %s', (stage) => {
      expect(checkCompliance(stage, { aiOptions: ALL_ON }).findings).toEqual([]);
    });
  });
});
