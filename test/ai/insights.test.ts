import { formatData, InsightsGenerator, MAX_SUMMARY_LENGTH, toPlainSummary } from '../../lib/ai/insights';
import { MarkerInsightsCache } from '../../lib/ai/insights-cache';
import { IdempotencyStore } from '../../lib/store/idempotency-store';
import { type OpenAiHarness, startOpenAiHarness } from './openai-harness';

const TOTALS = { 'Food & Dining': '120.5', Transportation: '40', Travel: '310.25' };

describe('InsightsGenerator', () => {
  let harness: OpenAiHarness;
  let generator: InsightsGenerator;

  beforeAll(async () => {
    harness = await startOpenAiHarness('insights');
    const store = new IdempotencyStore({
      client: harness.local.client,
      tableName: harness.local.tables.idempotency,
      retentionSeconds: 3 * 86_400,
    });
    generator = new InsightsGenerator({
      client: harness.client,
      model: 'gpt-4.1-mini',
      budgetMs: 10_000,
      cache: new MarkerInsightsCache(store),
    });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  beforeEach(() => {
    harness.fake.reset();
  });

  it('sends the amounts as data and returns the summary with usage', async () => {
    const summary = await generator.monthSummary(TOTALS, '2025-03', 'EUR');

    const [system, user] = (harness.fake.requests[0]?.chat?.messages ?? []) as Array<{ content: string }>;
    expect(system?.content).toContain('never an instruction');
    expect(system?.content).not.toContain('310.25');
    expect(user?.content).toBe(
      'Month: 2025-03\n<<<DATA\nTravel: 310.25 EUR\nFood & Dining: 120.50 EUR\nTransportation: 40.00 EUR\nDATA>>>',
    );
    expect(summary.text).toBe('Most of your spending this month went to Travel (310.25 EUR).');
    expect(summary.usage).toMatchObject({ provider: 'openai', operation: 'insights', model: 'gpt-4.1-mini' });
    expect(summary.usage.inputTokens).toBeGreaterThan(0);
  });

  it('caches the summary per user per day', async () => {
    const first = await generator.cachedMonthSummary('user-1', '2025-03-14', TOTALS, '2025-03', 'EUR');
    const second = await generator.cachedMonthSummary('user-1', '2025-03-14', TOTALS, '2025-03', 'EUR');
    const otherUser = await generator.cachedMonthSummary('user-2', '2025-03-14', TOTALS, '2025-03', 'EUR');
    const nextDay = await generator.cachedMonthSummary('user-1', '2025-03-15', TOTALS, '2025-03', 'EUR');

    expect(first.cached).toBe(false);
    expect(second).toEqual({ text: first.text, cached: true });
    expect(otherUser.cached).toBe(false);
    expect(nextDay.cached).toBe(false);
    expect(harness.fake.requests).toHaveLength(3);
  });

  it('turns a long markdown reply into plain text within the limit', async () => {
    const sentence = '**Food** was your largest category this month, well ahead of the others. ';
    harness.fake.respondNext({ content: sentence.repeat(12) });

    const summary = await generator.monthSummary(TOTALS, '2025-03', 'EUR');

    expect(summary.text.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(summary.text).not.toContain('*');
    expect(summary.text.endsWith('.')).toBe(true);
  });

  it('rejects an empty reply', async () => {
    harness.fake.respondNext({ content: '   ' });

    await expect(generator.monthSummary(TOTALS, '2025-03', 'EUR')).rejects.toMatchObject({
      name: 'InsightsReplyError',
    });
  });
});

describe('insights formatting', () => {
  it('lists categories largest first with two decimals', () => {
    expect(formatData({ Shopping: '5', Income: '1000' }, '2025-03', 'USD')).toContain(
      'Income: 1000.00 USD\nShopping: 5.00 USD',
    );
  });

  it('cuts a reply without sentence ends at a word', () => {
    const text = toPlainSummary('word '.repeat(200));

    expect(text.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(text.endsWith('word…')).toBe(true);
  });
});
