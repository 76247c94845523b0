import { runStart } from './start-session';

describe('npm start --channel whatsapp with piped input', () => {
  let status: number | null;
  let stdout: string;
  let stderr: string;
  let replies: string[];

  beforeAll(() => {
    ({ status, stdout, stderr } = runStart(
      ['--channel', 'whatsapp'],
      ['spent 12.50 on lunch at Subway', '1'],
    ));
    replies = stdout.split('bot › ').slice(1);
  }, 130_000);

  it('exits 0', () => {
    expect(status).toBe(0);
  });

  it('prints the WhatsApp URLs at start', () => {
    expect(stdout).toMatch(/WhatsApp webhook +GET and POST http:\/\/127\.0\.0\.1:\d+\/webhooks\/whatsapp/);
    expect(stdout).toMatch(/WhatsApp Graph API http:\/\/127\.0\.0\.1:\d+ \(local fake/);
  });

  it('prints the reply to the expense in BRL', () => {
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('✅ Saved');
    expect(replies[0]).toContain('Expense: 12.50 BRL');
    expect(replies[0]).toContain('📍 Subway');
    expect(replies[0]).toContain('[1] ✅ Confirm');
  });

  it('presses the first option', () => {
    expect(replies[1]).toContain('✅ Confirmed');
    expect(replies[1]).toContain('Expense: 12.50 BRL');
  });

  it('stores no transaction from the number', () => {
    expect(stdout).not.toContain('Expense: 1.00');
  });

  it('keeps the Telegram source IP warning off the terminal', () => {
    expect(`${stdout}${stderr}`).not.toContain('Telegram source IP check is off');
  });
});

describe('npm start --channel whatsapp with a split list', () => {
  let status: number | null;
  let stdout: string;

  beforeAll(() => {
    // The card, Change category, row 12 of the two-part picker, then a number beyond the card's rows.
    ({ status, stdout } = runStart(
      ['--channel', 'whatsapp'],
      ['spent 7 on taxi', '4', '12', '99', '/photo test/fixtures/receipts/images/diner.png'],
    ));
  }, 130_000);

  it('exits 0', () => {
    expect(status).toBe(0);
  });

  it('numbers the rows of both parts continuously', () => {
    const secondPart = stdout.slice(stdout.indexOf('bot › (2/2)'));

    expect(stdout).toContain('bot › (1/2)');
    expect(secondPart).toMatch(/^ {2}\[11\] /m);
    expect(secondPart).toMatch(/^ {2}\[16\] /m);
  });

  it('presses row 12 of the second part', () => {
    const row = /^ {2}\[12\] (.+)$/m.exec(stdout);
    const after = stdout.slice(stdout.indexOf('[16]'));

    expect(row).not.toBeNull();
    expect(after).toContain(`🏷️ ${row?.[1]}`);
    expect(after).toContain('Expense: 7.00 BRL');
  });

  it('does not send a number that matches no button', () => {
    expect(stdout).toContain('local › no button 99; the last reply has 4. Nothing was sent.');
    expect(stdout).not.toContain('Expense: 99.00');
  });

  it('sends a photo as an image message', () => {
    const draft = stdout.slice(stdout.indexOf('bot › 📷 Processing your receipt'));

    expect(draft).toContain('19.52 BRL');
  });
});
