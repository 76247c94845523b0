import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countTextTokens, estimatePromptTokens, type TokenizedMessage } from '../../../lib/ai/tokens';
import { type ChatRequest, checkChatRequest, readMessages, replyTo } from './chat';
import {
  invalidKeyError,
  invalidRequestError,
  missingKeyError,
  type OpenAiErrorBody,
  type ScriptedResponse,
} from './responses';
import {
  AudioRegistry,
  contentTooLarge,
  type EndpointResponse,
  type KnownAudio,
  MAX_AUDIO_BYTES,
  transcribe,
} from './transcriptions';

/**
 * A fake of the OpenAI API on 127.0.0.1 for the two endpoints Financy uses:
 * - `POST /v1/chat/completions`, with Bearer-key check, strict `json_schema` checks, deterministic replies
 *   and a `usage` block counted with gpt-tokenizer;
 * - `POST /v1/audio/transcriptions`, multipart, with transcripts from a registry of known audio.
 * Tests script the next responses with {@link FakeOpenAi.respondNext}: replies, OpenAI's error bodies
 * (429 rate limit and insufficient quota, 5xx) and timeouts.
 */

/** Options of {@link startFakeOpenAi}. */
export interface FakeOpenAiOptions {
  /** Default 0, a free port. */
  port?: number;
  /** The key that requests must send as `Authorization: Bearer <key>`. Default `sk-fake-local-openai-key`. */
  apiKey?: string;
  /** Manifest of known audio, a JSON array of `{ sha256 | file, text, durationSeconds }`. */
  audioManifestPath?: string;
  /** Transcript of audio that is not registered. Without it, unknown audio gets a 400. */
  unknownAudio?: KnownAudio;
}

/** One request that the fake received. */
export interface FakeOpenAiRequest {
  path: string;
  status: number;
  /** The JSON body of a chat completion. */
  chat?: ChatRequest;
  /** Size of the request body in bytes. */
  bytes: number;
  at: number;
}

/** A running fake. */
export interface FakeOpenAi {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The client's `baseURL`: {@link url} plus `/v1`. */
  readonly baseURL: string;
  readonly apiKey: string;
  readonly requests: FakeOpenAiRequest[];
  /** Answers the next `times` requests, of either endpoint, with `response` instead of the computed one. */
  respondNext(response: ScriptedResponse, times?: number): void;
  /** Registers audio so that transcribing exactly these bytes returns `text`. Returns its SHA-256. */
  registerAudio(bytes: Uint8Array, text: string, durationSeconds: number): string;
  /** Forgets requests, scripted responses and registered audio (the manifest is loaded again). */
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULT_API_KEY = 'sk-fake-local-openai-key';
const MAX_JSON_BYTES = 1024 * 1024;
// The multipart framing around a 25 MB file adds a few hundred bytes; anything beyond this margin is over
// the limit whatever the form contains.
const MAX_MULTIPART_BYTES = MAX_AUDIO_BYTES + 64 * 1024;

/** Starts the fake OpenAI API on 127.0.0.1. */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const registry = new AudioRegistry();
  const loadManifest = () => {
    if (options.audioManifestPath !== undefined) {
      registry.loadManifest(options.audioManifestPath);
    }
  };
  loadManifest();
  const requests: FakeOpenAiRequest[] = [];
  const scripted: ScriptedResponse[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const record = (status: number, bytes: number, chat?: ChatRequest) =>
      requests.push({ path, status, bytes, chat, at: Date.now() });

    const isChat = path === '/v1/chat/completions';
    const isTranscription = path === '/v1/audio/transcriptions';
    if (request.method !== 'POST' || !(isChat || isTranscription)) {
      request.resume();
      record(404, 0);
      send(response, { status: 404, json: invalidRequestError(`Invalid URL (${request.method} ${path})`) });
      return;
    }

    const limit = isChat ? MAX_JSON_BYTES : MAX_MULTIPART_BYTES;
    const body = await readBody(request, limit);
    if (body === undefined) {
      const declaredBytes = Number(request.headers['content-length'] ?? limit + 1);
      record(413, declaredBytes);
      send(response, contentTooLarge(declaredBytes));
      return;
    }

    const authError = checkKey(request.headers.authorization, apiKey);
    if (authError !== undefined) {
      record(401, body.length);
      send(response, { status: 401, json: authError });
      return;
    }

    const chat = isChat ? parseChat(body) : undefined;
    const step = scripted.shift();
    if (step !== undefined && 'network' in step) {
      // Never answer; the client's timeout aborts the request, and stop() closes the socket.
      record(0, body.length, chat);
      return;
    }
    if (step !== undefined && 'status' in step) {
      record(step.status, body.length, chat);
      send(response, { status: step.status, json: { error: step.error } }, step.headers);
      return;
    }

    const result = isChat
      ? answerChat(chat, step?.content, step?.usage)
      : await transcribe(toHeaders(request), body, {
          registry,
          unknownAudio: options.unknownAudio,
          scriptedText: step?.content,
        });
    record(result.status, body.length, chat);
    send(response, result);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        send(response, {
          status: 500,
          json: {
            error: {
              message: `Fake OpenAI failed: ${String(error)}`,
              type: 'server_error',
              param: null,
              code: null,
            },
          },
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    apiKey,
    requests,
    respondNext(response, times = 1) {
      scripted.push(...Array.from({ length: times }, () => response));
    },
    registerAudio(bytes, text, durationSeconds) {
      return registry.register(bytes, text, durationSeconds);
    },
    reset() {
      requests.length = 0;
      scripted.length = 0;
      registry.clear();
      loadManifest();
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function answerChat(
  chat: ChatRequest | undefined,
  scriptedContent: string | undefined,
  scriptedUsage: { promptTokens: number; completionTokens: number } | undefined,
): EndpointResponse {
  if (chat === undefined) {
    return {
      status: 400,
      json: invalidRequestError(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP " +
          'library correctly.)',
      ),
    };
  }
  const problem = checkChatRequest(chat);
  if (problem !== undefined) {
    return { status: 400, json: problem };
  }

  const model = chat.model as string;
  const content = scriptedContent ?? replyTo(chat);
  const messages = readMessages(chat.messages) as TokenizedMessage[];
  const promptTokens =
    scriptedUsage?.promptTokens ??
    estimatePromptTokens(messages, model, chat.response_format?.json_schema?.schema);
  const completionTokens = scriptedUsage?.completionTokens ?? countTextTokens(content, model);

  return {
    status: 200,
    json: {
      id: `chatcmpl-fake${Date.now().toString(36)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1_000),
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    },
  };
}

function checkKey(authorization: string | undefined, apiKey: string): OpenAiErrorBody | undefined {
  const presented = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
  if (presented === undefined || presented === '') {
    return missingKeyError();
  }
  const expected = Buffer.from(apiKey);
  const actual = Buffer.from(presented);
  const matches = expected.length === actual.length && timingSafeEqual(expected, actual);

  return matches ? undefined : invalidKeyError(presented);
}

function parseChat(body: Buffer): ChatRequest | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as ChatRequest) : undefined;
  } catch {
    return undefined;
  }
}

function toHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') {
      headers.set(name, value);
    }
  }

  return headers;
}

// Returns undefined when the body is over `limit` bytes. An oversized body is still read to its end, because
// a response sent before the upload finishes reaches many clients as a reset connection.
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= limit) {
      chunks.push(chunk as Buffer);
    }
  }

  return size > limit ? undefined : Buffer.concat(chunks);
}

function send(
  response: ServerResponse,
  result: EndpointResponse,
  headers: Record<string, string> = {},
): void {
  const body = result.text ?? JSON.stringify(result.json ?? {});
  response.writeHead(result.status, {
    'content-type': result.contentType ?? 'application/json',
    'x-request-id': `req_fake${Date.now().toString(36)}`,
    ...headers,
  });
  response.end(body);
}
