import { type StartSession, startSession } from './start-session';

describe('npm start linking with /as', () => {
  let session: StartSession;
  let status: number | null;
  let code: string;

  beforeAll(async () => {
    session = startSession([]);
    try {
      await session.waitFor(/you › /, { timeoutMs: 90_000 });
      session.write('spent 12.50 on lunch at Subway');
      session.write('/link');
      [, code = ''] = await session.waitFor(/\/link ([A-Z0-9]{4}-[A-Z0-9]{4})/);
      const switched = session.stdout().length;
      session.write('/as whatsapp');
      session.write(`/link ${code}`);
      await session.waitFor(/🔗 Linked!/, { from: switched });
      session.write('/balance');
      status = await session.end();
    } catch (error) {
      session.kill();
      throw error;
    }
  }, 150_000);

  it('exits 0', () => {
    expect(status).toBe(0);
  });

  it('prints the switch', () => {
    expect(session.stdout()).toContain('local › now writing as the WhatsApp user +5511900000001.');
  });

  it('links the WhatsApp user to the Telegram account', () => {
    const afterLink = session.stdout().slice(session.stdout().indexOf('🔗 Linked!'));

    expect(afterLink).toContain('12.50 USD');
  });
});
