import {
  countTextTokens,
  encodingForModel,
  estimatePromptTokens,
  requestTokenCost,
} from '../../lib/ai/tokens';

describe('encodingForModel', () => {
  it.each([
    ['gpt-4.1-mini', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['gpt-5-mini', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
  ])('maps %s to %s', (model, encoding) => {
    expect(encodingForModel(model)).toBe(encoding);
  });
});

describe('countTextTokens', () => {
  it('counts with the real tokenizer', () => {
    // "hello world" is two tokens in o200k_base.
    expect(countTextTokens('hello world', 'gpt-4.1-mini')).toBe(2);
  });

  it('counts longer text with more tokens', () => {
    const text = 'Заплатив 250 гривень за обід у кафе';

    expect(countTextTokens(text, 'gpt-4.1-mini')).toBeGreaterThan(
      countTextTokens('hello world', 'gpt-4.1-mini'),
    );
  });

  it('estimates cl100k_base models with o200k_base', () => {
    // Only o200k_base is bundled, so a gpt-4 count is an estimate equal to the o200k_base count.
    const text = 'Заплатив 250 гривень за обід у кафе';

    expect(countTextTokens(text, 'gpt-4')).toBe(countTextTokens(text, 'gpt-4.1-mini'));
    expect(countTextTokens('hello world', 'gpt-3.5-turbo')).toBe(2);
  });
});

describe('estimatePromptTokens', () => {
  const messages = [
    { role: 'system' as const, content: 'You read one chat message.' },
    { role: 'user' as const, content: 'spent 12.50 on lunch at Subway' },
  ];

  it('adds message markup to the content tokens', () => {
    const content = messages.reduce(
      (sum, message) => sum + countTextTokens(message.content, 'gpt-4.1-mini'),
      0,
    );

    expect(estimatePromptTokens(messages, 'gpt-4.1-mini')).toBeGreaterThan(content);
    expect(estimatePromptTokens(messages, 'gpt-4.1-mini')).toBeLessThan(content + 15);
  });

  it('counts a response schema', () => {
    const schema = { type: 'object', properties: { amount: { type: 'string' } } };

    expect(estimatePromptTokens(messages, 'gpt-4.1-mini', schema)).toBeGreaterThan(
      estimatePromptTokens(messages, 'gpt-4.1-mini'),
    );
  });

  it('reserves the completion limit in the bucket cost', () => {
    expect(requestTokenCost(120, 300)).toBe(420);
  });
});
