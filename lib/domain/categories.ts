/** The fixed set of spending and income categories every channel and parser maps onto. */
export const CATEGORIES = [
  'Food & Dining',
  'Transportation',
  'Shopping',
  'Entertainment',
  'Bills & Utilities',
  'Healthcare',
  'Education',
  'Travel',
  'Personal Care',
  'Gifts & Donations',
  'Business',
  'Investments',
  'Fees & Charges',
  'Income',
  'Transfers',
] as const;

/** One of the 15 categories. */
export type Category = (typeof CATEGORIES)[number];

/**
 * Short stable codes for categories, used where space is tight (Telegram `callback_data` is at most 64 bytes).
 * Codes never change once deployed because old buttons in chats still carry them.
 */
export const CATEGORY_CODES: Readonly<Record<Category, string>> = {
  'Food & Dining': 'food',
  Transportation: 'transport',
  Shopping: 'shop',
  Entertainment: 'fun',
  'Bills & Utilities': 'bills',
  Healthcare: 'health',
  Education: 'edu',
  Travel: 'travel',
  'Personal Care': 'care',
  'Gifts & Donations': 'gifts',
  Business: 'biz',
  Investments: 'invest',
  'Fees & Charges': 'fees',
  Income: 'income',
  Transfers: 'transfer',
};

const CATEGORY_BY_CODE = new Map<string, Category>(
  CATEGORIES.map((category) => [CATEGORY_CODES[category], category]),
);

/** Returns the category for a short code, or `undefined` for an unknown code. */
export function categoryFromCode(code: string): Category | undefined {
  return CATEGORY_BY_CODE.get(code);
}

/** Narrows a string to a {@link Category}. */
export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
