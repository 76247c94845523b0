import Decimal from 'decimal.js';
import {
  AI_PRICES,
  billedAudioSeconds,
  costOf,
  findPrice,
  InvalidAiUsageError,
  tokenCost,
  UnknownAiModelError,
} from '../../lib/ai/pricing';
import type { AiUsage } from '../../lib/ai/usage';

const chat = (model: string, inputTokens?: number, outputTokens?: number): AiUsage => ({
  provider: 'openai',
  model,
  operation: 'categorize',
  inputTokens,
  outputTokens,
});
const whisper = (audioSeconds?: number): AiUsage => ({
  provider: 'openai',
  model: 'whisper-1',
  operation: 'transcribe',
  audioSeconds,
});
const transcribe = (audioSeconds?: number): AiUsage => ({
  provider: 'aws-transcribe',
  model: 'standard',
  operation: 'transcribe',
  audioSeconds,
});
const vision = (images?: number): AiUsage => ({
  provider: 'google-vision',
  model: 'DOCUMENT_TEXT_DETECTION',
  operation: 'ocr',
  images,
});

describe('AI_PRICES', () => {
  it('records the day the prices were taken', () => {
    expect(AI_PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${AI_PRICES.asOf}T00:00:00Z`).toISOString().slice(0, 10)).toBe(AI_PRICES.asOf);
  });

  it('holds every amount as a decimal string', () => {
    for (const price of Object.values(AI_PRICES.models)) {
      for (const [field, value] of Object.entries(price)) {
        if (field.startsWith('usd') || field.endsWith('UsdPerMillion')) {
          expect(typeof value).toBe('string');
          expect(new Decimal(value as string).isPositive()).toBe(true);
        }
      }
    }
  });
});

describe('costOf tokens', () => {
  it.each([
    ['gpt-4o-mini', 1_000_000, 0, '0.15'],
    ['gpt-4o-mini', 0, 1_000_000, '0.6'],
    ['gpt-4o-mini', 812, 64, '0.0001602'],
    ['gpt-4.1-mini', 2_000, 500, '0.0016'],
    ['gpt-4.1-mini', 1, 1, '0.000002'],
  ])('prices %s with %i input and %i output tokens', (model, input, output, expected) => {
    expect(costOf(chat(model, input, output)).toString()).toBe(expected);
  });

  it('prices a dated snapshot like its model', () => {
    const snapshot = costOf(chat('gpt-4o-mini-2024-07-18', 812, 64));

    expect(snapshot.equals(costOf(chat('gpt-4o-mini', 812, 64)))).toBe(true);
  });

  it('keeps exact decimals where floats would round', () => {
    // With floats, 3 * 0.15 / 1e6 + 7 * 0.6 / 1e6 is 0.0000046499999999999995.
    expect(costOf(chat('gpt-4o-mini', 3, 7)).toString()).toBe('0.00000465');
  });

  it('counts missing token counts as 0', () => {
    expect(costOf(chat('gpt-4o-mini', 1_000_000)).toString()).toBe('0.15');
  });

  it('prices fractional average tokens through tokenCost', () => {
    const price = AI_PRICES.models['openai/gpt-4o-mini'];
    if (price?.billing !== 'tokens') {
      throw new Error('gpt-4o-mini must be billed by token');
    }

    expect(tokenCost(price, '0.5', '0.5').toString()).toBe('3.75e-7');
  });
});

describe('costOf audio', () => {
  it.each([
    [60, '0.006'],
    [30, '0.003'],
    [30.2, '0.0031'],
    [0.4, '0.0001'],
    [0, '0'],
  ])('bills whisper-1 for %d s per started second', (seconds, expected) => {
    expect(costOf(whisper(seconds)).toString()).toBe(expected);
  });

  it.each([
    [0, 15, '0.006'],
    [5, 15, '0.006'],
    [15, 15, '0.006'],
    [15.1, 16, '0.0064'],
    [90, 90, '0.036'],
  ])('bills Transcribe for %d s as %i s', (seconds, billedSeconds, expected) => {
    const price = AI_PRICES.models['aws-transcribe/standard'];
    if (price?.billing !== 'audio') {
      throw new Error('Transcribe must be billed by audio');
    }

    expect(billedAudioSeconds(price, seconds)).toBe(billedSeconds);
    expect(costOf(transcribe(seconds)).toString()).toBe(expected);
  });

  it('applies the Transcribe minimum when audio seconds are missing', () => {
    expect(costOf(transcribe()).toString()).toBe('0.006');
  });
});

describe('costOf images', () => {
  it.each([
    [1, '0.0015'],
    [3, '0.0045'],
    [1_000, '1.5'],
    [0, '0'],
  ])('prices %i Vision images', (images, expected) => {
    expect(costOf(vision(images)).toString()).toBe(expected);
  });
});

describe('costOf local and invalid usage', () => {
  it('prices local calls at 0 whatever the model', () => {
    const usage: AiUsage = { provider: 'local', model: 'tesseract', operation: 'ocr', images: 4 };

    expect(costOf(usage).isZero()).toBe(true);
    expect(costOf({ ...usage, model: 'anything' }).isZero()).toBe(true);
  });

  it('names the model and the table for an unknown model', () => {
    expect(() => costOf(chat('gpt-9', 1, 1))).toThrow(UnknownAiModelError);
    expect(() => costOf(chat('gpt-9', 1, 1))).toThrow(/openai\/gpt-9.*AI_PRICES in lib\/ai\/pricing\.ts/);
  });

  it.each([
    ['negative tokens', chat('gpt-4o-mini', -1, 0), /inputTokens=-1/],
    ['fractional tokens', chat('gpt-4o-mini', 0, 1.5), /outputTokens=1.5/],
    ['infinite audio', whisper(Number.POSITIVE_INFINITY), /audioSeconds=Infinity/],
    ['negative audio', transcribe(-2), /audioSeconds=-2/],
    ['fractional images', vision(0.5), /images=0.5/],
  ])('rejects %s', (_case, usage, message) => {
    expect(() => costOf(usage)).toThrow(InvalidAiUsageError);
    expect(() => costOf(usage)).toThrow(message);
  });
});

describe('findPrice', () => {
  it('returns the model name without its snapshot date', () => {
    expect(findPrice({ provider: 'openai', model: 'gpt-4.1-mini-2025-04-14' })?.model).toBe('gpt-4.1-mini');
  });

  it('ignores keys inherited from Object', () => {
    expect(findPrice({ provider: 'openai', model: 'constructor' })).toBeUndefined();
  });
});
