import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  type LifecycleRule,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** Options of {@link createPrivateBucket}. */
export interface PrivateBucketOptions {
  /**
   * Removal policy. CloudFormation deletes a DESTROY bucket only when it is empty, so empty it before
   * `cdk destroy`.
   */
  readonly removalPolicy: RemovalPolicy;
  /** Lifecycle rules of the objects. */
  readonly lifecycleRules: LifecycleRule[];
  /**
   * Bucket that receives the server access logs, under `<accessLogsPrefix>`.
   * @default - no access logs, for a bucket that is itself the access log target
   */
  readonly accessLogs?: { readonly bucket: IBucket; readonly prefix: string };
}

/**
 * Creates a bucket for personal data: SSE-S3 encryption, every kind of public access blocked, ACLs
 * disabled, requests without TLS denied by the bucket policy, and no versioning, so a deleted object is
 * gone.
 *
 * CDK's `autoDeleteObjects` is not used: its custom resource function has no X-Ray tracing and no log group
 * with retention, which every function of this stack has. So a DESTROY bucket must be emptied before the
 * stack is deleted, and a RETAIN bucket keeps its objects.
 */
export function createPrivateBucket(scope: Construct, id: string, options: PrivateBucketOptions): Bucket {
  return new Bucket(scope, id, {
    // SSE-S3, because a server access log target bucket accepts no other default encryption, and the
    // receipt archive writes with ServerSideEncryption AES256 unless RECEIPTS_KMS_KEY_ID is set.
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    versioned: false,
    lifecycleRules: options.lifecycleRules,
    serverAccessLogsBucket: options.accessLogs?.bucket,
    serverAccessLogsPrefix: options.accessLogs?.prefix,
    removalPolicy: options.removalPolicy,
  });
}
