import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  createWhatsAppWebhookHandler,
  WHATSAPP_WEBHOOK_SERVICE,
} from '../../functions/whatsapp-webhook/create-handler';
import type { FakeFailure, FakeWhatsApp } from '../../infra/local/fake-whatsapp/types';
import { startLocalGateway } from '../../infra/local/gateway';
import { signWhatsAppBody, WHATSAPP_WEBHOOK_PATH } from '../../infra/local/local-whatsapp';
import type { LocalStack } from '../../infra/local/stack';
import { WhatsAppStateStore } from '../../lib/channels/whatsapp/state-store';
import {
  HUB_CHALLENGE,
  HUB_MODE,
  HUB_VERIFY_TOKEN,
  WHATSAPP_SIGNATURE_HEADER,
} from '../../lib/channels/whatsapp/verification';
import { loadWhatsAppWebhookConfig } from '../../lib/config';
import { createDocumentClient } from '../../lib/store/clients';
import type { LeakCapture } from './leak-capture';
import { whatsAppStatusPayload, whatsAppTextPayload } from './leak-events';
import {
  PLANTED_WA_ID,
  PLANTED_WHATSAPP_APP_SECRET,
  PLANTED_WHATSAPP_BROKEN_BODY_WORD,
  PLANTED_WHATSAPP_TEXT,
  PLANTED_WHATSAPP_VERIFY_TOKEN,
  PLANTED_WRONG_VERIFY_TOKEN,
} from './leak-planted';

/** Source name of the WhatsApp webhook's captured items: its service name. */
export const WHATSAPP_WEBHOOK_SOURCE = WHATSAPP_WEBHOOK_SERVICE;

/** The `hub.challenge` of the handshakes, which the webhook echoes when the verify token is right. */
const CHALLENGE = '1158201444';

/** Outcomes of the WhatsApp drive, which show that each path ran. */
export interface WhatsAppObservations {
  /** HTTP status of each webhook request, by label. */
  webhookStatuses: Record<string, number>;
  /** Whether the handshake with the right verify token returned the challenge as its whole body. */
  challengeEchoed: boolean;
  /**
   * Per processor scenario: the types of the messages that the fake Graph API accepted, and how many
   * deliveries of the record failed before it went through.
   */
  replies: Record<string, { sent: string[]; failedDeliveries: number }>;
  /** Delivery state stored for a reply after its status webhook, by status. */
  deliveryStates: Record<string, string | undefined>;
}

/** Dependencies of {@link driveWhatsApp}: the stack with its WhatsApp webhook, its fake Graph API and the capture. */
export interface WhatsAppDriveContext {
  stack: LocalStack;
  fake: FakeWhatsApp;
  capture: LeakCapture;
  sqs: SQSClient;
}

/**
 * A processor scenario: the failure that the fake Graph API returns for the reply's next send, if any.
 * Labels name the Graph API error code, or the HTML page that a proxy in front of it sends.
 */
const REPLY_SCENARIOS: readonly { label: string; failure?: FakeFailure }[] = [
  { label: 'reply' },
  { label: 'rate limit 130429', failure: { code: 130429 } },
  { label: 'undeliverable 131026', failure: { code: 131026 } },
  { label: 'window closed 131047', failure: { code: 131047 } },
  { label: 'access token 190', failure: { code: 190 } },
  { label: 'HTML 500', failure: { status: 500 } },
];

/**
 * Drives the WhatsApp channel with the planted secrets, message text and wa_id: the webhook's handshake and
 * rejections, a webhook whose queue is missing, the processor's replies through Graph API errors, and
 * status webhooks about two replies. Everything the functions emit goes into `context.capture`.
 */
export async function driveWhatsApp(context: WhatsAppDriveContext): Promise<WhatsAppObservations> {
  const observations: WhatsAppObservations = {
    webhookStatuses: {},
    challengeEchoed: false,
    replies: {},
    deliveryStates: {},
  };
  const driver = new WhatsAppDriver(context, observations);

  await driver.driveWebhookRejections();
  await driver.driveQueueFailure();
  const sentIds = await driver.driveReplies();
  await driver.driveStatuses(sentIds);

  return observations;
}

class WhatsAppDriver {
  readonly #context: WhatsAppDriveContext;
  readonly #observations: WhatsAppObservations;
  readonly #webhookUrl: string;
  readonly #runId = randomBytes(4).toString('hex').toUpperCase();
  #messageCount = 0;

  constructor(context: WhatsAppDriveContext, observations: WhatsAppObservations) {
    this.#context = context;
    this.#observations = observations;
    if (context.stack.whatsappWebhookUrl === undefined) {
      throw new Error(
        'The local stack serves no WhatsApp webhook (whatsappWebhookUrl is undefined). Pass the whatsapp option to startLocalStack.',
      );
    }
    this.#webhookUrl = context.stack.whatsappWebhookUrl;
  }

  /** Sends the handshake with the right and a wrong token, a wrong signature and a body that is not JSON. */
  async driveWebhookRejections(): Promise<void> {
    const right = await this.#handshake('handshake', PLANTED_WHATSAPP_VERIFY_TOKEN);
    this.#observations.challengeEchoed = right === CHALLENGE;
    await this.#handshake('wrong verify token', PLANTED_WRONG_VERIFY_TOKEN);

    const body = JSON.stringify(
      whatsAppTextPayload(PLANTED_WA_ID, PLANTED_WHATSAPP_TEXT, this.#nextMessageId()),
    );
    await this.#post(this.#webhookUrl, 'wrong signature', body, signWhatsAppBody(body, 'not-the-app-secret'));
    const broken =
      '{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[' +
      `{"from":"${PLANTED_WA_ID}","text":{"body":"${PLANTED_WHATSAPP_TEXT} ${PLANTED_WHATSAPP_BROKEN_BODY_WORD}`;
    await this.#post(
      this.#webhookUrl,
      'invalid JSON',
      broken,
      signWhatsAppBody(broken, PLANTED_WHATSAPP_APP_SECRET),
    );
  }

  /**
   * Posts a signed message to a second webhook whose inbound queue does not exist, so SendMessageBatch fails
   * and the webhook returns 500.
   */
  async driveQueueFailure(): Promise<void> {
    const { stack, capture, sqs } = this.#context;
    const config = loadWhatsAppWebhookConfig({
      ...stack.environment,
      INBOUND_QUEUE_URL: `${stack.resources.inboundQueueUrl}-missing`,
    });
    const handler = createWhatsAppWebhookHandler(config, {
      sqs,
      logger: capture.logger(WHATSAPP_WEBHOOK_SOURCE),
      tracer: capture.tracer(WHATSAPP_WEBHOOK_SOURCE),
      metrics: capture.metrics(WHATSAPP_WEBHOOK_SOURCE),
    });
    const gateway = await startLocalGateway([
      {
        method: 'POST',
        path: WHATSAPP_WEBHOOK_PATH,
        functionName: WHATSAPP_WEBHOOK_SERVICE,
        handler,
        timeoutSeconds: 5,
      },
    ]);
    try {
      const body = JSON.stringify(
        whatsAppTextPayload(PLANTED_WA_ID, PLANTED_WHATSAPP_TEXT, this.#nextMessageId()),
      );
      await this.#post(
        `${gateway.url}${WHATSAPP_WEBHOOK_PATH}`,
        'missing queue',
        body,
        signWhatsAppBody(body, PLANTED_WHATSAPP_APP_SECRET),
      );
    } finally {
      await gateway.stop();
    }
  }

  /**
   * Sends the planted text once per scenario, each time after queueing the scenario's Graph API failure,
   * and waits until the processor is done. Returns the ids of the accepted messages per scenario.
   */
  async driveReplies(): Promise<Record<string, string[]>> {
    const { fake } = this.#context;
    const sentIds: Record<string, string[]> = {};
    for (const { label, failure } of REPLY_SCENARIOS) {
      const sentBefore = fake.sent().length;
      const errorsBefore = this.#processorErrorCount();
      if (failure !== undefined) {
        fake.failNext(failure);
      }

      await this.#deliver(label, PLANTED_WHATSAPP_TEXT);

      const sent = fake.sent().slice(sentBefore);
      sentIds[label] = sent.map((message) => message.id);
      this.#observations.replies[label] = {
        sent: sent.map((message) => message.type),
        failedDeliveries: this.#processorErrorCount() - errorsBefore,
      };
    }

    return sentIds;
  }

  /**
   * Posts a `delivered` status for the first reply and a `failed` one, with errors, for the second, and
   * reads the delivery states that the processor stored.
   */
  async driveStatuses(sentIds: Record<string, string[]>): Promise<void> {
    const { stack } = this.#context;
    const targets = [
      { status: 'delivered', messageId: sentIds.reply?.at(-1) },
      { status: 'failed', messageId: sentIds['rate limit 130429']?.at(-1) },
    ] as const;
    for (const { status, messageId } of targets) {
      const body = JSON.stringify(whatsAppStatusPayload(messageId ?? 'wamid.missing', PLANTED_WA_ID, status));
      await this.#post(
        this.#webhookUrl,
        `${status} status`,
        body,
        signWhatsAppBody(body, PLANTED_WHATSAPP_APP_SECRET),
      );
    }
    await stack.settle(60_000);

    const dynamodb = new DynamoDBClient({});
    try {
      const store = new WhatsAppStateStore({
        client: createDocumentClient(dynamodb),
        tableName: stack.resources.whatsappStateTable,
      });
      for (const { status, messageId } of targets) {
        this.#observations.deliveryStates[status] =
          messageId === undefined ? undefined : (await store.delivery(messageId))?.state;
      }
    } finally {
      dynamodb.destroy();
    }
  }

  /** Posts a signed text message from the planted wa_id and waits until the processor is done. */
  async #deliver(label: string, text: string): Promise<void> {
    const body = JSON.stringify(whatsAppTextPayload(PLANTED_WA_ID, text, this.#nextMessageId()));
    await this.#post(this.#webhookUrl, label, body, signWhatsAppBody(body, PLANTED_WHATSAPP_APP_SECRET));
    await this.#context.stack.settle(60_000);
  }

  /** Sends Meta's subscription handshake with `verifyToken` and returns the response body. */
  async #handshake(label: string, verifyToken: string): Promise<string> {
    const url = new URL(this.#webhookUrl);
    url.searchParams.set(HUB_MODE, 'subscribe');
    url.searchParams.set(HUB_VERIFY_TOKEN, verifyToken);
    url.searchParams.set(HUB_CHALLENGE, CHALLENGE);
    const response = await fetch(url);
    const body = await response.text();
    this.#context.capture.add(WHATSAPP_WEBHOOK_SOURCE, 'HTTP response', `${response.status} ${body}`);
    this.#observations.webhookStatuses[label] = response.status;

    return body;
  }

  /** Posts a raw body with a signature header, keeping the response as a captured item and its status. */
  async #post(url: string, label: string, body: string, signature: string): Promise<void> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [WHATSAPP_SIGNATURE_HEADER]: signature },
      body,
    });
    this.#context.capture.add(
      WHATSAPP_WEBHOOK_SOURCE,
      'HTTP response',
      `${response.status} ${await response.text()}`,
    );
    this.#observations.webhookStatuses[label] = response.status;
  }

  #nextMessageId(): string {
    this.#messageCount += 1;
    return `wamid.LEAK${this.#runId}X${this.#messageCount}`;
  }

  #processorErrorCount(): number {
    return this.#context.capture
      .items()
      .filter((item) => item.source === 'message-processor' && item.kind === 'error').length;
  }
}
