import { OpenAiAuthenticationError, OpenAiUnavailableError } from '../../../lib/ai/openai/errors';
import { TranscriptionFailedError } from '../../../lib/ai/transcribe';
import { isPermanentFailure } from '../../../lib/processor/ai/understand-text';
import { VisionApiKeyError, VisionRequestError } from '../../../lib/receipts/ocr/errors';
import { CircuitOpenError } from '../../../lib/resilience/errors';

describe('isPermanentFailure', () => {
  it.each([
    ['a rejected OpenAI key', new OpenAiAuthenticationError(undefined)],
    [
      'a rejected Vision key',
      new VisionApiKeyError(403, 'PERMISSION_DENIED', 'API_KEY_INVALID', 'key not valid'),
    ],
    [
      'a transcription the provider refused',
      new TranscriptionFailedError('openai', 'bad audio', { status: 400, retryable: false }),
    ],
  ])('treats %s as permanent', (_name, error) => {
    expect(isPermanentFailure(error)).toBe(true);
  });

  it.each([
    ['an OpenAI outage', new OpenAiUnavailableError('server-error', 503, 'Internal Server Error')],
    ['a Vision rate limit', new VisionRequestError(429, 'RESOURCE_EXHAUSTED', undefined, 'quota')],
    ['an open circuit', new CircuitOpenError('openai', 60_000, 'open')],
    ['an unknown error', new TypeError('fetch failed')],
  ])('lets SQS retry %s', (_name, error) => {
    expect(isPermanentFailure(error)).toBe(false);
  });
});
