import { appendFile, mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEvent, AuditLog, AuditQuery } from '@checkpoint/core';

const DAY_MS = 86_400_000;
const FILE = /^(\d{4})-(\d{2})-(\d{2})\.jsonl$/;

/**
 * @internal
 * Per-tenant daily JSON-lines files: `<dir>/<encoded tenant>/<YYYY-MM-DD>.jsonl`, a file per UTC
 * day of the events' own time. A day is the unit of retention: whole files are deleted.
 */
export class DayFiles {
  private readonly made = new Set<string>();

  constructor(private readonly directory: string) {}

  async append(event: AuditEvent, line: string): Promise<void> {
    const folder = join(this.directory, encodeURIComponent(event.tenantId));
    if (!this.made.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.made.add(folder);
    }
    // One write with O_APPEND: lines from several processes never interleave mid-line.
    await appendFile(join(folder, `${new Date(event.at).toISOString().slice(0, 10)}.jsonl`), line);
  }

  /** Deletes the files of days that ended before each tenant's retention cut-off. */
  async prune(now: number, retentionMs: (tenantId: string) => Promise<number>): Promise<number> {
    let deleted = 0;
    for (const tenantId of await this.tenants()) {
      const cutoff = now - (await retentionMs(tenantId));
      for (const { day, path } of await this.days(tenantId)) {
        if (day + DAY_MS > cutoff) continue;
        await unlink(path);
        deleted += 1;
      }
    }
    return deleted;
  }

  /**
   * Reads for an archive without an index: a query reads the tenant's days in range;
   * byVerification reads every retained day of every tenant.
   */
  reader(now: () => number, retentionMs: (tenantId: string) => Promise<number>): AuditLog {
    return {
      append: () => Promise.reject(new TypeError('the directory reader is read-only')),
      query: (query) => this.query(query, now, retentionMs),
      byVerification: async (verificationId) => {
        const found: AuditEvent[] = [];
        for (const tenantId of await this.tenants()) {
          const lower = now() - (await retentionMs(tenantId));
          const matches = (item: AuditEvent) => item.verificationId === verificationId;
          for await (const event of this.read(tenantId, lower, Infinity, matches))
            found.push(event);
        }
        return found.sort((a, b) => a.at - b.at);
      },
    };
  }

  private async *query(
    { tenantId, from, to, types }: AuditQuery,
    now: () => number,
    retentionMs: (tenantId: string) => Promise<number>,
  ): AsyncGenerator<AuditEvent> {
    const lower = Math.max(from ?? -Infinity, now() - (await retentionMs(tenantId)));
    const accept = (event: AuditEvent) => types === undefined || types.includes(event.type);
    yield* this.read(tenantId, lower, to ?? Infinity, accept);
  }

  private async *read(
    tenantId: string,
    lower: number,
    upper: number,
    accept: (event: AuditEvent) => boolean,
  ): AsyncGenerator<AuditEvent> {
    for (const { day, path } of await this.days(tenantId)) {
      if (day + DAY_MS <= lower || day >= upper) continue;
      // One tenant-day in memory at a time, sorted: appends from several processes may interleave.
      const events = (await readFile(path, 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as AuditEvent)
        .filter((event) => event.at >= lower && event.at < upper && accept(event))
        .sort((a, b) => a.at - b.at);
      yield* events;
    }
  }

  private async tenants(): Promise<string[]> {
    const entries = await readdir(this.directory, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => decodeURIComponent(entry.name));
  }

  private async days(tenantId: string): Promise<Array<{ day: number; path: string }>> {
    const folder = join(this.directory, encodeURIComponent(tenantId));
    const names = await readdir(folder).catch(() => [] as string[]);
    return names
      .map((name) => {
        const match = FILE.exec(name);
        return match === null
          ? undefined
          : {
              day: Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])),
              path: join(folder, name),
            };
      })
      .filter((entry): entry is { day: number; path: string } => entry !== undefined)
      .sort((a, b) => a.day - b.day);
  }
}
