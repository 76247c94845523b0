import type { Category } from '../domain/categories';

/**
 * English keywords and well-known merchants for each category. Phrases of up to three words match whole
 * words, and a plural `s` or `es` on the last word is ignored.
 */
// biome-ignore format: a packed word list reads better than one word per line
const STRONG_KEYWORDS: Readonly<Record<Category, readonly string[]>> = {
  'Food & Dining': [
    'food', 'lunch', 'dinner', 'breakfast', 'brunch', 'supper', 'snack', 'coffee', 'tea', 'latte',
    'cappuccino', 'espresso', 'pizza', 'burger', 'sandwich', 'sushi', 'ramen', 'noodle', 'pasta', 'salad',
    'taco', 'burrito', 'kebab', 'croissant', 'bread', 'bakery', 'cake', 'dessert', 'ice cream', 'donut',
    'grocery', 'groceries', 'supermarket', 'supermercado', 'mercado', 'restaurant', 'cafe', 'café', 'diner', 'bistro', 'takeaway',
    'takeout', 'take out', 'delivery', 'beer', 'pint', 'wine', 'drinks', 'cocktail', 'bar tab', 'pub',
    'meal', 'fruit', 'vegetables', 'milk', 'eggs', 'meat', 'chicken', 'biryani', 'dosa', 'thali', 'chai',
    'juice', 'smoothie', 'boba', 'bubble tea', 'dim sum', 'curry', 'steak', 'bagel', 'muffin', 'chocolate',
    'candy', 'water bottle', 'canteen', 'cafeteria', 'food court', 'street food', 'dining', '7-eleven',
    'subway', 'starbucks', "mcdonald's", 'mcdonalds', 'mcd', 'kfc', 'burger king', "domino's", 'dominos',
    'pizza hut', 'chipotle', 'dunkin', 'costa', 'pret', 'tim hortons', 'swiggy', 'zomato', 'uber eats',
    'ubereats', 'doordash', 'deliveroo', 'grubhub', 'just eat', 'glovo', 'ifood', 'rappi', 'wolt', 'tesco',
    "sainsbury's", 'sainsburys', 'lidl', 'aldi', 'carrefour', 'whole foods', "trader joe's", 'kroger',
    'safeway', 'mercadona', 'rewe', 'edeka', 'continente', 'pingo doce', 'dmart', 'blinkit', 'zepto',
    'bigbasket', 'instacart', 'waitrose', 'asda', 'morrisons', 'publix', 'wegmans', 'nando', "nando's",
    'five guys', 'wendy', "wendy's", 'taco bell', 'panera', 'greggs', 'haldiram',
  ],
  Transportation: [
    'uber', 'lyft', 'ola', 'bolt', 'taxi', 'cab', 'bus', 'metro', 'subway ticket', 'train', 'tram', 'ferry',
    'fuel', 'gas', 'gasoline', 'petrol', 'diesel', 'parking', 'toll', 'tolls', 'car wash', 'car service',
    'mechanic', 'tyre', 'tire', 'oil change', 'scooter', 'bike rental', 'rickshaw', 'auto', 'commute',
    'transit', 'oyster', 'metrocard', 'mrt', 'shell', 'bp', 'chevron', 'exxon', 'esso', 'texaco', 'car',
    'ev charging', 'charging', 'rapido', 'blablacar', 'gas station', 'petrol pump',
  ],
  Shopping: [
    'amazon', 'ebay', 'walmart', 'ikea', 'zara', 'h&m', 'uniqlo', 'aliexpress', 'flipkart', 'myntra', 'etsy',
    'best buy', 'apple store', 'decathlon', 'primark', 'shein', 'temu', 'costco', 'clothes', 'clothing',
    'shoes', 'sneakers', 'jacket', 'shirt', 't-shirt', 'jeans', 'dress', 'laptop', 'phone case',
    'headphones', 'tv', 'television', 'electronics', 'furniture', 'gadget', 'charger', 'backpack', 'bag',
    'jewelry', 'sofa', 'kitchenware', 'appliance', 'toys', 'shopping', 'mall', 'household', 'detergent',
    'hardware', 'stationery', 'umbrella', 'sunglasses', 'iphone', 'ipad', 'monitor', 'keyboard',
  ],
  Entertainment: [
    'netflix', 'spotify', 'disney+', 'disney plus', 'hulu', 'hbo', 'youtube premium', 'prime video',
    'apple music', 'steam', 'playstation', 'xbox', 'nintendo', 'movie', 'movies', 'cinema', 'film',
    'concert', 'show', 'theatre', 'theater', 'museum', 'game', 'games', 'gaming', 'bowling', 'karaoke',
    'festival', 'club', 'party', 'tickets', 'ticket', 'twitch', 'novel', 'kindle', 'audible', 'zoo',
    'amusement park', 'escape room', 'golf',
  ],
  'Bills & Utilities': [
    'rent', 'electricity', 'electric bill', 'power bill', 'water bill', 'gas bill', 'internet', 'wifi',
    'wi-fi', 'broadband', 'phone bill', 'mobile bill', 'phone plan', 'data plan', 'recharge', 'utilities',
    'utility', 'insurance', 'car insurance', 'health insurance', 'mortgage', 'council tax', 'property tax',
    'hoa', 'maintenance fee', 'cable', 'heating', 'comcast', 'verizon', 'at&t', 'vodafone', 't-mobile',
    'jio', 'airtel', 'edp', 'octopus energy', 'icloud', 'google one', 'dropbox', 'subscription', 'landlord',
    'emi',
  ],
  Healthcare: [
    'doctor', 'dentist', 'dental', 'pharmacy', 'farmacia', 'farmácia', 'chemist', 'medicine', 'medicines',
    'meds', 'prescription', 'hospital', 'clinic', 'therapy', 'therapist', 'physio', 'physiotherapy',
    'vaccine', 'checkup', 'check-up', 'lab test', 'blood test', 'optician', 'glasses', 'contact lenses',
    'vitamins', 'paracetamol', 'ibuprofen', 'painkillers', 'antibiotics', 'copay', 'cvs', 'walgreens',
    'apollo pharmacy', 'medical', 'consultation', 'x-ray',
  ],
  Education: [
    'tuition', 'school fees', 'school', 'course', 'class', 'classes', 'textbook', 'textbooks', 'udemy',
    'coursera', 'skillshare', 'duolingo', 'masterclass', 'exam fee', 'exam', 'workshop', 'seminar',
    'university', 'college', 'tutor', 'tutoring', 'lessons', 'language lessons', 'books',
  ],
  Travel: [
    'hotel', 'hostel', 'airbnb', 'booking.com', 'expedia', 'flight', 'flights', 'airline', 'airfare',
    'plane ticket', 'ryanair', 'easyjet', 'lufthansa', 'emirates', 'delta', 'indigo', 'vistara', 'vacation',
    'holiday', 'trip', 'visa', 'travel', 'luggage', 'baggage', 'resort', 'cruise', 'tour', 'sightseeing',
    'eurostar', 'makemytrip', 'travel insurance',
  ],
  'Personal Care': [
    'haircut', 'hair cut', 'barber', 'salon', 'hairdresser', 'spa', 'massage', 'manicure', 'pedicure',
    'nails', 'cosmetics', 'makeup', 'skincare', 'shampoo', 'toiletries', 'gym', 'gym membership', 'yoga',
    'pilates', 'fitness', 'sephora', 'perfume', 'deodorant', 'razor', 'waxing', 'facial', 'laundry',
    'dry cleaning',
  ],
  'Gifts & Donations': [
    'gift', 'gifts', 'present', 'birthday present', 'birthday gift', 'donation', 'donated', 'charity',
    'tithe', 'fundraiser', 'gofundme', 'wedding gift', 'flowers for', 'red cross', 'unicef', 'zakat',
  ],
  Business: [
    'office supplies', 'coworking', 'co-working', 'client lunch', 'client dinner', 'business lunch',
    'business trip', 'domain', 'hosting', 'aws', 'server', 'saas', 'software license', 'adobe', 'github',
    'slack', 'zoom', 'notion', 'figma', 'printing', 'business cards', 'accountant', 'invoice', 'contractor',
    'advertising', 'ads', 'google ads', 'facebook ads', 'office rent', 'business',
  ],
  Investments: [
    'stocks', 'stock', 'shares', 'etf', 'mutual fund', 'mutual funds', 'sip', 'crypto', 'bitcoin', 'btc',
    'ethereum', 'eth', 'brokerage', 'robinhood', 'vanguard', 'fidelity', 'zerodha', 'groww', 'invested',
    'investment', 'index fund', 'bonds', 'gold', 'ppf', 'nps', 'retirement fund', '401k',
  ],
  'Fees & Charges': [
    'fee', 'fees', 'bank fee', 'atm fee', 'late fee', 'overdraft', 'penalty', 'parking fine',
    'speeding fine', 'commission', 'service charge', 'interest charge', 'annual fee', 'card fee',
    'transaction fee', 'processing fee', 'convenience fee', 'parking ticket', 'speeding ticket', 'tax',
    'taxes', 'gst', 'vat', 'stamp duty',
  ],
  Income: [
    'salary', 'paycheck', 'pay check', 'payday', 'income', 'bonus', 'freelance', 'dividend', 'dividends',
    'wage', 'wages', 'stipend', 'pension', 'payout', 'earnings',
  ],
  Transfers: [
    'transfer', 'transferred', 'bank transfer', 'wire', 'venmo', 'zelle', 'paypal', 'wise', 'revolut',
    'e-transfer', 'interac', 'upi', 'paytm', 'gpay', 'phonepe', 'pix', 'mbway', 'atm', 'atm withdrawal',
    'cash withdrawal', 'withdrawal', 'withdrew', 'savings', 'sent money', 'loan repayment', 'lent',
    'splitwise', 'credit card payment', 'card payment', 'top up', 'top-up', 'topup',
  ],
};

/** Generic words that decide a category only when no strong keyword matched ("Example Shop"). */
const WEAK_KEYWORDS: Readonly<Record<string, Category>> = {
  shop: 'Shopping',
  store: 'Shopping',
  market: 'Food & Dining',
  bill: 'Bills & Utilities',
  sent: 'Transfers',
  online: 'Shopping',
  order: 'Shopping',
};

const STRONG_BY_PHRASE = new Map<string, Category>();
for (const [category, phrases] of Object.entries(STRONG_KEYWORDS) as Array<[Category, readonly string[]]>) {
  for (const phrase of phrases) {
    STRONG_BY_PHRASE.set(phrase, category);
  }
}

const MAX_PHRASE_WORDS = 3;

/** A category keyword found in a message. */
export interface CategoryMatch {
  category: Category;
  /** The keyword as it appears in the table, for example `uber eats`. */
  keyword: string;
  /** Index of the keyword's first word among the message's words. */
  wordIndex: number;
  /** `weak` for generic words such as `shop`, which decide only when no strong keyword matched. */
  strength: 'strong' | 'weak';
}

interface Word {
  text: string;
  start: number;
}

const WORD_PATTERN = /[\p{L}\p{N}][\p{L}\p{N}&'’+.-]*/gu;

function splitWords(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(WORD_PATTERN)) {
    const cleaned = match[0]
      .replace(/[.'’-]+$/u, '')
      .replace(/’/g, "'")
      .toLowerCase();
    words.push({ text: cleaned, start: match.index });
  }

  return words;
}

function singular(word: string): string[] {
  const forms = [word];
  if (word.endsWith('es')) {
    forms.push(word.slice(0, -2));
  }

  if (word.endsWith('s')) {
    forms.push(word.slice(0, -1));
  }

  return forms;
}

function lookup(phrase: string, table: ReadonlyMap<string, Category>): string | undefined {
  return singular(phrase).find((form) => table.has(form));
}

const WEAK_BY_PHRASE = new Map(Object.entries(WEAK_KEYWORDS));

function findMatch(
  words: readonly Word[],
  table: ReadonlyMap<string, Category>,
  strength: CategoryMatch['strength'],
): CategoryMatch | null {
  for (let index = 0; index < words.length; index += 1) {
    for (let length = Math.min(MAX_PHRASE_WORDS, words.length - index); length >= 1; length -= 1) {
      const phrase = words
        .slice(index, index + length)
        .map((word) => word.text)
        .join(' ');
      const keyword = lookup(phrase, table);
      if (keyword) {
        return { category: table.get(keyword)!, keyword, wordIndex: index, strength };
      }
    }
  }

  return null;
}

/**
 * Finds the category of a message from its words: the earliest strong keyword or merchant wins, and a longer
 * phrase wins at the same position (`uber eats` is food, `uber` is transport). Generic words such as `shop`
 * decide only when no strong keyword matched. Returns `null` when nothing matched.
 */
export function findCategory(text: string): CategoryMatch | null {
  const words = splitWords(text);
  return findMatch(words, STRONG_BY_PHRASE, 'strong') ?? findMatch(words, WEAK_BY_PHRASE, 'weak');
}

/** Returns true when `phrase` is a strong category keyword or merchant, such as `coffee` or `netflix`. */
export function isCategoryKeyword(phrase: string): boolean {
  return lookup(phrase.toLowerCase(), STRONG_BY_PHRASE) !== undefined;
}
