import { InvalidNotificationError } from '../../lib/notify/errors';
import { kindsOf, renderEmail, renderPush, renderSlack, renderSms } from '../../lib/notify/templates';

const WEEKLY = {
  displayName: 'Ana <script>',
  periodStart: '2026-03-16',
  periodEnd: '2026-03-22',
  currency: 'EUR',
  totalSpent: '312.40',
  totalIncome: '1500.00',
  transactionCount: 23,
  topCategories: [
    { category: 'Food & Dining', amount: '148.20' },
    { category: 'Transportation', amount: '62.00' },
  ],
  settingsUrl: 'https://financy.example.com/settings?a=1&b=2',
};

const BREAKER_ALERT = {
  alert: 'breaker-opened',
  stage: 'prod',
  occurredAt: '2026-03-18T12:00:03.000Z',
  dependency: 'telegram',
  openForSeconds: 60,
  consecutiveFailures: 5,
};

describe('weekly-summary template', () => {
  it('renders subject, html and text with the totals', () => {
    const email = renderEmail('weekly-summary', WEEKLY);

    expect(email.subject).toBe('Your week in Financy: 2026-03-16 to 2026-03-22');
    expect(email.text).toContain('Spent: 312.40 EUR');
    expect(email.text).toContain('- Food & Dining: 148.20 EUR');
    expect(email.text).toContain('23 transactions recorded.');
    expect(email.html).toContain('<strong>312.40 EUR</strong>');
    expect(email.html).toContain('Food &amp; Dining');
  });

  it('escapes user data in the html body', () => {
    const { html } = renderEmail('weekly-summary', WEEKLY);

    expect(html).not.toContain('<script>');
    expect(html).toContain('Hello Ana &lt;script&gt;,');
    expect(html).toContain('href="https://financy.example.com/settings?a=1&amp;b=2"');
  });

  it('renders a week without categories or settings link', () => {
    const email = renderEmail('weekly-summary', { ...WEEKLY, topCategories: [], settingsUrl: undefined });

    expect(email.text).toContain('No spending by category this week.');
    expect(email.html).not.toContain('href=');
  });

  it('renders push and sms', () => {
    expect(renderPush('weekly-summary', WEEKLY)).toEqual({
      title: 'Your weekly summary',
      body: 'You spent 312.40 EUR from 2026-03-16 to 2026-03-22.',
    });
    expect(renderSms('weekly-summary', WEEKLY)).toBe(
      'Financy: you spent 312.40 EUR from 2026-03-16 to 2026-03-22 (23 transactions recorded).',
    );
  });

  it('rejects a float amount and an unknown category', () => {
    expect(() => renderEmail('weekly-summary', { ...WEEKLY, totalSpent: 312.4 })).toThrow('data.totalSpent');
    expect(() =>
      renderEmail('weekly-summary', { ...WEEKLY, topCategories: [{ category: 'Snacks', amount: '1.00' }] }),
    ).toThrow('data.topCategories[0].category');
  });

  it('rejects a period that ends before it starts', () => {
    expect(() => renderEmail('weekly-summary', { ...WEEKLY, periodEnd: '2026-03-01' })).toThrow(
      InvalidNotificationError,
    );
  });
});

describe('email-confirmation template', () => {
  it('renders the code and its expiry', () => {
    const email = renderEmail('email-confirmation', { code: '482913', expiresInMinutes: 30 });

    expect(email.subject).toBe('Confirm your e-mail address for Financy');
    expect(email.text).toContain('\n482913\n');
    expect(email.text).toContain('The code expires in 30 minutes.');
    expect(email.html).toContain('<strong>482913</strong>');
    expect(email.text.startsWith('Hello,')).toBe(true);
  });

  it('rejects a code that is not 6 to 8 digits', () => {
    expect(() => renderEmail('email-confirmation', { code: '12ab56', expiresInMinutes: 30 })).toThrow(
      'data.code',
    );
  });

  it('renders e-mail only', () => {
    expect(kindsOf('email-confirmation')).toEqual(['email']);
    expect(() => renderSms('email-confirmation', { code: '482913', expiresInMinutes: 30 })).toThrow(
      'has no sms rendering',
    );
  });
});

describe('operations-alert template', () => {
  it('renders a breaker alert as e-mail', () => {
    const email = renderEmail('operations-alert', BREAKER_ALERT);

    expect(email.subject).toBe('[prod] Circuit of telegram opened');
    expect(email.text).toContain('Open for: 60 s');
    expect(email.text).toContain('Consecutive failures: 5');
    expect(email.html).toContain('<h1 style="font-size:18px">Circuit of telegram opened</h1>');
  });

  it('renders a Slack message with fallback text and blocks', () => {
    const message = renderSlack('operations-alert', BREAKER_ALERT);

    expect(message.text).toBe('[prod] Circuit of telegram opened');
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Circuit of telegram opened' },
    });
    expect(JSON.stringify(message.blocks)).toContain('*Dependency*\\ntelegram');
  });

  it.each([
    [
      { alert: 'dlq-not-empty', queueName: 'inbound-dlq.fifo', approximateMessages: 3 },
      'Dead-letter queue inbound-dlq.fifo is not empty',
    ],
    [
      { alert: 'ai-budget-exceeded', period: '2026-03', budget: '50.00', spent: '50.12', currency: 'USD' },
      'AI budget for 2026-03 exceeded',
    ],
    [
      { alert: 'fx-refresh-failing', provider: 'frankfurter', consecutiveFailures: 4 },
      'FX refresh from frankfurter is failing',
    ],
  ])('renders the %o alert', (details, title) => {
    const data = { stage: 'prod', occurredAt: '2026-03-18T12:00:00.000Z', ...details };

    expect(renderEmail('operations-alert', data).subject).toBe(`[prod] ${title}`);
    expect(renderSlack('operations-alert', data).text).toBe(`[prod] ${title}`);
    expect(renderSms('operations-alert', data)).toBe(`Financy [prod] ${title}`);
  });

  it('rejects fields of another alert', () => {
    expect(() => renderEmail('operations-alert', { ...BREAKER_ALERT, queueName: 'inbound-dlq' })).toThrow(
      'unknown field "queueName"',
    );
  });

  it('escapes Slack control characters', () => {
    const message = renderSlack('operations-alert', { ...BREAKER_ALERT, dependency: 'a:b' });

    expect(message.text).toBe('[prod] Circuit of a:b opened');
    expect(() => renderSlack('operations-alert', { ...BREAKER_ALERT, dependency: '<!channel>' })).toThrow(
      'data.dependency',
    );
  });
});
