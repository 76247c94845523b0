import { foldLabel, type ReceiptLine } from './ocr-noise';

/** Words that open a greeting, slogan or document title rather than a name. Folded, whole words. */
const NOT_A_NAME =
  /(?<![\p{L}])(?:welcome|bienvenue|bienvenido|bienvenidos|bem vindo|bem-vindo|benvenuti|willkommen|thank you|thanks|obrigad[oa]|gracias|merci|danke|grazie|receipt|recibo|ricevuta|kassenbon|kassenbeleg|quittung|rechnung|beleg|ticket|invoice|factura|fatura|facture|nota fiscal|cupom fiscal|cupom|tax invoice|sales receipt|duplicate|copy|copia|customer copy|original|fresh every day|since \d{4}|open daily|open 24|ありがとう|領収書|レシート|いらっしゃいませ)(?![\p{L}])/iu;

/** Address lines: a street word with a number, a postcode, or a city line ending in a state and ZIP. */
const ADDRESS =
  /(?<![\p{L}])(?:rua|r\.|av\.?|avenida|avenue|ave|street|st\.?|road|rd\.?|blvd|boulevard|lane|ln|drive|dr\.?|way|highway|hwy|plaza|praca|largo|travessa|calle|c\/|carrer|paseo|via|viale|piazza|corso|rue|place|allee|chemin|strasse|str\.?|weg|platz|gasse|allee|ring|damm|marg|nagar|road no|sector|unit|suite|floor|andar|loja|shop no|po box)(?![\p{L}])/iu;
const POSTCODE =
  /\b\d{4}-\d{3}\b|\b\d{5}(?:-\d{3,4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b|〒|\b\d{3}-\d{4}\b|\b\d{6}\b/u;
const PHONE_OR_ID =
  /(?<![\p{L}])(?:tel|tel\.|phone|ph|fone|telefone|telefono|fax|mob|mobile|nif|nipc|cnpj|cpf|vat|vat no|gst|gstin|tin|abn|ust|ust-id|ust-idnr|steuer|st-nr|stnr|siret|siren|tva|cif|nif|rfc|iva|p\.iva|partita|tax id|reg no|company no|登録番号|電話)(?![\p{L}])/iu;
const WEB = /(?:https?:\/\/|www\.|\.com\b|\.co\.\w+|@)/iu;
const DIGIT_HEAVY = /\d.*\d.*\d/u;

/** Legal-form suffixes dropped from the name: "Mercado Fresco Lda" is "Mercado Fresco". */
const LEGAL_SUFFIX =
  /[\s,]+(?:lda\.?|ltda\.?|ltd\.?|limited|llc|l\.l\.c\.|inc\.?|corp\.?|co\.?|c[0o]\.|gmbh|gmbh & co\.? kg|ag|kg|ohg|e\.k\.|s\.a\.?|sa|s\.l\.?|sl|sarl|s\.a\.r\.l\.|sas|s\.a\.s\.|srl|s\.r\.l\.|spa|s\.p\.a\.|bv|b\.v\.|nv|plc|pty ltd|pvt\.? ltd\.?|private limited|me|eireli|unipessoal(?: lda)?|株式会社)$/iu;

/** How many lines from the top may hold the merchant. */
const HEADER_LINES = 8;

/** A store number after the name: `#214`, `No. 12`, `Store 0312`, `Filiale 4`. */
const STORE_NUMBER = /\s*(?:#|no\.?|nr\.?|n[º°]|store|filiale|loja|tienda|branch)\s*\d+\s*$/iu;

/** Reads an OCR zero between capital letters, or after one at the end of a word, as the letter O (`C0.`). */
function lettersForZeros(text: string): string {
  return text.replace(/(?<=\p{Lu})0+(?=\p{Lu}|[.\s]|$)|0+(?=\p{Lu}{2})/gu, (zeros) =>
    'O'.repeat(zeros.length),
  );
}

function withoutStoreNumber(text: string): string {
  return text.replace(STORE_NUMBER, '');
}

function cleanName(text: string): string {
  let name = lettersForZeros(withoutStoreNumber(text))
    .replace(/^[\s*#=~_\-–—•.:|]+|[\s*#=~_\-–—•.:|]+$/gu, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
  for (let round = 0; round < 2; round += 1) {
    name = name.replace(LEGAL_SUFFIX, '').trim();
  }

  return name
    .replace(/^株式会社\s*/u, '')
    .replace(/[,;]+$/u, '')
    .trim();
}

/** Returns true when a header line can be the merchant's name. */
export function isPlausibleMerchantLine(text: string): boolean {
  const trimmed = text.trim();
  const letters = trimmed.match(/\p{L}/gu)?.length ?? 0;
  if (letters < 2) {
    return false;
  }

  if (/^\*{2,}.*\*{2,}$|^[-=~]{2,}.*[-=~]{2,}$/u.test(trimmed)) {
    return false;
  }

  const folded = foldLabel(trimmed);
  if (NOT_A_NAME.test(folded) || PHONE_OR_ID.test(folded) || WEB.test(trimmed)) {
    return false;
  }

  const hasNumber = /\d/u.test(trimmed);
  if ((ADDRESS.test(folded) && hasNumber) || POSTCODE.test(trimmed) || DIGIT_HEAVY.test(trimmed)) {
    return false;
  }

  // "14/03/2024" or "10:22" lines, and lines that are mostly punctuation, are no names.
  return letters >= trimmed.replace(/\s/g, '').length / 2;
}

/**
 * Picks the merchant: the first plausible line among the header lines above the first line with an amount,
 * skipping slogans, greetings, addresses, phone numbers, tax ids and dates. Legal-form suffixes are dropped.
 */
export function findMerchant(lines: readonly ReceiptLine[], firstAmountLine: number): string | null {
  const limit = Math.min(firstAmountLine < 0 ? lines.length : firstAmountLine, HEADER_LINES + 1);
  let considered = 0;
  for (const line of lines.slice(0, limit)) {
    if (line.text.trim() === '') {
      continue;
    }

    considered += 1;
    if (considered > HEADER_LINES) {
      break;
    }

    if (isPlausibleMerchantLine(withoutStoreNumber(line.text))) {
      const name = cleanName(line.text);
      if (name.length >= 2) {
        return name;
      }
    }
  }

  return null;
}
