import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { barProgress, lineProgress } from '../../src/sync/progress.ts';

/** What `npm run sync` shows: lines where no terminal reads it, bars where one does. */

describe('sync progress', () => {
  it('writes a line per feed every few seconds, with how far it came, its rate and the time left, and one when it ends', () => {
    let now = Date.parse('2026-05-20T12:00:00Z');
    const lines: string[] = [];
    const progress = lineProgress((line) => lines.push(line), () => now, 5_000);
    progress.page('207779', 'funds', 100, '2026-03-20T10:00:00Z');
    now += 1_000;
    // A month of the two covered in four seconds: about as long again to go.
    progress.page('207779', 'funds', 100, '2026-04-20T10:00:00Z');
    now += 4_000;
    progress.page('207779', 'funds', 200, '2026-04-20T10:00:00Z');
    expect(lines).toEqual(['ledger 207779 funds: up to 2026-04-20, 400 entries, 80/s, about 5 s left\n']);
    progress.done('207779', 'funds', 'caught-up');
    expect(lines[1]).toBe('ledger 207779 funds: up to 2026-04-20, 400 entries, 80/s, caught-up\n');
  });

  it('draws a bar per feed on a terminal', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 160, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true });
    let drawn = '';
    terminal.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    const progress = barProgress(terminal as unknown as NodeJS.WriteStream);
    progress.page('207779', 'fees', 50, '2026-04-01T08:00:00Z');
    progress.done('207779', 'fees', 'caught-up');
    progress.stop();
    expect(drawn).toContain('ledger 207779 fees');
    expect(drawn).toContain('100%');
    expect(drawn).toContain('caught-up');
  });
});
