import Decimal from 'decimal.js';
import type { WeeklySummaryData } from '../templates/weekly-summary';

/** The week's figures that insights are drawn from: the summary data without insights of its own. */
export type WeeklySummaryFacts = Omit<WeeklySummaryData, 'insights' | 'settingsUrl'>;

/** Most insights one summary shows, and the longest one, as the weekly-summary template accepts them. */
export const MAX_INSIGHTS = 3;
export const MAX_INSIGHT_LENGTH = 280;

/**
 * Writes short observations about a user's week for the weekly summary. The plain implementation derives
 * them from the totals. An AI implementation can replace it behind this interface.
 */
export interface SummaryInsights {
  /** Name for logs, such as `plain`. */
  readonly name: string;
  /**
   * Returns up to {@link MAX_INSIGHTS} one-sentence observations in plain text (no HTML), each at most
   * {@link MAX_INSIGHT_LENGTH} characters.
   */
  generate(facts: WeeklySummaryFacts): Promise<string[]>;
}

/** Logger of {@link FallbackSummaryInsights}. */
export interface InsightsLogger {
  warn(message: string, extra: Record<string, unknown>): void;
}

/** Observations computed from the totals alone, without any external service. */
export class PlainSummaryInsights implements SummaryInsights {
  readonly name = 'plain';

  async generate(facts: WeeklySummaryFacts): Promise<string[]> {
    if (facts.transactionCount === 0) {
      return ['No transactions were recorded this week. Write to the bot whenever you spend or earn money.'];
    }

    const insights: string[] = [];
    const spent = new Decimal(facts.totalSpent);
    const top = facts.topCategories[0];
    if (top !== undefined && spent.greaterThan(0)) {
      const share = new Decimal(top.amount).times(100).dividedBy(spent).toDecimalPlaces(0).toString();
      insights.push(
        `${top.category} was your largest category: ${top.amount} ${facts.currency}, ${share}% of your spending.`,
      );
    }

    const income = new Decimal(facts.totalIncome);
    if (income.greaterThan(0)) {
      const net = income.minus(spent);
      const amount = `${net.abs().toFixed(decimalsOf(facts.totalIncome, facts.totalSpent))} ${facts.currency}`;
      insights.push(
        net.isNegative()
          ? `You spent ${amount} more than you earned.`
          : `You earned ${amount} more than you spent.`,
      );
    }

    return insights;
  }
}

/**
 * Uses `primary` (such as an AI generator) and falls back to `fallback` when it fails or returns nothing,
 * so a failing outside service costs a summary its AI insights but not the summary itself.
 */
export class FallbackSummaryInsights implements SummaryInsights {
  readonly name: string;

  constructor(
    private readonly primary: SummaryInsights,
    private readonly fallback: SummaryInsights,
    private readonly logger: InsightsLogger,
  ) {
    this.name = `${primary.name}, falling back to ${fallback.name}`;
  }

  async generate(facts: WeeklySummaryFacts): Promise<string[]> {
    try {
      const insights = await this.primary.generate(facts);
      if (insights.length > 0) {
        return insights;
      }
    } catch (error) {
      this.logger.warn('Summary insights failed, so the fallback writes them', {
        insights: this.primary.name,
        fallback: this.fallback.name,
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
    }

    return this.fallback.generate(facts);
  }
}

/**
 * Returns the insights generator of the weekly summary: `ai` with the plain one as its fallback when an AI
 * generator is configured, and the plain one otherwise.
 */
export function selectSummaryInsights(
  ai: SummaryInsights | undefined,
  logger: InsightsLogger,
): SummaryInsights {
  const plain = new PlainSummaryInsights();

  return ai === undefined ? plain : new FallbackSummaryInsights(ai, plain, logger);
}

/**
 * Keeps what the template accepts: non-empty lines, cut to {@link MAX_INSIGHT_LENGTH} characters, at most
 * {@link MAX_INSIGHTS}. A generator that returns more, such as a language model, loses the rest.
 */
export function acceptedInsights(insights: readonly string[]): string[] {
  return insights
    .map((insight) => insight.replace(/\s+/g, ' ').trim())
    .filter((insight) => insight !== '')
    .map((insight) =>
      insight.length > MAX_INSIGHT_LENGTH
        ? `${insight.slice(0, MAX_INSIGHT_LENGTH - 1).trimEnd()}…`
        : insight,
    )
    .slice(0, MAX_INSIGHTS);
}

function decimalsOf(...amounts: string[]): number {
  return Math.max(...amounts.map((amount) => amount.split('.')[1]?.length ?? 0));
}
