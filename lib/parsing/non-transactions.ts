import { isYear } from './non-amounts';

const QUESTION_OPENERS =
  /^(?:how|what|when|where|why|which|who|whom|whose|did|do|does|should|would|will|is|are|was|were|am|show|list)\b/iu;

/** Requests phrased as questions that still ask to record something ("can you add 20 for lunch?"). */
const RECORD_REQUEST = /^(?:can|could|would)\s+you\s+(?:please\s+)?(?:add|log|record|save|track|enter)\b/iu;

const GREETING =
  /^(?:hi|hello|hey|hiya|yo|sup|howdy|hola|ola|olá|ciao|thanks|thank\s+you|thank\s+u|thx|ty|tysm|cheers|ok|okay|k|cool|great|nice|perfect|got\s+it|good\s+(?:morning|afternoon|evening|night)|gm|gn|bye|goodbye|see\s+you|lol|haha|yes|no|yep|nope|sure)(?:\s+(?:there|bot|again|so\s+much|a\s+lot|all|everyone|guys|mate|buddy|friend))*$/iu;

function lettersAndDigitsOnly(text: string): string {
  return text
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Returns true for a question such as "how much did I spend?", which the parser never books. */
export function isQuestion(text: string): boolean {
  const trimmed = text.trim();
  if (RECORD_REQUEST.test(trimmed)) {
    return false;
  }

  return trimmed.endsWith('?') || QUESTION_OPENERS.test(trimmed);
}

/** Returns true for a greeting or thanks with nothing else, such as "hi", "thanks!" or "good morning". */
export function isGreeting(text: string): boolean {
  return GREETING.test(lettersAndDigitsOnly(text));
}

/** Returns true when the whole message is a year, as in "2024" or "in 2019". */
export function isYearOnly(text: string): boolean {
  const match = /^(?:(?:in|since|year|back\s+in)\s+)?(\d{4})$/iu.exec(lettersAndDigitsOnly(text));
  return match !== null && isYear(match[1]!);
}
