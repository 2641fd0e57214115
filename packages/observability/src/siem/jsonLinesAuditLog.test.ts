import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { type AuditEvent, exportAudit, MemoryAuditLog } from '@checkpoint/core';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonLinesAuditLog } from './jsonLinesAuditLog.js';

const NOW = Date.UTC(2026, 10, 22, 12);
const DAY = 86_400_000;
const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'checkpoint-siem-'));
  dirs.push(dir);
  return dir;
}

let counter = 0;
function event(fields: Partial<AuditEvent> & { at: number }): AuditEvent {
  counter += 1;
  return { id: `ae_${counter}`, type: 'verification.requested', tenantId: 'acme', ...fields };
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

describe('jsonLinesAuditLog to a stream', () => {
  it('writes each event as the line an export writes, and reads through `inner`', async () => {
    const stream = new PassThrough();
    let written = '';
    stream.on('data', (chunk: Buffer) => {
      written += chunk.toString('utf8');
    });
    const inner = new MemoryAuditLog({ now: () => NOW });
    const log = jsonLinesAuditLog({ stream, inner, now: () => NOW });
    const events = [
      event({ at: NOW - 2, verificationId: 'vf_s', context: { ip: '203.0.113.1' } }),
      event({ at: NOW - 1, verificationId: 'vf_s', type: 'verification.approved' }),
    ];
    for (const item of events) await log.append(item);
    expect(written).toBe(await text(exportAudit(inner.query({ tenantId: 'acme' }), 'jsonl')));
    expect(await log.byVerification('vf_s')).toEqual(events);
    expect(await text(log.export({ tenantId: 'acme' }, 'jsonl'))).toBe(written);
  });

  it('waits for a slow stream (backpressure) and drops events already past retention', async () => {
    const lines: string[] = [];
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        setTimeout(done, 1);
      },
    });
    const log = jsonLinesAuditLog({ stream: slow, retentionDays: 30, now: () => NOW });
    for (let index = 0; index < 20; index += 1) await log.append(event({ at: NOW - index }));
    await log.append(event({ at: NOW - 31 * DAY, id: 'ae_stale' }));
    await new Promise((resolve) => slow.end(resolve));
    expect(lines).toHaveLength(20);
    expect(lines.join('')).not.toContain('ae_stale');
  });

  it('cannot be read back without `inner`', async () => {
    const log = jsonLinesAuditLog({ stream: new PassThrough() });
    await expect(log.byVerification('vf_x')).rejects.toThrow(/pass `inner`/);
    expect(() => jsonLinesAuditLog({} as never)).toThrow(TypeError);
  });
});

describe('jsonLinesAuditLog to a directory', () => {
  it('files events per tenant and UTC day, and reads them back in time order', async () => {
    const directory = await tempDir();
    const log = jsonLinesAuditLog({ directory, now: () => NOW });
    const events = [
      event({ at: NOW - DAY, verificationId: 'vf_d' }),
      event({ at: NOW, verificationId: 'vf_d', type: 'verification.checked' }),
      event({ at: NOW - DAY - 5, verificationId: 'vf_d', type: 'verification.blocked' }),
      event({ at: NOW, tenantId: 'tenant:with:colons' }),
    ];
    for (const item of events) await log.append(item);
    expect((await readdir(directory)).sort()).toEqual(['acme', 'tenant%3Awith%3Acolons']);
    expect((await readdir(join(directory, 'acme'))).sort()).toEqual([
      '2026-11-21.jsonl',
      '2026-11-22.jsonl',
    ]);
    const ordered = [events[2], events[0], events[1]];
    expect(await log.byVerification('vf_d')).toEqual(ordered);
    const exported = await text(log.export({ tenantId: 'acme' }, 'jsonl'));
    expect(
      exported
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(ordered);
    const day = await readFile(join(directory, 'acme', '2026-11-22.jsonl'), 'utf8');
    expect(day).toBe(`${JSON.stringify(events[1])}\n`);
  });

  it('deletes whole days past each tenant\u2019s retention, on the first append of a day and on demand', async () => {
    const directory = await tempDir();
    let clock = NOW - 40 * DAY;
    const log = jsonLinesAuditLog({
      directory,
      retentionDays: (tenantId) => (tenantId === 'brief' ? 7 : 30),
      now: () => clock,
    });
    for (let day = 40; day >= 0; day -= 10) {
      clock = NOW - day * DAY;
      await log.append(event({ at: clock, tenantId: 'brief' }));
      await log.append(event({ at: clock, tenantId: 'long' }));
    }
    // Each day's first append pruned what had aged out by then.
    expect(await readdir(join(directory, 'brief'))).toEqual(['2026-11-22.jsonl']);
    // A day is kept while any part of it is within retention (30 days back from noon: Oct 23).
    expect((await readdir(join(directory, 'long'))).sort()).toEqual([
      '2026-10-23.jsonl',
      '2026-11-02.jsonl',
      '2026-11-12.jsonl',
      '2026-11-22.jsonl',
    ]);
    clock = NOW + 15 * DAY;
    expect(await log.enforceRetention()).toBe(3);
    expect((await readdir(join(directory, 'long'))).sort()).toEqual([
      '2026-11-12.jsonl',
      '2026-11-22.jsonl',
    ]);
    expect(await text(log.export({ tenantId: 'brief' }, 'jsonl'))).toBe('');
  });
});
