import {
  TelegramBlockedError,
  TelegramFileTooLargeError,
  TelegramNetworkError,
  TelegramRateLimitError,
  TelegramRequestError,
  TelegramServerError,
} from '../../../lib/channels/telegram/errors';
import { classifyFailure, mayHaveTakenEffect, retryAfterMsOf } from '../../../lib/resilience/failure';

const timeout = new TelegramNetworkError('sendMessage', 'timed out after 10000 ms', true);
const refused = new TelegramNetworkError('sendMessage', 'connect ECONNREFUSED 127.0.0.1:443', false);

describe('classifyFailure', () => {
  it.each([
    ['Telegram 429', new TelegramRateLimitError('sendMessage', 'Too Many Requests', 3)],
    ['Telegram 5xx', new TelegramServerError('sendMessage', 502, 'Bad Gateway')],
    ['Telegram timeout', timeout],
    ['Telegram refused connection', refused],
    ['fetch TypeError', new TypeError('fetch failed')],
    ['AWS SDK 500', { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }],
    ['HTTP 408', { status: 408 }],
    ['thrown string', 'boom'],
  ])('counts %s against the dependency', (_case, error) => {
    expect(classifyFailure(error)).toBe('dependency-failure');
  });

  it.each([
    ['Telegram 400', new TelegramRequestError('sendMessage', 400, 'Bad Request: chat not found')],
    [
      'Telegram blocked',
      new TelegramBlockedError('sendMessage', 'Forbidden: bot was blocked by the user', 42),
    ],
    ['file too large', new TelegramFileTooLargeError('photos/file.jpg', 30_000_000)],
    ['AWS SDK 400', { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }],
    ['HTTP 404', { statusCode: 404 }],
  ])('blames the caller for %s', (_case, error) => {
    expect(classifyFailure(error)).toBe('caller-error');
  });
});

describe('mayHaveTakenEffect', () => {
  it.each([
    ['a timeout', timeout, true],
    ['a 5xx', new TelegramServerError('sendMessage', 500, 'Internal Server Error'), true],
    ['a reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ['a refused connection', refused, false],
    ['a nested ENOTFOUND', new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } }), false],
    ['a 429', new TelegramRateLimitError('sendMessage', 'Too Many Requests', 3), false],
  ])('returns %p for %s', (_case, error, expected) => {
    expect(mayHaveTakenEffect(error)).toBe(expected);
  });
});

describe('retryAfterMsOf', () => {
  it('reads Telegram seconds', () => {
    expect(retryAfterMsOf(new TelegramRateLimitError('sendMessage', 'Too Many Requests', 7))).toBe(7_000);
  });

  it('reads milliseconds', () => {
    expect(retryAfterMsOf({ retryAfterMs: 250 })).toBe(250);
  });

  it('reads Bot API parameters', () => {
    expect(retryAfterMsOf({ parameters: { retry_after: 2 } })).toBe(2_000);
  });

  it('ignores negative delays', () => {
    expect(retryAfterMsOf({ retryAfterMs: -1 })).toBeUndefined();
  });

  it('returns undefined without a delay', () => {
    expect(retryAfterMsOf(new Error('boom'))).toBeUndefined();
  });
});
