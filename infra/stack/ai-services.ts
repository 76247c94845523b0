import {
  ArnFormat,
  type CfnElement,
  Duration,
  type RemovalPolicy,
  SecretValue,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import type { TranscriberId } from '../../lib/config/voice';
import { createPrivateBucket } from './private-bucket';

/** Value of the `apiKey` of the OpenAI and Vision secrets until the operator puts the real key in. */
export const AI_KEY_PLACEHOLDER = 'REPLACE_ME';

/** Days that an archived receipt image is kept, a little over a year so a year-end review still finds it. */
export const RECEIPT_RETENTION_DAYS = 400;

/** Days after which the transcription bucket's lifecycle rule deletes audio and transcripts left behind. */
export const TRANSCRIPTION_OBJECT_DAYS = 1;

/** Days that S3 server access logs of the AI buckets are kept. */
export const ACCESS_LOG_RETENTION_DAYS = 90;

/**
 * Prefix of Transcribe job names: the processor names each job `financy-<sha256 prefix>-<uuid>` (see
 * lib/ai/transcribe/aws-transcribe.ts), so the permissions cover only this application's jobs.
 */
const TRANSCRIPTION_JOB_PREFIX = 'financy-';

/** Properties of {@link AiServices}. */
export interface AiServicesProps {
  /** The message processor, which gets the environment variables and the permissions. */
  readonly processorFunction: LambdaFunction;
  /** Removal policy of the secrets and buckets. */
  readonly removalPolicy: RemovalPolicy;
  /** Whether the processor reads the OpenAI key secret (OPENAI_SECRET_ARN). */
  readonly ai: boolean;
  /** Whether the processor reads the Vision key secret (VISION_SECRET_ARN). */
  readonly vision: boolean;
  /** Whether /stats may add the AI summary for users who turned it on (AI_INSIGHTS); needs `ai`. */
  readonly aiInsights: boolean;
  /** Provider of voice note transcription (TRANSCRIBER). */
  readonly transcriber: TranscriberId;
  /** AI spend per user and UTC day in US dollars, as decimal text (AI_DAILY_BUDGET_USD). */
  readonly aiDailyBudgetUsd: string;
  /** OpenAI chat model (OPENAI_MODEL). */
  readonly openaiModel: string;
}

/**
 * The processor's AI services: the OpenAI and Google Cloud Vision key secrets, the receipt image bucket,
 * the transcription bucket for Amazon Transcribe, the bucket of their server access logs, and the
 * processor's environment variables and permissions for them.
 *
 * The secrets always exist, so the operator can put the keys in before turning a service on. The processor
 * gets read access and the secret's ARN only when `ai` or `vision` is on. The processor may read and write
 * receipt images under `receipts/` and, with Amazon Transcribe, audio under `voice/` and transcripts under
 * `transcripts/`.
 *
 * OCR_OFFLINE is false: tesseract.js needs its worker script, the tesseract.js-core WebAssembly and the
 * English traineddata on disk at run time, and the esbuild bundle contains none of them. Receipts are read
 * by Vision only, so without `vision` the processor replies to a receipt photo that it cannot read receipts yet.
 */
export class AiServices extends Construct {
  /** Secret with `{"apiKey": "..."}` for OpenAI. */
  readonly openAiSecret: Secret;
  /** Secret with `{"apiKey": "..."}` for Google Cloud Vision. */
  readonly visionSecret: Secret;
  /** Bucket of archived receipt images, `receipts/<userId>/<sha256>.<ext>`. */
  readonly receiptsBucket: Bucket;
  /** Bucket of the server access logs of the receipts and transcription buckets. */
  readonly accessLogsBucket: Bucket;
  /** Bucket of the audio and transcripts of Transcribe jobs, present when `transcriber` is `transcribe`. */
  readonly transcriptionBucket?: Bucket;

  constructor(scope: Construct, id: string, props: AiServicesProps) {
    super(scope, id);
    // S3 delivers server access logs under a bucket policy for logging.s3.amazonaws.com, not the legacy
    // LogDeliveryWrite ACL, which ACL-free (BucketOwnerEnforced) buckets reject. cdk.json has no feature
    // flags, so the flag is set for this construct's buckets only. It must be set before they are created.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const processor = props.processorFunction;

    this.openAiSecret = this.createKeySecret('OpenAiKeySecret', 'OpenAI API key', props.removalPolicy);
    this.visionSecret = this.createKeySecret(
      'VisionKeySecret',
      'Google Cloud Vision API key',
      props.removalPolicy,
    );

    this.accessLogsBucket = createPrivateBucket(this, 'AccessLogsBucket', {
      removalPolicy: props.removalPolicy,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS) }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the server access log target of the receipts and transcription buckets. Logging ' +
        'its own access would write a log object for every log object S3 delivers.',
    });

    this.receiptsBucket = createPrivateBucket(this, 'ReceiptsBucket', {
      removalPolicy: props.removalPolicy,
      lifecycleRules: [
        { expiration: Duration.days(RECEIPT_RETENTION_DAYS) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      accessLogs: { bucket: this.accessLogsBucket, prefix: 'receipts-bucket/' },
    });
    this.grantReceiptArchive(processor);

    const environment: Record<string, string> = {
      AI_DAILY_BUDGET_USD: props.aiDailyBudgetUsd,
      OPENAI_MODEL: props.openaiModel,
      TRANSCRIBER: props.transcriber,
      RECEIPTS_BUCKET: this.receiptsBucket.bucketName,
      OCR_OFFLINE: 'false',
    };
    if (props.ai && props.aiInsights) {
      environment.AI_INSIGHTS = 'true';
    }
    if (props.ai) {
      this.openAiSecret.grantRead(processor);
      environment.OPENAI_SECRET_ARN = this.openAiSecret.secretArn;
    }
    if (props.vision) {
      this.visionSecret.grantRead(processor);
      environment.VISION_SECRET_ARN = this.visionSecret.secretArn;
    }
    if (props.transcriber === 'transcribe') {
      this.transcriptionBucket = createPrivateBucket(this, 'TranscriptionBucket', {
        removalPolicy: props.removalPolicy,
        // The processor deletes both objects after each job. The rules remove what a failed delete left.
        lifecycleRules: ['voice/', 'transcripts/'].map((prefix) => ({
          prefix,
          expiration: Duration.days(TRANSCRIPTION_OBJECT_DAYS),
        })),
        accessLogs: { bucket: this.accessLogsBucket, prefix: 'transcription-bucket/' },
      });
      this.grantTranscription(processor, this.transcriptionBucket);
      environment.TRANSCRIBE_BUCKET = this.transcriptionBucket.bucketName;
    }

    for (const [name, value] of Object.entries(environment)) {
      processor.addEnvironment(name, value);
    }
  }

  // The template contains only the placeholder. CloudFormation writes it when it creates the secret and
  // leaves a key put in later alone, as long as the placeholder in the template stays the same.
  private createKeySecret(id: string, what: string, removalPolicy: RemovalPolicy): Secret {
    const secret = new Secret(this, id, {
      description: `${Stack.of(this).stackName}: ${what}, as {"apiKey": "..."}`,
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ apiKey: AI_KEY_PLACEHOLDER })),
      removalPolicy,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        `A Lambda function cannot rotate the ${what}: the provider issues keys in its own console. ` +
        'docs/deploy.md describes replacing the key with put-secret-value; the processor reads the new key ' +
        'within SECRETS_CACHE_SECONDS, without a deploy.',
    });

    return secret;
  }

  /**
   * Lets the processor read and write receipt images. HeadObject needs s3:GetObject, and for a missing key
   * S3 returns 404 only to a caller with s3:ListBucket on the bucket, 403 to others (Amazon S3 API
   * Reference, HeadObject). lib/receipts/archive.ts treats only 404 as "not archived yet", so the processor
   * gets s3:ListBucket.
   */
  private grantReceiptArchive(processor: LambdaFunction): void {
    const policy = new Policy(this, 'ReceiptsAccessPolicy', {
      statements: [
        new PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [this.receiptsBucket.arnForObjects('receipts/*')],
        }),
        // NOTE: without an s3:prefix condition, because a HeadObject request carries no prefix, so such
        // a condition would turn the 404 back into a 403. Listing shows key names only: user ids and
        // image digests, which the processor can read anyway.
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.receiptsBucket.bucketArn] }),
      ],
    });
    policy.attachToRole(processor.role!);
    processor.node.addDependency(policy);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf(this.receiptsBucket)}.Arn>/receipts/*]`,
      reason:
        'The processor archives each receipt image under its own key, receipts/<userId>/<sha256>.<ext>, so ' +
        'it needs GetObject and PutObject on that prefix. It gets no access to other prefixes and cannot delete.',
    });
  }

  /**
   * Lets the processor run Amazon Transcribe batch jobs on the transcription bucket. A job started without
   * DataAccessRoleArn reads the media and writes the transcript with the caller's permissions (the
   * StartTranscriptionJob API reference: Transcribe "must have permission to use the specified location"),
   * so the processor's s3:GetObject on `voice/*` and s3:PutObject on `transcripts/*` also serve Transcribe.
   * NOTE: no job has run against AWS from this stack yet. Both Transcribe actions are scoped to job ARNs,
   * as AWS names them in AccessDenied messages (`transcription-job/<name>`); if AWS rejects a start,
   * widen the Resource to "*".
   */
  private grantTranscription(processor: LambdaFunction, bucket: Bucket): void {
    const jobs = Stack.of(this).formatArn({
      service: 'transcribe',
      resource: 'transcription-job',
      resourceName: `${TRANSCRIPTION_JOB_PREFIX}*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const policy = new Policy(this, 'TranscriptionAccessPolicy', {
      statements: [
        new PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [bucket.arnForObjects('voice/*'), bucket.arnForObjects('transcripts/*')],
        }),
        new PolicyStatement({
          actions: ['transcribe:StartTranscriptionJob', 'transcribe:GetTranscriptionJob'],
          resources: [jobs],
        }),
      ],
    });
    policy.attachToRole(processor.role!);
    processor.node.addDependency(policy);

    const bucketId = this.logicalIdOf(bucket);
    for (const prefix of ['voice', 'transcripts']) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}/*]`,
        reason:
          `Each transcription writes, reads and deletes one object with a new name under ${prefix}/: the audio ` +
          'as voice/<sha256>.<ext> and the transcript as transcripts/<job name>.json. No other prefix is reachable.',
      });
    }
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:transcribe:<AWS::Region>:<AWS::AccountId>:transcription-job/${TRANSCRIPTION_JOB_PREFIX}*]`,
      reason:
        'Each voice note starts a Transcribe job with a new name, financy-<sha256 prefix>-<uuid>, because ' +
        'job names stay taken for 90 days. The wildcard covers only jobs with that prefix in this account and region.',
    });
  }

  private logicalIdOf(bucket: Bucket): string {
    return Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnElement);
  }
}
