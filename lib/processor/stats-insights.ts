import { type CategoryTotals, InsightsReplyError } from '../ai/insights';
import type { Category } from '../domain/categories';
import { fromMinorUnits } from '../domain/money';
import type { CurrencyTotals } from '../domain/totals';
import { budgetAllows, meterUsage, unavailableReason } from './ai/understand-text';
import { localDate, type MonthRange } from './calendar';
import type { HandlerContext } from './handlers/context';

/**
 * Converts the home-currency spending per category of /stats into the generator's decimal strings.
 * Spending without a category is left out, because the summary names categories.
 */
export function categoryTotalsOf(home: CurrencyTotals, homeCurrency: string): CategoryTotals {
  const totals: Partial<Record<Category, string>> = {};
  for (const [category, minor] of home.byCategory) {
    if (category !== undefined) {
      totals[category] = fromMinorUnits(minor, homeCurrency);
    }
  }

  return totals;
}

/**
 * Returns the AI summary of the month for /stats. Returns `undefined` when the user did not opt in, when
 * insights are off (AI_INSIGHTS or no OpenAI key), or when the month has no categorized spending. It also
 * returns `undefined` when the daily budget is spent or the call fails, and counts that as `AiFallbacks`.
 * A summary generated earlier on the user's local day comes from the cache, without a budget check.
 */
export async function statsInsight(
  home: CurrencyTotals,
  month: MonthRange,
  context: Pick<HandlerContext, 'dependencies' | 'user'>,
): Promise<string | undefined> {
  const { dependencies, user } = context;
  const insights = dependencies.ai?.insights;
  if (user.aiInsights !== true || insights === undefined) {
    return undefined;
  }
  const totals = categoryTotalsOf(home, user.homeCurrency);
  if (Object.keys(totals).length === 0) {
    return undefined;
  }

  const day = localDate(new Date(dependencies.now()), user.timeZone);
  try {
    const cached = await insights.cache.get(user.userId, month.month, day);
    if (cached !== undefined) {
      return cached;
    }
    if (!(await budgetAllows('insights', insights.estimateUsd, user, dependencies))) {
      return undefined;
    }

    // The generator reads the cache once more, so a miss costs one extra small read.
    const summary = await insights.generator.cachedMonthSummary(
      user.userId,
      day,
      totals,
      month.month,
      user.homeCurrency,
    );
    await meterUsage(summary.usage, user, dependencies);
    dependencies.logger.info('AI summary for /stats', {
      userId: user.userId,
      cached: summary.cached,
      summaryLength: summary.text.length,
    });

    return summary.text;
  } catch (error) {
    const reason = error instanceof InsightsReplyError ? 'invalid-answer' : unavailableReason(error);
    dependencies.ai?.meter.fallback('insights', reason);
    dependencies.logger.warn('AI summary for /stats failed; /stats is sent without it', {
      userId: user.userId,
      reason,
      error: error instanceof Error ? error.name : String(error),
    });

    return undefined;
  }
}
