import { AI_COST_TARGET_USD_PER_1000, benchAiCost } from '../../bench/ai-cost';

describe('benchAiCost', () => {
  it('prices the messages that need AI', () => {
    // 300 messages * (400 * $0.15 + 50 * $0.60) / 1M = 300 * $0.00009
    const estimate = benchAiCost(0.7, { inputTokens: 400, outputTokens: 50 });

    expect(estimate.usdPer1000Exact).toBe('0.027');
    expect(estimate.usdPer1000).toBe(0.027);
    expect(estimate.meetsTarget).toBe(true);
  });

  it('costs nothing when the parser answers every message', () => {
    expect(benchAiCost(1, { inputTokens: 400, outputTokens: 50 }).usdPer1000).toBe(0);
  });

  it('misses the target with a costlier model', () => {
    const estimate = benchAiCost(0, { inputTokens: 400, outputTokens: 50 }, 'gpt-4.1-mini');

    // 1,000 * (400 * $0.40 + 50 * $1.60) / 1M
    expect(estimate.usdPer1000Exact).toBe('0.24');
    expect(estimate.usdPer1000).toBeGreaterThan(AI_COST_TARGET_USD_PER_1000);
    expect(estimate.meetsTarget).toBe(false);
  });

  it('states the method with the prices and their date', () => {
    const estimate = benchAiCost(0.5, { inputTokens: 420.5, outputTokens: 38.25 });

    expect(estimate.method).toContain('500 of 1,000 messages need AI');
    expect(estimate.method).toContain('$0.15 and $0.60 per million tokens');
    expect(estimate.method).toContain(estimate.pricesAsOf);
  });

  it.each([
    [-0.1, { inputTokens: 1, outputTokens: 1 }, 'gpt-4o-mini', /Share of messages/],
    [Number.NaN, { inputTokens: 1, outputTokens: 1 }, 'gpt-4o-mini', /Share of messages/],
    [0.5, { inputTokens: -1, outputTokens: 1 }, 'gpt-4o-mini', /Average tokens/],
    [0.5, { inputTokens: 1, outputTokens: 1 }, 'whisper-1', /no token price/],
  ])('rejects share %p, %j with %s', (share, averages, model, message) => {
    expect(() => benchAiCost(share, averages, model)).toThrow(message);
  });
});
