import { runStart } from './start-session';

describe('npm start with piped input', () => {
  let status: number | null;
  let stdout: string;
  let stderr: string;

  beforeAll(() => {
    ({ status, stdout, stderr } = runStart(
      [],
      [
        'spent 12.50 on lunch at Subway',
        '/voice test/fixtures/voice/lunch-subway.ogg',
        '/photo test/fixtures/receipts/images/diner.png',
        '9',
        '/album test/fixtures/receipts/images/diner.png test/fixtures/receipts/images/pharmacy.png',
        '/voice test/fixtures/voice/missing.ogg',
      ],
    ));
  }, 130_000);

  it('exits 0', () => {
    expect(status).toBe(0);
  });

  it('prints the reply to the expense', () => {
    const replyStart = stdout.indexOf('bot › ');
    const reply = replyStart === -1 ? '' : stdout.slice(replyStart);

    expect(replyStart).toBeGreaterThan(-1);
    expect(reply).toContain('✅ Saved');
    expect(reply).toContain('Expense: 12.50 USD');
    expect(reply).toContain('📍 Subway');
    expect(reply).toContain('[1] ✅ Confirm');
  });

  it('prints the AI fakes at start', () => {
    expect(stdout).toMatch(/OpenAI +http:\/\/127\.0\.0\.1:\d+\/v1 \(local fake: chat and Whisper\)/);
    expect(stdout).toMatch(/Google Vision +http:\/\/127\.0\.0\.1:\d+ \(local fake\)/);
    expect(stdout).toContain('Local commands: /voice FILE');
    expect(stdout).not.toMatch(/sk-local-/);
  });

  it('keeps the source IP warning off the terminal', () => {
    expect(`${stdout}${stderr}`).not.toContain('source IP check is off');
  });

  it('sends a voice note and prints the edited reply', () => {
    const processing = stdout.indexOf('bot › 🎤 Processing your voice message');
    const transcript = stdout.indexOf('bot (edited) › 🎤 I heard: “spent 12.50 on lunch at Subway”');
    const result = stdout.slice(transcript, stdout.indexOf('bot ›', transcript + 1));

    expect(processing).toBeGreaterThan(-1);
    expect(transcript).toBeGreaterThan(processing);
    expect(result).toContain('✅ Saved');
    expect(result).toContain('Expense: 12.50 USD');
  });

  it('sends a photo and prints the receipt draft', () => {
    const processing = stdout.indexOf('bot › 📷 Processing your receipt');
    const draft = stdout.slice(stdout.indexOf('bot (edited) › 🤔 Is this right?'));

    expect(processing).toBeGreaterThan(-1);
    expect(draft).toContain('Expense: 19.52 USD');
  });

  it('sends an album and prints its one summary', () => {
    const processing = stdout.indexOf('bot › 📷 Processing your receipts…');
    const summary = stdout.slice(stdout.indexOf('bot (edited) › 📷 2 photos'));

    expect(processing).toBeGreaterThan(-1);
    expect(summary).toMatch(/1\. .*19\.52 USD[\s\S]*2\. .*10\.47 USD/);
    expect(summary).toContain('✅ Confirm all');
  });

  it('does not send a number that matches no button', () => {
    expect(stdout).toContain('local › no button 9; the last reply has 4. Nothing was sent.');
    expect(stdout).not.toContain('Expense: 9.00');
  });

  it('names a voice file that cannot be read', () => {
    expect(stdout).toContain(
      'local › /voice test/fixtures/voice/missing.ogg: the file could not be read (ENOENT)',
    );
  });
});

describe('npm start with an album, its Confirm all and a typed line', () => {
  let stdout: string;

  beforeAll(() => {
    ({ stdout } = runStart(
      [],
      [
        '/album test/fixtures/receipts/images/diner.png test/fixtures/receipts/images/pharmacy.png',
        '1',
        'coffee 3.50',
      ],
    ));
  }, 130_000);

  it('edits the summary in place', () => {
    // The typed line after the press must not take the summary's message id, or the edit fails.
    expect(stdout).toMatch(/bot \(edited\) › 📷 2 photos\n1\. ✅ 19\.52 USD[^\n]*\n2\. ✅ 10\.47 USD/);
  });
});
