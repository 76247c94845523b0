import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Update } from '@grammyjs/types';
import { ReplayInputError, readUpdateFiles, retimeUpdates } from '../../../infra/local/replay';

function message(updateId: number, date: number, extra: Record<string, unknown> = {}): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date,
      chat: { id: 1, type: 'private', first_name: 'Ana' },
      text: 'x',
      ...extra,
    },
  } as Update;
}

describe('retimeUpdates', () => {
  const now = 1_800_000_000;

  it('moves the latest date to now', () => {
    const retimed = retimeUpdates([message(1, 1_000), message(2, 5_000)], now);

    expect(retimed[1]!.message!.date).toBe(now);
  });

  it('keeps the gaps between updates', () => {
    const retimed = retimeUpdates([message(1, 1_000), message(2, 5_000)], now);

    expect(retimed[1]!.message!.date - retimed[0]!.message!.date).toBe(4_000);
  });

  it('moves nested forward dates too', () => {
    const retimed = retimeUpdates(
      [message(1, 5_000, { forward_origin: { type: 'hidden_user', date: 4_000 } })],
      now,
    );

    expect((retimed[0]!.message as unknown as { forward_origin: { date: number } }).forward_origin.date).toBe(
      now - 1_000,
    );
  });

  it('puts no date after now', () => {
    const retimed = retimeUpdates([message(1, 9_000), message(2, 1_000), message(3, 4_000)], now);

    for (const update of retimed) {
      expect(update.message!.date).toBeLessThanOrEqual(now);
    }
  });

  it('leaves updates without dates unchanged', () => {
    const update = {
      update_id: 9,
      callback_query: { id: 'q', from: { id: 1 }, data: 'c:x' },
    } as unknown as Update;

    expect(retimeUpdates([update], now)).toEqual([update]);
  });
});

describe('readUpdateFiles', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'financy-replay-unit-'));

  it.each([
    ['one update', { update_id: 1 }, 1],
    ['an array', [{ update_id: 1 }, { update_id: 2 }], 2],
    ['a deliveries object', { deliveries: [{ update_id: 1 }, { update_id: 2 }, { update_id: 3 }] }, 3],
  ])('reads %s', async (name, content, count) => {
    const file = path.join(directory, `${name.replace(/\s/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(content));

    const updates = await readUpdateFiles([file]);

    expect(updates).toHaveLength(count);
  });

  it('rejects a file that is not JSON', async () => {
    const file = path.join(directory, 'broken.json');
    writeFileSync(file, '{"update_id": ');

    await expect(readUpdateFiles([file])).rejects.toBeInstanceOf(ReplayInputError);
  });
});
