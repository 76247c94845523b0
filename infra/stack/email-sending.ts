import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  ConfigurationSet,
  ConfigurationSetEventDestination,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EmailIdentityMode, EmailSender } from './context-options';

/**
 * NOTIFY_EMAIL_FROM when the stack is deployed without `-c emailFromAddress`. The notification sender needs
 * a value to start, and SES rejects a send from this reserved `.invalid` domain, so e-mail notifications fail
 * and reach the notification dead-letter queue until a sender is configured.
 */
export const EMAIL_SENDER_NOT_CONFIGURED = 'Financy <email-not-configured@example.invalid>';

/** Properties of {@link EmailSending}. */
export interface EmailSendingProps {
  /** Prefix of the configuration set name, so that stages can share an account and region. */
  readonly namePrefix: string;
  /**
   * Sender of every e-mail. The app reads it from `-c emailFromAddress=...`.
   * @default - none: no identity is created, no send permission is granted, and sends fail
   */
  readonly sender?: EmailSender;
  /**
   * Source of the sender's SES identity: an address or a domain identity that the stack creates, or one
   * verified outside the stack.
   * @default 'address'
   */
  readonly identityMode?: EmailIdentityMode;
  /**
   * Days that KMS waits before it deletes the feedback topic's key after it leaves the stack.
   * @default 30
   */
  readonly keyDeletionWindowDays?: number;
}

/**
 * Amazon SES sending for the notifications: the configuration set that every e-mail names, the SNS topic
 * `SesFeedbackTopic` that it publishes bounces, complaints and deliveries to, and the sender's identity.
 *
 * The topic is encrypted with a customer managed key. Its policy lets ses.amazonaws.com generate and decrypt
 * data keys when the encryption context names this topic. SES can publish to an encrypted topic only when the
 * key policy allows it (the SES Developer Guide states this for the topics of receipt rules), and the policy
 * of the AWS managed key alias/aws/sns cannot be changed.
 * NOTE: the condition on `kms:EncryptionContext:aws:sns:topicArn` follows AWS's key policy examples for
 * services that publish to encrypted topics. It is not tested against a deployed account; if feedback stops
 * arriving, check SES's event destination errors first.
 */
export class EmailSending extends Construct {
  /** Configuration set that every e-mail names (NOTIFY_SES_CONFIGURATION_SET). */
  readonly configurationSet: ConfigurationSet;
  /** Topic that the configuration set publishes bounces, complaints and deliveries to. */
  readonly feedbackTopic: Topic;
  /** Customer managed key that encrypts the feedback topic. */
  readonly feedbackTopicKey: Key;
  /** The sender's identity, when the stack creates one. */
  readonly identity?: EmailIdentity;
  /** The From value of every e-mail (NOTIFY_EMAIL_FROM). */
  readonly fromAddress: string;
  readonly #identityArns: string[];

  constructor(scope: Construct, id: string, props: EmailSendingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: `${props.namePrefix}-notifications`,
      reputationMetrics: true,
    });

    // The topic name is fixed so that the key policy can name the topic's ARN without a reference to the
    // topic, which itself refers to the key.
    const topicName = `${stack.stackName}-ses-feedback`;
    const topicArn = stack.formatArn({
      service: 'sns',
      resource: topicName,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
    this.feedbackTopicKey = new Key(this, 'FeedbackTopicKey', {
      description: `Encrypts the messages of the SNS topic ${topicName}`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(props.keyDeletionWindowDays ?? 30),
      // The topic only passes feedback through, so nothing stays encrypted under the key once it is gone.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.feedbackTopicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowSesToPublishToTheFeedbackTopic',
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
      }),
    );
    this.feedbackTopic = new Topic(this, 'FeedbackTopic', {
      topicName,
      displayName: 'Financy SES feedback',
      masterKey: this.feedbackTopicKey,
      enforceSSL: true,
    });

    // ConfigurationSetEventDestination also adds the topic policy statement that lets SES publish, limited to
    // this account and configuration set.
    new ConfigurationSetEventDestination(this, 'FeedbackDestination', {
      configurationSet: this.configurationSet,
      destination: EventDestination.snsTopic(this.feedbackTopic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.DELIVERY],
    });

    this.fromAddress = props.sender?.from ?? EMAIL_SENDER_NOT_CONFIGURED;
    this.#identityArns = [];
    if (props.sender !== undefined) {
      this.identity = this.createIdentity(props.sender, props.identityMode ?? 'address');
    }
  }

  /**
   * Lets `grantee` send e-mail from the configured sender with the configuration set. SES checks
   * `ses:SendEmail` against both the identity and the configuration set. Grants nothing when no sender is
   * configured.
   */
  grantSendEmail(grantee: IGrantable): Grant | undefined {
    if (this.#identityArns.length === 0) {
      return undefined;
    }

    const configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    return Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail'],
      resourceArns: [...this.#identityArns, configurationSetArn],
    });
  }

  private createIdentity(sender: EmailSender, mode: EmailIdentityMode): EmailIdentity | undefined {
    const identityArn = (name: string) =>
      Stack.of(this).formatArn({
        service: 'ses',
        resource: 'identity',
        resourceName: name,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });

    if (mode === 'existing') {
      // SES authorizes a send against the verified identity that covers the sender, which can be the
      // address or its domain. The stack cannot tell which one was verified outside it.
      this.#identityArns.push(identityArn(sender.address), identityArn(sender.domain));
      return undefined;
    }

    const name = mode === 'domain' ? sender.domain : sender.address;
    this.#identityArns.push(identityArn(name));
    const identity = new EmailIdentity(this, 'Identity', {
      identity: mode === 'domain' ? Identity.domain(name) : Identity.email(name),
      configurationSet: this.configurationSet,
    });
    if (mode === 'domain') {
      identity.dkimRecords.forEach((record, index) => {
        new CfnOutput(Stack.of(this), `EmailDkimRecord${index + 1}`, {
          value: `${record.name} CNAME ${record.value}`,
          description: `DNS record ${index + 1} of 3 that verifies ${name} for SES (Easy DKIM)`,
        });
      });
    }

    return identity;
  }
}
