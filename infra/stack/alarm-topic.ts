import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { AlarmBase } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/** Options of {@link createAlarmTopic}. */
export interface AlarmTopicOptions {
  /** Name shown as the sender of e-mail notifications. */
  readonly displayName: string;
  /**
   * Days that KMS waits before it deletes the topic's key after the stack or the key is removed. The key
   * can be recovered until then.
   * @default 30
   */
  readonly keyDeletionWindowDays?: number;
  /**
   * E-mail address subscribed to the topic. AWS sends a confirmation mail first.
   * @default - no subscription
   */
  readonly email?: string;
}

/** The alarm topic and the key that encrypts it. */
export interface AlarmTopicResources {
  readonly topic: Topic;
  readonly key: Key;
}

/**
 * Creates the SNS topic `AlarmTopic` that every operational alarm notifies, encrypted with a customer
 * managed KMS key `AlarmTopicKey` and reachable only over TLS. Both are direct children of `scope`, so the
 * topic keeps the logical id it had before it was encrypted and its subscriptions survive the change.
 *
 * The key is customer managed because CloudWatch alarms can publish to an encrypted topic only when the
 * key policy lets cloudwatch.amazonaws.com call kms:GenerateDataKey* and kms:Decrypt. The policy of the AWS
 * managed key alias/aws/sns cannot be changed (Amazon SNS Developer Guide, "Enable compatibility between
 * event sources from AWS services and encrypted topics").
 */
export function createAlarmTopic(scope: Construct, options: AlarmTopicOptions): AlarmTopicResources {
  // The topic only passes notifications through, so nothing stays encrypted under the key once the topic
  // is gone: the key is scheduled for deletion with the stack in every stage.
  const key = new Key(scope, 'AlarmTopicKey', {
    description: `Encrypts the messages of the SNS topic "${options.displayName}"`,
    enableKeyRotation: true,
    pendingWindow: Duration.days(options.keyDeletionWindowDays ?? 30),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
    }),
  );

  const topic = new Topic(scope, 'AlarmTopic', {
    displayName: options.displayName,
    masterKey: key,
    enforceSSL: true,
  });
  if (options.email !== undefined) {
    topic.addSubscription(new EmailSubscription(options.email));
  }

  return { topic, key };
}

/** Makes an alarm notify the topic when it enters ALARM and when it returns to OK. */
export function notifyOnStateChange(alarm: AlarmBase, topic: ITopic): void {
  const action = new SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
}
