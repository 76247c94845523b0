import { foldLabel } from './ocr-noise';

/**
 * Receipt label keywords by line class, in English, Portuguese, Spanish, French, German, Italian and Japanese.
 * Each phrase is folded like a label (lower case, no accents). Latin phrases match whole words; CJK phrases
 * match anywhere, since CJK text has no spaces between words.
 */
export interface KeywordSet {
  test(foldedLabel: string): boolean;
}

function isCjk(phrase: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(phrase);
}

function escapePattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Builds a matcher for phrases; a space in a phrase matches any run of spaces, dots or hyphens. */
export function keywords(phrases: readonly string[]): KeywordSet {
  const folded = phrases.map(foldLabel);
  const latin = folded.filter((phrase) => !isCjk(phrase));
  const cjk = folded.filter(isCjk);
  const latinPattern =
    latin.length === 0
      ? null
      : new RegExp(
          `(?<![\\p{L}\\p{N}])(?:${latin
            .sort((left, right) => right.length - left.length)
            .map((phrase) => escapePattern(phrase).replace(/ /g, '[\\s.\\-]*'))
            .join('|')})(?![\\p{L}])`,
          'u',
        );
  const cjkPattern = cjk.length === 0 ? null : new RegExp(cjk.map(escapePattern).join('|'), 'u');
  return {
    test: (label) => Boolean(latinPattern?.test(label) || cjkPattern?.test(label)),
  };
}

/** Money given back to a cash payer. */
export const CHANGE = keywords([
  'change',
  'change due',
  'cambio',
  'vuelto',
  'devolucion',
  'troco',
  'ruckgeld',
  'rueckgeld',
  'wechselgeld',
  'zuruck',
  'rendu',
  'monnaie rendue',
  'a rendre',
  'resto',
  'お釣り',
  'おつり',
  'お釣',
  '釣銭',
  '釣り銭',
]);

/** Cash handed over, which is the largest number on many receipts and never the total. */
export const CASH = keywords([
  'cash',
  'cash tend',
  'cash tendered',
  'amount tendered',
  'efectivo',
  'entregado',
  'dinheiro',
  'numerario',
  'bargeld',
  'gegeben',
  'bar gegeben',
  'especes',
  'contanti',
  'contante',
  'お預り',
  'お預かり',
  '預り',
  '預かり',
]);

/** `BAR` at the start of a German tender line; as a word elsewhere it is a chocolate bar. */
export const CASH_LINE_START = /^(?:bar|bar eur|bar €)(?![\p{L}])/u;

/** Card and other non-cash tenders. Weak: only read as a payment after the total. */
export const PAYMENT = keywords([
  'visa',
  'mastercard',
  'master card',
  'maestro',
  'amex',
  'american express',
  'debit',
  'credit',
  'card',
  'credit card',
  'debit card',
  'karte',
  'kartenzahlung',
  'ec karte',
  'girocard',
  'carte',
  'carte bancaire',
  'cb',
  'cartao',
  'cartao de credito',
  'cartao de debito',
  'credito',
  'debito',
  'tarjeta',
  'pix',
  'upi',
  'paytm',
  'gpay',
  'apple pay',
  'google pay',
  'contactless',
  'paid',
  'payment',
  'pagamento',
  'pago',
  'zahlung',
  'bezahlt',
  'paiement',
  'クレジット',
  '電子マネー',
]);

/** A total before tax, or a sum of the items that tax and tip are added to. */
export const SUBTOTAL = keywords([
  'subtotal',
  'sub total',
  'taxable value',
  'taxable amount',
  'taxable',
  'sub-total',
  'subtot',
  'zwischensumme',
  'sous total',
  'sous-total',
  'total ht',
  'montant ht',
  'ht',
  'hors taxe',
  'excl tax',
  'excl. tax',
  'excluding tax',
  'excl vat',
  'ex vat',
  'before tax',
  'pre tax',
  'net total',
  'total net',
  'netto',
  'nettobetrag',
  'netto summe',
  'base imponible',
  'base tributavel',
  'sem iva',
  'sin iva',
  'imponibile',
  'merchandise total',
  '小計',
  '小 計',
]);

/** Counts of items or quantities, whose number is no money. */
export const COUNT = keywords([
  'total qty',
  'total quantity',
  'qty total',
  'total items',
  'items',
  'item count',
  'no of items',
  'number of items',
  'total articles',
  'articles',
  'artikel',
  'anzahl',
  'nb articles',
  'qtd itens',
  'qtde itens',
  'quantidade',
  'total de itens',
  'cantidad',
  'num articulos',
  '点数',
  '買上点数',
]);

/** Strong total anchors: the amount paid. When several appear, the last one wins. */
export const STRONG_TOTAL = keywords([
  'grand total',
  'amount due',
  'balance due',
  'total due',
  'amount payable',
  'total payable',
  'total to pay',
  'to pay',
  'please pay',
  'total a pagar',
  'a pagar',
  'valor a pagar',
  'total a pagar',
  'importe total',
  'total ttc',
  'montant ttc',
  'ttc',
  'net a payer',
  'a payer',
  'total a payer',
  'zu zahlen',
  'gesamtbetrag',
  'endbetrag',
  'summe eur',
  'total incl',
  'total including',
  'total inc',
  'incl tax total',
  'totale complessivo',
  'totale da pagare',
  'total general',
  'total geral',
  'valor total',
  'total final',
  'お会計',
  'ご請求額',
  '合計金額',
  'お支払',
]);

/** Plain total labels. When several appear, the last one wins unless a strong anchor is present. */
export const TOTAL = keywords([
  'total',
  'totals',
  'totaal',
  'totale',
  'summe',
  'gesamt',
  'betrag',
  'importe',
  'montant',
  'amount',
  'valor',
  'sum',
  'balance',
  'total eur',
  'total usd',
  'total gbp',
  'total brl',
  'total inr',
  'total jpy',
  '合計',
  '合 計',
]);

/** Tax lines, including "incl. VAT" notes, which are never the total. */
export const TAX = keywords([
  'tax',
  'taxes',
  'sales tax',
  'vat',
  'gst',
  'hst',
  'pst',
  'qst',
  'cgst',
  'sgst',
  'igst',
  'utgst',
  'cess',
  'iva',
  'i.v.a',
  'mwst',
  'mwst.',
  'ust',
  'mehrwertsteuer',
  'umsatzsteuer',
  'tva',
  'impuesto',
  'imposto',
  'icms',
  'iss',
  'igv',
  'impuestos',
  'steuer',
  'taxe',
  'total tax',
  'total vat',
  'total gst',
  '消費税',
  '内税',
  '外税',
  '税額',
  '(税',
  '税込',
  '税率',
]);

/** Tips and service charges. */
export const TIP = keywords([
  'tip',
  'tips',
  'gratuity',
  'service charge',
  'service fee',
  'servicio',
  'servico',
  'taxa de servico',
  'taxa servico',
  'propina',
  'gorjeta',
  'trinkgeld',
  'bedienung',
  'pourboire',
  'mancia',
  'coperto',
  'サービス料',
]);

/** Tip suggestions printed under the bill ("20% = 2.09"), which are no charge. */
export const TIP_SUGGESTION = keywords([
  'suggested',
  'suggestion',
  'suggest',
  'recommended',
  'gratuity guide',
  'tip guide',
  'sugerida',
  'sugerido',
  'suggere',
  'empfohlen',
]);

/** Discounts and coupons, subtracted from the items. */
export const DISCOUNT = keywords([
  'discount',
  'disc',
  'coupon',
  'promo',
  'promotion',
  'offer',
  'markdown',
  'reduction',
  'rebate',
  'voucher',
  'desconto',
  'descuento',
  'dto',
  'rabatt',
  'nachlass',
  'preisvorteil',
  'remise',
  'reduc',
  'sconto',
  'member savings',
  'savings',
  'saving',
  'off',
  '値引',
  '割引',
]);

/** Summary lines of savings that repeat the discount lines above them. */
export const SAVINGS_SUMMARY = keywords([
  'you saved',
  'total savings',
  'your savings',
  'voce economizou',
  'ahorro total',
  'sie sparen',
  'gespart',
  'economie',
]);

/** Balances that are not what this purchase costs: gift cards, points, accounts. */
export const OTHER_BALANCE = keywords([
  'points balance',
  'card balance',
  'gift card balance',
  'remaining balance',
  'balance remaining',
  'available balance',
  'account balance',
  'previous balance',
  'prev balance',
  'new balance',
  'saldo',
]);

/** Lines that carry numbers but no money: balances, loyalty points, page markers, card and auth numbers. */
export const INFO = keywords([
  'points',
  'punkte',
  'pontos',
  'puntos',
  'page',
  'pagina',
  'seite',
  'continued',
  'suite',
  'auth',
  'approval',
  'aprovacao',
  'ref',
  'trans',
  'terminal',
  'tid',
  'mid',
  'invoice no',
  'receipt no',
  'bon nr',
  'beleg',
  'nif',
  'nipc',
  'cnpj',
  'cpf',
  'vat no',
  'vat reg',
  'vat number',
  'gstin',
  'tax id',
  'ust id',
  'ust-idnr',
  'steuernr',
  'siret',
  'tva intra',
  'cif',
  'rfc',
  'abn',
  'table',
  'mesa',
  'tisch',
  'guests',
  'covers',
  'server',
  'cashier',
  'caixa',
  'kasse',
  'caisse',
  'operator',
  'order',
  'pedido',
  'tel',
  'phone',
  'fone',
  'telefone',
  'telefono',
  'www',
  'http',
  'valid until',
  'expires',
]);

/** Words saying that tax is already inside the amount, which makes "Total incl. VAT" a total. */
export const TAX_INCLUDED = keywords([
  'incl',
  'inkl',
  'inc',
  'including',
  'included',
  'inclusive',
  'incluido',
  'incluida',
  'incluso',
  'incluidos',
  'com iva',
  'con iva',
  'ttc',
  'taxes incluses',
  'tva incluse',
  'iva incl',
  '税込',
]);
