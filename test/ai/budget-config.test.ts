import { ConfigError, loadAiBudgetConfig } from '../../lib/config';

describe('loadAiBudgetConfig', () => {
  it('defaults to $0.05 a day', () => {
    expect(loadAiBudgetConfig({})).toEqual({ dailyLimitMicroUsd: 50_000 });
  });

  it.each([
    ['0.10', 100_000],
    ['0', 0],
    ['1.2345678', 1_234_567],
    [' 2 ', 2_000_000],
  ])('reads AI_DAILY_BUDGET_USD=%s', (value, micro) => {
    expect(loadAiBudgetConfig({ AI_DAILY_BUDGET_USD: value }).dailyLimitMicroUsd).toBe(micro);
  });

  it.each(['-1', 'five', '101', 'Infinity', '0x10'])('rejects AI_DAILY_BUDGET_USD=%s', (value) => {
    expect(() => loadAiBudgetConfig({ AI_DAILY_BUDGET_USD: value })).toThrow(ConfigError);
    expect(() => loadAiBudgetConfig({ AI_DAILY_BUDGET_USD: value })).toThrow(/^AI_DAILY_BUDGET_USD: /);
  });
});
