import type { Span } from './spans';

/** Merchants recognised without "at" or "from", lower-cased. Matching keeps the user's spelling. */
// biome-ignore format: a packed word list reads better than one word per line
const KNOWN_MERCHANTS = [
  '7-eleven', 'subway', 'starbucks', "mcdonald's", 'mcdonalds', 'kfc', 'burger king', "domino's", 'dominos',
  'pizza hut', 'chipotle', 'dunkin', 'costa', 'pret', 'tim hortons', 'swiggy', 'zomato', 'uber eats',
  'ubereats', 'doordash', 'deliveroo', 'grubhub', 'just eat', 'glovo', 'ifood', 'rappi', 'wolt', 'tesco',
  "sainsbury's", 'lidl', 'aldi', 'carrefour', 'whole foods', "trader joe's", 'kroger', 'safeway',
  'mercadona', 'rewe', 'continente', 'pingo doce', 'dmart', 'blinkit', 'zepto', 'bigbasket', 'instacart',
  'waitrose', 'asda', "nando's", 'five guys', 'taco bell', 'uber', 'lyft', 'ola', 'bolt', 'rapido', 'shell',
  'bp', 'chevron', 'exxon', 'esso', 'texaco', 'amazon', 'ebay', 'walmart', 'ikea', 'zara', 'h&m', 'uniqlo',
  'aliexpress', 'flipkart', 'myntra', 'etsy', 'best buy', 'apple store', 'decathlon', 'primark', 'shein',
  'temu', 'costco', 'netflix', 'spotify', 'disney+', 'hulu', 'hbo', 'youtube premium', 'prime video',
  'apple music', 'steam', 'playstation', 'xbox', 'nintendo', 'airbnb', 'booking.com', 'expedia', 'ryanair',
  'easyjet', 'lufthansa', 'emirates', 'makemytrip', 'comcast', 'verizon', 'at&t', 'vodafone', 't-mobile',
  'jio', 'airtel', 'cvs', 'walgreens', 'sephora', 'udemy', 'coursera', 'duolingo', 'venmo', 'zelle',
  'paypal', 'revolut', 'robinhood', 'zerodha', 'groww', 'vanguard', 'github', 'adobe', 'icloud', 'dropbox',
  'audible', 'kindle',
];

/** Words after "at" or "from" that name a place or a person, not a merchant ("lunch at work"). */
// biome-ignore format: a packed word list reads better than one word per line
const GENERIC_PLACES = new Set([
  'home', 'work', 'office', 'the office', 'school', 'college', 'uni', 'university', 'airport', 'station',
  'mall', 'market', 'supermarket', 'store', 'shop', 'restaurant', 'cafe', 'bar', 'pub', 'gym', 'hospital',
  'clinic', 'pharmacy', 'park', 'beach', 'cinema', 'movies', 'hotel', 'night', 'noon', 'midnight', 'lunch',
  'dinner', 'breakfast', 'least', 'all', 'once', 'first', 'last', 'me', 'mom', 'mum', 'dad', 'parents',
  'friend', 'friends', 'brother', 'sister', 'wife', 'husband', 'boss', 'work today', 'job', 'client',
  'company', 'bank', 'atm', 'there', 'here', 'it', 'them', 'him', 'her', 'us', 'you', 'account', 'savings',
]);

/** Words that end a merchant name: dates, links between clauses and purposes. */
// biome-ignore format: a packed word list reads better than one word per line
const STOP_WORDS = new Set([
  'for', 'on', 'with', 'and', 'to', 'today', 'yesterday', 'tonight', 'last', 'this', 'in', 'by', 'via',
  'using', 'because', 'but', 'so', 'then', 'when', 'after', 'before', 'during', 'near', 'around', 'ago',
  'plus', 'each', 'per', 'was', 'is', 'paid', 'cost', 'costs', 'spent', 'card', 'cash', 'total', 'tip',
  'incl', 'including', 'or', 'from', 'at', 'which', 'that', 'who',
]);

const ARTICLES = new Set(['the', 'a', 'an', 'my', 'our']);

/** Words that mark bank-alert text rather than a merchant name. */
// biome-ignore format: a packed word list reads better than one word per line
const BANK_WORDS = new Set([
  'card', 'purchase', 'payment', 'pos', 'debit', 'credit', 'txn', 'transaction', 'balance', 'bal', 'acct',
  'account', 'transfer', 'atm', 'withdrawal', 'refund', 'salary', 'bonus', 'income', 'expense',
]);

const MAX_MERCHANT_WORDS = 4;

/** A merchant name found in a message. */
export interface MerchantMatch {
  name: string;
  span: Span;
}

/** Options for {@link extractMerchant}. */
export interface MerchantOptions {
  /** Read "from X" as a merchant. True for income and refunds and after "bought" or "ordered". */
  acceptFrom: boolean;
  /** Decides whether a capitalised word is a category keyword, which is not a merchant ("Coffee"). */
  isCategoryKeyword(word: string): boolean;
}

const NAME_WORD = /^[\p{L}\p{N}][\p{L}\p{N}&'’+.-]*/u;

/** Reads up to four words starting at `start`, stopping at punctuation, masked text or a stop word. */
function readName(text: string, start: number): MerchantMatch | null {
  const words: Array<{ word: string; start: number }> = [];
  let index = start;

  while (words.length < MAX_MERCHANT_WORDS) {
    const match = NAME_WORD.exec(text.slice(index));
    if (!match) {
      break;
    }

    const written = match[0];
    const word = written.replace(/[.'’-]+$/u, '');
    if (words.length > 0 && STOP_WORDS.has(word.toLowerCase())) {
      break;
    }

    words.push({ word, start: index });
    const endsSentence = written.length > word.length && written.endsWith('.');
    const spaces = /^[ \u00A0\t]+/u.exec(text.slice(index + written.length))?.[0].length ?? 0;
    if (endsSentence || spaces === 0) {
      break;
    }

    index += written.length + spaces;
  }

  // A lower-case article is not part of the name ("at the Ritz"), a capitalised one is ("The Keg").
  while (words.length > 0 && ARTICLES.has(words[0]!.word)) {
    words.shift();
  }

  const first = words[0];
  const last = words.at(-1);
  if (!first || !last) {
    return null;
  }

  const span = { start: first.start, end: last.start + last.word.length };
  return { name: text.slice(span.start, span.end), span };
}

function isGeneric(name: string): boolean {
  return GENERIC_PLACES.has(name.toLowerCase()) || STOP_WORDS.has(name.toLowerCase());
}

const PREPOSITION = /(?:^|[\s(,])(?<word>at|from)\s+|@\s*/giu;

function findAfterPreposition(text: string, options: MerchantOptions): MerchantMatch | null {
  for (const match of text.matchAll(PREPOSITION)) {
    const nameStart = match.index + match[0].length;

    // "flight from london" names a place, so for expenses only a capitalised name follows "from".
    const isFrom = match.groups?.word?.toLowerCase() === 'from';
    if (isFrom && !options.acceptFrom && !/^\p{Lu}/u.test(text.slice(nameStart))) {
      continue;
    }

    const name = readName(text, nameStart);
    if (name && !isGeneric(name.name)) {
      return name;
    }
  }

  return null;
}

function findPayee(text: string): MerchantMatch | null {
  const payment =
    /\b(?:sent|send|transferred|transfer|wired|paid|pay|gave|give|lent|venmo(?:'?d)?|zelle(?:d)?|pix|upi|e-?transfer(?:red)?)\b[^.]*?\bto\s+/giu;
  for (const match of text.matchAll(payment)) {
    const name = readName(text, match.index + match[0].length);
    if (name && !isGeneric(name.name) && /^\p{Lu}/u.test(name.name)) {
      return name;
    }
  }

  return null;
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const KNOWN_MERCHANT_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...KNOWN_MERCHANTS]
    .sort((left, right) => right.length - left.length)
    .map(escapeForPattern)
    .join('|')})(?![\\p{L}\\p{N}])`,
  'iu',
);

function findKnownMerchant(text: string): MerchantMatch | null {
  const match = KNOWN_MERCHANT_PATTERN.exec(text.replace(/’/g, "'"));
  if (!match) {
    return null;
  }

  const span = { start: match.index, end: match.index + match[0].length };
  return { name: text.slice(span.start, span.end), span };
}

/** Words that open a message without naming a merchant ("Paid 8.50", "Your a/c", "New headphones"). */
// biome-ignore format: a packed word list reads better than one word per line
const NOT_A_LEADING_NAME = new Set([
  'i', 'my', 'your', 'our', 'we', 'you', 'the', 'a', 'an', 'this', 'that', 'these', 'new', 'old', 'half',
  'some', 'just', 'got', 'get', 'sent', 'received', 'sold', 'bought', 'paid', 'spent', 'spend', 'pay',
  'ordered', 'returned', 'refund', 'refunded', 'dear', 'hi', 'hello', 'thanks', 'total', 'cash', 'monthly',
  'weekly', 'daily', 'annual', 'yearly', 'extra', 'another', 'more',
]);

/**
 * Finds a capitalised name that opens the message, as in "Oxxo 45" or "Time Out Market lunch 38,50". The name is
 * the run of capitalised words before the first lower-case word. It is rejected when it starts with a pronoun,
 * a verb or a bank word, or contains a category keyword, so "Coffee 4.50" has no merchant.
 */
function findLeadingName(text: string, options: MerchantOptions): MerchantMatch | null {
  const opening = /^[\s|]*/u.exec(text)![0].length;
  const words: Array<{ word: string; start: number }> = [];
  for (const match of text.slice(opening).matchAll(/[\p{L}\p{N}][\p{L}\p{N}&'’+.-]*|[^\p{L}\p{N}]+/gu)) {
    const piece = match[0];
    const start = opening + match.index;
    if (!/^[\p{L}\p{N}]/u.test(piece)) {
      if (piece !== ' ') {
        break;
      }

      continue;
    }

    const word = piece.replace(/[.'’-]+$/u, '');
    if (!/^\p{Lu}/u.test(word) || words.length === MAX_MERCHANT_WORDS) {
      break;
    }

    words.push({ word, start });
    if (word.length < piece.length) {
      break;
    }
  }

  const first = words[0];
  const last = words.at(-1);
  if (!first || !last) {
    return null;
  }

  const opener = first.word.toLowerCase();
  const rejected =
    NOT_A_LEADING_NAME.has(opener) ||
    STOP_WORDS.has(opener) ||
    BANK_WORDS.has(opener) ||
    words.some((entry) => options.isCategoryKeyword(entry.word));
  if (rejected) {
    return null;
  }

  const span = { start: first.start, end: last.start + last.word.length };
  return { name: text.slice(span.start, span.end), span };
}

/**
 * Finds a bank alert's trailing name such as `-19.99USD(896.41UAH) Example Shop`: two to four capitalised words,
 * with no lower-case words in the message and no bank words or category keywords among them.
 */
function findCapitalisedName(text: string, options: MerchantOptions): MerchantMatch | null {
  const words = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}&'’+.-]*/gu)];
  if (words.length < 2 || words.length > MAX_MERCHANT_WORDS) {
    return null;
  }

  const allCapitalised = words.every((word) => /^[\p{Lu}\p{N}]/u.test(word[0]));
  const hasBankWord = words.some((word) => BANK_WORDS.has(word[0].toLowerCase()));
  const hasKeyword = words.some((word) => options.isCategoryKeyword(word[0]));
  if (!allCapitalised || hasBankWord || hasKeyword) {
    return null;
  }

  const first = words[0]!;
  const last = words.at(-1)!;
  const start = first.index;
  const end = last.index + last[0].length;
  return { name: text.slice(start, end), span: { start, end } };
}

/**
 * Finds the merchant or counterparty of a message, keeping the user's capitalisation.
 *
 * Tried in order: the name after "at", "@" or "from" ("lunch at Subway"), the payee after "sent … to",
 * a known merchant anywhere ("uber 12"), a capitalised name that opens the message ("Oxxo 45") and a bank
 * alert's capitalised trailing name.
 * `text` must have amounts, dates and URLs replaced by `|`, so a name stops where they stood.
 */
export function extractMerchant(text: string, options: MerchantOptions): MerchantMatch | null {
  return (
    findAfterPreposition(text, options) ??
    findPayee(text) ??
    findKnownMerchant(text) ??
    findLeadingName(text, options) ??
    findCapitalisedName(text, options)
  );
}
