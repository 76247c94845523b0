import { randomBytes } from 'node:crypto';
import type { Chat, InlineKeyboardMarkup, MessageEntity, Update, UserFromGetMe } from '@grammyjs/types';
import { badRequest, FakeApiError } from './api-error';
import type { FakeMessage, FakeWebhook } from './types';

/**
 * How long a callback query can be answered after the tap. The Bot API does not document this
 * window; 15 s is an estimate from bots that answered late.
 */
export const CALLBACK_QUERY_TTL_MS = 15_000;

/** Largest file that getFile serves, per the getFile docs (20 MB). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** A message in a chat or an inline message, with its content after entity parsing. */
export interface StoredMessage {
  chatId: number | undefined;
  messageId: number | undefined;
  inlineMessageId: string | undefined;
  fromBot: boolean;
  text: string;
  entities: MessageEntity[];
  replyMarkup: InlineKeyboardMarkup | undefined;
  date: number;
  editDate: number | undefined;
}

/** A chat that the fake has seen, with its messages keyed by message_id. */
export interface ChatRecord {
  chat: Chat;
  lastMessageId: number;
  messages: Map<number, StoredMessage>;
  blocked: boolean;
}

/** A file stored by addFile. */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
  bytes: Buffer;
}

/** Chats, messages, files, callback queries and webhook settings of one fake bot. */
export class FakeState {
  readonly bot: UserFromGetMe;
  webhook: FakeWebhook | undefined;
  private readonly chats = new Map<number, ChatRecord>();
  private readonly inlineMessages = new Map<string, StoredMessage>();
  private readonly filesById = new Map<string, StoredFile>();
  private readonly filesByPath = new Map<string, StoredFile>();
  private readonly callbackQueries = new Map<string, { receivedAt: number; answered: boolean }>();
  private fileCount = 0;

  constructor(botId: number, botUsername: string) {
    this.bot = {
      id: botId,
      is_bot: true,
      first_name: 'Financy (local)',
      username: botUsername,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
  }

  /**
   * Resolves a `chat_id` parameter: a numeric id, or `@username` of a chat seen in an update.
   * @throws FakeApiError "chat_id is empty" or "chat not found".
   */
  chat(chatIdParam: unknown): ChatRecord {
    if (chatIdParam === undefined || chatIdParam === null || chatIdParam === '') {
      throw badRequest('chat_id is empty');
    }

    const text = String(chatIdParam).trim();
    if (text.startsWith('@')) {
      const username = text.slice(1).toLowerCase();
      const found = [...this.chats.values()].find(
        (record) => record.chat.username?.toLowerCase() === username,
      );
      if (found === undefined) {
        throw badRequest('chat not found');
      }

      return found;
    }

    const id = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(id) || id === 0) {
      throw badRequest('chat not found');
    }

    return this.chatById(id);
  }

  /** Stores the chat, user message and callback query id that an update contains. */
  rememberUpdate(update: Update, now: number): void {
    const message = update.message ?? update.edited_message ?? update.channel_post;
    // Replays and tests also pass malformed updates, which Telegram would never send: skip what is not a message.
    if (
      message !== undefined &&
      typeof message.chat?.id === 'number' &&
      typeof message.message_id === 'number'
    ) {
      const record = this.chatById(message.chat.id);
      record.chat = message.chat;
      record.lastMessageId = Math.max(record.lastMessageId, message.message_id);
      record.messages.set(message.message_id, {
        chatId: message.chat.id,
        messageId: message.message_id,
        inlineMessageId: undefined,
        fromBot: false,
        text: message.text ?? message.caption ?? '',
        entities: message.entities ?? [],
        replyMarkup: undefined,
        date: message.date,
        editDate: message.edit_date,
      });
    }

    if (typeof update.callback_query?.id === 'string') {
      this.registerCallbackQuery(update.callback_query.id, now);
    }
  }

  /** Returns the message_id that the chat's next message, of the user or the bot, gets. */
  nextMessageId(chatId: number): number {
    return this.chatById(chatId).lastMessageId + 1;
  }

  /** Stores a new bot message with the next message_id of the chat. */
  addBotMessage(
    record: ChatRecord,
    content: Pick<StoredMessage, 'text' | 'entities' | 'replyMarkup'>,
    now: number,
  ): StoredMessage {
    record.lastMessageId += 1;
    const message: StoredMessage = {
      ...content,
      chatId: record.chat.id,
      messageId: record.lastMessageId,
      inlineMessageId: undefined,
      fromBot: true,
      date: Math.floor(now / 1000),
      editDate: undefined,
    };
    record.messages.set(record.lastMessageId, message);
    return message;
  }

  /** Stores a message that a user sent through inline mode. */
  addInlineMessage(inlineMessageId: string | undefined, text: string, now: number): string {
    const id = inlineMessageId ?? randomBytes(18).toString('base64url');
    this.inlineMessages.set(id, {
      chatId: undefined,
      messageId: undefined,
      inlineMessageId: id,
      fromBot: true,
      text,
      entities: [],
      replyMarkup: undefined,
      date: Math.floor(now / 1000),
      editDate: undefined,
    });
    return id;
  }

  inlineMessage(inlineMessageId: string): StoredMessage | undefined {
    return this.inlineMessages.get(inlineMessageId);
  }

  /** Stores a file and assigns its id and a download path whose extension follows `fileName`. */
  addFile(bytes: Buffer, fileId: string | undefined, fileName: string | undefined): StoredFile {
    this.fileCount += 1;
    const extension = /\.[\w]+$/.exec(fileName ?? '')?.[0] ?? '';
    const folder = /^\.(jpe?g|png|webp)$/i.test(extension) ? 'photos' : 'documents';
    const file: StoredFile = {
      file_id: fileId ?? `FILE_${randomBytes(12).toString('base64url')}`,
      file_unique_id: `U${randomBytes(6).toString('base64url')}`,
      file_size: bytes.length,
      file_path: `${folder}/file_${this.fileCount}${extension}`,
      bytes,
    };
    this.filesById.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    return file;
  }

  fileById(fileId: string): StoredFile | undefined {
    return this.filesById.get(fileId);
  }

  fileByPath(filePath: string): StoredFile | undefined {
    return this.filesByPath.get(filePath);
  }

  registerCallbackQuery(id: string, receivedAt: number): void {
    this.callbackQueries.set(id, { receivedAt, answered: false });
  }

  /**
   * Marks a callback query answered.
   * @throws FakeApiError "query is too old…" for an unknown, answered or expired query.
   */
  answerCallbackQuery(id: string, now: number): void {
    const query = this.callbackQueries.get(id);
    if (query === undefined || query.answered || now - query.receivedAt > CALLBACK_QUERY_TTL_MS) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }

    query.answered = true;
  }

  blockChat(chatId: number): void {
    this.chatById(chatId).blocked = true;
  }

  /** @throws FakeApiError 403 when the user blocked the bot. */
  assertCanSend(record: ChatRecord): void {
    if (record.blocked) {
      throw new FakeApiError(403, 'Forbidden: bot was blocked by the user');
    }
  }

  /** Returns bot messages chat by chat in message_id order, then inline messages. */
  botMessages(chatId?: number): FakeMessage[] {
    const chatRecords = chatId === undefined ? [...this.chats.values()] : [this.chats.get(chatId)];
    const stored = chatRecords.flatMap((record) => [...(record?.messages.values() ?? [])]);
    const inline = chatId === undefined ? [...this.inlineMessages.values()] : [];

    return [...stored, ...inline]
      .filter((message) => message.fromBot)
      .map(({ fromBot: _fromBot, ...message }) => ({ ...message, entities: [...message.entities] }));
  }

  reset(): void {
    this.webhook = undefined;
    this.chats.clear();
    this.inlineMessages.clear();
    this.filesById.clear();
    this.filesByPath.clear();
    this.callbackQueries.clear();
    this.fileCount = 0;
  }

  private chatById(id: number): ChatRecord {
    const existing = this.chats.get(id);
    if (existing !== undefined) {
      return existing;
    }

    const record: ChatRecord = {
      chat: defaultChat(id),
      lastMessageId: 0,
      messages: new Map(),
      blocked: false,
    };
    this.chats.set(id, record);
    return record;
  }
}

/** Chat object for an id never seen in an update: a private chat for positive ids, a group otherwise. */
function defaultChat(id: number): Chat {
  if (id > 0) {
    return { id, type: 'private', first_name: 'Local user' };
  }

  return String(id).startsWith('-100')
    ? { id, type: 'supergroup', title: 'Local supergroup' }
    : { id, type: 'group', title: 'Local group' };
}
