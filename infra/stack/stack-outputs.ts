import { CfnOutput } from 'aws-cdk-lib';
import type { FinancyStack } from './financy-stack';

/** Adds the outputs of a {@link FinancyStack}: the URLs, secrets, queues and names that operators need. */
export function addStackOutputs(stack: FinancyStack): void {
  new CfnOutput(stack, 'WebhookUrl', {
    value: stack.ingest.webhookUrl,
    description: 'URL registered with Telegram setWebhook',
  });
  new CfnOutput(stack, 'TelegramBotSecretArn', {
    value: stack.telegramSecret.secretArn,
    description: 'Secret to put the bot token in (keep the generated webhookSecret)',
  });
  if (stack.whatsApp !== undefined) {
    new CfnOutput(stack, 'WhatsAppWebhookUrl', {
      value: stack.whatsApp.webhookUrl,
      description: 'Callback URL to enter in the Meta app (WhatsApp, Configuration, Webhook)',
    });
    new CfnOutput(stack, 'WhatsAppSecretArn', {
      value: stack.whatsApp.secret.secretArn,
      description:
        'Secret to put the WhatsApp access token, app secret and phone number ids in (keep the generated verifyToken)',
    });
  }
  new CfnOutput(stack, 'WebhookRegistration', {
    value: stack.webhookRegistration.message,
    description: 'Result of the last webhook registration',
  });
  new CfnOutput(stack, 'AlarmTopicArn', {
    value: stack.alarmTopic.topicArn,
    description:
      'Topic that every alarm notifies, with the Slack alarm notifier subscribed. Subscribe the on-call e-mail here',
  });
  new CfnOutput(stack, 'OperationsDashboardName', {
    value: stack.operationsDashboard.dashboard.dashboardName,
    description: 'CloudWatch dashboard of the chat pipeline',
  });
  new CfnOutput(stack, 'InboundQueueUrl', { value: stack.ingest.queue.queueUrl });
  new CfnOutput(stack, 'InboundDeadLetterQueueUrl', { value: stack.ingest.deadLetterQueue.queueUrl });

  new CfnOutput(stack, 'NotificationQueueUrl', { value: stack.notifications.queue.queueUrl });
  new CfnOutput(stack, 'NotificationDeadLetterQueueUrl', {
    value: stack.notifications.deadLetterQueue.queueUrl,
  });
  new CfnOutput(stack, 'FailedInvocationsQueueUrl', {
    value: stack.failedInvocations.queue.queueUrl,
    description: 'Events of scheduled runs and SNS deliveries that failed for good',
  });

  new CfnOutput(stack, 'FxApiKeySecretArn', {
    value: stack.fxRefresh.apiKeySecret.secretArn,
    description: 'Secret to put the exchangerate-api key in, as {"apiKey": "..."}',
  });
  new CfnOutput(stack, 'SlackWebhooksSecretArn', {
    value: stack.notifications.slackSecret.secretArn,
    description: 'Secret to put the Slack webhook URLs in, as {"operations": "https://hooks.slack.com/..."}',
  });

  new CfnOutput(stack, 'OpenAiKeySecretArn', {
    value: stack.aiServices.openAiSecret.secretArn,
    description: 'Secret to put the OpenAI API key in, as {"apiKey": "sk-..."}',
  });
  new CfnOutput(stack, 'VisionKeySecretArn', {
    value: stack.aiServices.visionSecret.secretArn,
    description: 'Secret to put the Google Cloud Vision API key in, as {"apiKey": "..."}',
  });
  new CfnOutput(stack, 'ReceiptsBucketName', { value: stack.aiServices.receiptsBucket.bucketName });
  if (stack.aiServices.transcriptionBucket !== undefined) {
    new CfnOutput(stack, 'TranscriptionBucketName', {
      value: stack.aiServices.transcriptionBucket.bucketName,
    });
  }

  new CfnOutput(stack, 'EmailSender', {
    value: stack.emailSending.fromAddress,
    description: 'From address of notification e-mails (-c emailFromAddress)',
  });
  new CfnOutput(stack, 'SesConfigurationSetName', {
    value: stack.emailSending.configurationSet.configurationSetName,
  });
}
