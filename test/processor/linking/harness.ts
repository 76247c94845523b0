import { type DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ChatChannel, MessageTarget, OutgoingMessage, SentMessage } from '../../../lib/channels/channel';
import type { Transaction } from '../../../lib/domain/transaction';
import type { Channel, User } from '../../../lib/domain/user';
import { parseCommand } from '../../../lib/inbound/command';
import { DISCARDING_METRICS } from '../../../lib/observability/metric-names';
import { NO_TRACING } from '../../../lib/observability/tracing';
import type { ChatEvent, Sender } from '../../../lib/processor/chat-event';
import type { ProcessorDependencies } from '../../../lib/processor/dependencies';
import { handleEvent } from '../../../lib/processor/handle-event';
import { IdempotencyStore } from '../../../lib/store/idempotency-store';
import { DynamoTransactionStore } from '../../../lib/store/transaction-store';
import { UserStore } from '../../../lib/store/user-store';
import { createLocalTables, type LocalTables } from '../../store/local-tables';
import { CapturingLogger } from '../../support/capturing-logger';

/** 2024-06-03T07:33:20Z, a Monday, so a month of transactions fits before the clock moves. */
export const START_MS = 1_717_400_000_000;

/** The business phone number id that WhatsApp chat ids start with. */
export const BUSINESS_NUMBER_ID = '200000000000002';

/** A message the fake channel sent. */
export interface SentReply {
  chatId: string;
  text: string;
}

/** Sending side of a channel that records replies and can fail the next send. */
export class FakeChannel implements ChatChannel {
  readonly sent: SentReply[] = [];
  #nextId = 1;
  #failNext = false;

  /** Makes the next send throw, as a channel outage would. */
  failNextSend(): void {
    this.#failNext = true;
  }

  async send(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    if (this.#failNext) {
      this.#failNext = false;
      throw new Error('fake channel: send failed');
    }
    this.sent.push({ chatId, text: message.text });
    this.#nextId += 1;

    return { messageId: this.#nextId };
  }

  async edit(_target: MessageTarget, message: OutgoingMessage): Promise<void> {
    this.sent.push({ chatId: 'edit', text: message.text });
  }

  async acknowledge(): Promise<void> {}
}

/** A person's account on one channel, as the events name it. */
export interface ChatAccount {
  channel: Channel;
  externalId: string;
  chatId: string;
  /** The identity that the users table keys, such as `telegram:11130001`. */
  identity: string;
  country?: string;
}

let nextTelegramId = 11_130_000;
let nextWaId = 5_511_900_000_000;

/** Returns a new Telegram account whose private chat id equals the user id. */
export function telegramAccount(): ChatAccount {
  nextTelegramId += 1;
  const id = String(nextTelegramId);

  return { channel: 'telegram', externalId: id, chatId: id, identity: `telegram:${id}` };
}

/** Returns a new WhatsApp account of a Brazilian number, writing to the test business number. */
export function whatsAppAccount(): ChatAccount {
  nextWaId += 1;
  const waId = String(nextWaId);

  return {
    channel: 'whatsapp',
    externalId: waId,
    chatId: `${BUSINESS_NUMBER_ID}:${waId}`,
    identity: `whatsapp:${waId}`,
    country: 'BR',
  };
}

/** Where a fault is injected: before a DynamoDB command that matches. */
interface Fault {
  matches(command: unknown): boolean;
  /** Runs before the command; when `fail` is set, the command then throws instead of being sent. */
  before?: () => Promise<void>;
  fail: boolean;
}

/** The processor core on DynamoDB Local with fake channels, a clock and captured log lines. */
export class LinkingHarness {
  readonly channels: Record<Channel, FakeChannel> = {
    telegram: new FakeChannel(),
    whatsapp: new FakeChannel(),
  };
  readonly logLines: string[] = [];
  nowMs = START_MS;
  readonly dependencies: ProcessorDependencies;
  readonly #local: LocalTables;
  readonly #faults: Fault[] = [];
  #eventCounter = 0;

  private constructor(local: LocalTables) {
    this.#local = local;
    const client = this.#faultyClient(local.client);
    const now = () => this.nowMs;
    this.dependencies = {
      users: new UserStore({
        client,
        usersTable: local.tables.users,
        identitiesTable: local.tables.identities,
        defaultCurrency: 'USD',
        defaultTimeZone: 'UTC',
        now,
      }),
      transactions: new DynamoTransactionStore({ client, tableName: local.tables.transactions, now }),
      idempotency: new IdempotencyStore({
        client,
        tableName: local.tables.idempotency,
        retentionSeconds: 86_400,
        now,
      }),
      logger: new CapturingLogger('linking-test', this.logLines),
      metrics: DISCARDING_METRICS,
      tracing: NO_TRACING,
      channel: async (channel) => this.channels[channel],
      now,
    };
  }

  /** Creates the tables on DynamoDB Local. */
  static async start(): Promise<LinkingHarness> {
    return new LinkingHarness(await createLocalTables('linking'));
  }

  /** Closes the DynamoDB clients. */
  stop(): void {
    this.#local.destroy();
  }

  /** Builds the event of a message from `account`: a command when it starts with `/`, a text otherwise. */
  event(account: ChatAccount, text: string): ChatEvent {
    this.#eventCounter += 1;
    const sender: Sender = {
      channel: account.channel,
      externalId: account.externalId,
      country: account.country,
    };
    const base = {
      eventKey: `${account.channel}:link-test-${this.#eventCounter}-${this.nowMs}`,
      sender,
      chatId: account.chatId,
      messageId:
        account.channel === 'telegram' ? this.#eventCounter : `wamid.link-test-${this.#eventCounter}`,
      sentAt: new Date(this.nowMs),
    };
    const command = parseCommand(text);

    return command === undefined
      ? { ...base, type: 'text', text, forwarded: false }
      : { ...base, type: 'command', command: command.command, args: command.args };
  }

  /** Processes one event through the processor core, as the inbound queue's consumer does. */
  async handle(event: ChatEvent): Promise<void> {
    await handleEvent(event, this.dependencies);
  }

  /** Sends `text` from `account` and returns the bot's last reply in that chat. */
  async say(account: ChatAccount, text: string): Promise<string> {
    await this.handle(this.event(account, text));

    return this.lastReply(account);
  }

  /** Returns the bot's last reply in the account's chat. */
  lastReply(account: ChatAccount): string {
    const replies = this.channels[account.channel].sent.filter((reply) => reply.chatId === account.chatId);

    return replies.at(-1)?.text ?? '';
  }

  /** Returns the number of replies sent to the account's chat. */
  replyCount(account: ChatAccount): number {
    return this.channels[account.channel].sent.filter((reply) => reply.chatId === account.chatId).length;
  }

  /** Sends `/link` from `account` and returns the code shown in the reply, such as `K7QF-3M9D`. */
  async issueCode(account: ChatAccount): Promise<string> {
    const reply = await this.say(account, '/link');
    const code = /<code>([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})<\/code>/.exec(reply)?.[1];
    if (code === undefined) {
      throw new Error(`no link code in the reply to /link: ${reply}`);
    }

    return code;
  }

  /** Returns the user that the account's identity resolves to, or `undefined`. */
  async userOf(account: ChatAccount): Promise<User | undefined> {
    return this.dependencies.users.findByIdentity(account.identity);
  }

  /** Returns a user by id, as stored. */
  async user(userId: string): Promise<User | undefined> {
    return this.dependencies.users.get(userId);
  }

  /** Returns every transaction item of a user, with the raw attributes the table keeps. */
  async transactionItems(userId: string): Promise<(Transaction & Record<string, unknown>)[]> {
    const result = await this.#local.client.send(
      new QueryCommand({
        TableName: this.#local.tables.transactions,
        KeyConditionExpression: 'userId = :user',
        ExpressionAttributeValues: { ':user': userId },
        ConsistentRead: true,
      }),
    );

    return (result.Items ?? []) as (Transaction & Record<string, unknown>)[];
  }

  /** Returns every link-code item in the identities table. */
  async linkCodeItems(): Promise<Record<string, unknown>[]> {
    const result = await this.#local.client.send(
      new ScanCommand({ TableName: this.#local.tables.identities, ConsistentRead: true }),
    );

    return (result.Items ?? []).filter((item) => String(item.identity).startsWith('link-code#'));
  }

  /** Makes the next DynamoDB command that `matches` throw a service error before it is sent. */
  failNext(matches: (command: unknown) => boolean): void {
    this.#faults.push({ matches, fail: true });
  }

  /** Runs `before` once, right before the next DynamoDB command that `matches` is sent. */
  beforeNext(matches: (command: unknown) => boolean, before: () => Promise<void>): void {
    this.#faults.push({ matches, before, fail: false });
  }

  #faultyClient(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
    const faults = this.#faults;

    return new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') {
          return Reflect.get(target, property, receiver);
        }
        return async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
          const index = faults.findIndex((fault) => fault.matches(command));
          if (index >= 0) {
            const [fault] = faults.splice(index, 1);
            await fault!.before?.();
            if (fault!.fail) {
              throw Object.assign(new Error('injected DynamoDB failure'), { name: 'InternalServerError' });
            }
          }

          return target.send(command);
        };
      },
    });
  }
}
