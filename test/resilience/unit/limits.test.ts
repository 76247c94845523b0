import {
  quota,
  RESILIENCE_LIMITS,
  rate,
  rateLimitsFor,
  storeFailureModeOf,
} from '../../../lib/resilience/limits';

const DAY_SECONDS = 86_400;

describe('RESILIENCE_LIMITS', () => {
  it('sets the breaker defaults', () => {
    expect(RESILIENCE_LIMITS.circuitBreaker).toMatchObject({
      failureThreshold: 5,
      openMs: 60_000,
      halfOpenMaxTrials: 3,
    });
  });

  it('sets the retry defaults', () => {
    expect(RESILIENCE_LIMITS.retry).toEqual({ maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 30_000 });
  });

  it.each([
    ['telegram:bot', { capacity: 30, refillPerSecond: 30 }],
    ['telegram:chat', { capacity: 1, refillPerSecond: 1 }],
    ['openai:requests', { capacity: 3_000, refillPerSecond: 50 }],
    ['vision:requests', { capacity: 1_800, refillPerSecond: 30 }],
  ] as const)('sets %s', (name, expected) => {
    expect(RESILIENCE_LIMITS.rateLimits[name]).toEqual(expected);
  });

  it.each([
    ['telegram:group', 60, 20],
    ['whatsapp:messages', 3_600, 250_000],
    ['fx:requests', 31 * DAY_SECONDS, 100_000],
    ['ses:emails', DAY_SECONDS, 200_000],
  ] as const)('keeps %s within its quota window', (name, windowSeconds, count) => {
    const [longest] = rateLimitsFor(name).slice(-1);

    expect(
      (longest?.limit.capacity ?? 0) + (longest?.limit.refillPerSecond ?? 0) * windowSeconds,
    ).toBeCloseTo(count, 6);
  });
});

describe('rate', () => {
  it('defaults the burst to the count', () => {
    expect(rate(20, 60)).toEqual({ capacity: 20, refillPerSecond: 20 / 60 });
  });
});

describe('quota', () => {
  it('refills the count minus the burst', () => {
    expect(quota(100, 10, 20)).toEqual({ capacity: 20, refillPerSecond: 8 });
  });
});

describe('rateLimitsFor', () => {
  it('keys a single limit by scope', () => {
    expect(rateLimitsFor('telegram:chat', 42)).toEqual([
      { key: 'telegram:chat:42', limit: { capacity: 1, refillPerSecond: 1 } },
    ]);
  });

  it('keys each window', () => {
    expect(rateLimitsFor('ses:emails').map(({ key }) => key)).toEqual([
      'ses:emails:second',
      'ses:emails:day',
    ]);
  });

  it('passes the cost', () => {
    expect(rateLimitsFor('openai:tokens', undefined, 1_200)[0]?.cost).toBe(1_200);
  });
});

describe('storeFailureModeOf', () => {
  const modes = { default: 'fail-open', openai: 'fail-closed', 'openai:embeddings': 'fail-open' } as const;

  it('uses the exact entry', () => {
    expect(storeFailureModeOf('openai:embeddings', modes)).toBe('fail-open');
  });

  it('falls back to the prefix', () => {
    expect(storeFailureModeOf('openai:chat', modes)).toBe('fail-closed');
  });

  it('falls back to the default', () => {
    expect(storeFailureModeOf('ses', modes)).toBe('fail-open');
  });

  it('fails open for chat replies by default', () => {
    expect(storeFailureModeOf('telegram:sendMessage', RESILIENCE_LIMITS.storeFailureModes)).toBe('fail-open');
  });
});
