// The harness must find a database on any machine and leave nothing behind.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testTableName, useTestDatabase } from './testDatabase.js';

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe('useTestDatabase', () => {
  it('gives a database of the caller\u2019s own and drops it on close', async () => {
    const database = await useTestDatabase();
    const [row] = await query<{ name: string }>(database.url, 'SELECT current_database() AS name');
    expect(row?.name).toMatch(database.kind === 'DATABASE_URL' ? /./ : /^cpt_db_[0-9a-z]{8}$/);
    await database.close();
    if (database.kind === 'DATABASE_URL') return;
    const admin = new URL(database.url);
    admin.pathname = '/postgres';
    const left = await query(admin.toString(), 'SELECT 1 FROM pg_database WHERE datname = $1', [
      row?.name,
    ]);
    expect(left).toEqual([]);
  });

  it('starts a throwaway cluster on a loopback port when asked, and stops it', async () => {
    const database = await useTestDatabase({ server: 'throwaway' });
    expect(database.kind).toBe('throwaway');
    const url = new URL(database.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).not.toBe('5432');
    const [row] = await query<{ server_version: string }>(database.url, 'SHOW server_version');
    expect(row?.server_version).toMatch(/^\d+/);
    await database.close();
    await expect(query(database.url, 'SELECT 1')).rejects.toThrow();
  }, 60_000);

  it('names tables uniquely and refuses labels that are not identifiers', () => {
    expect(testTableName('audit')).toMatch(/^cpt_audit_[0-9a-z]{8}$/);
    expect(testTableName('audit')).not.toBe(testTableName('audit'));
    expect(() => testTableName('Bad-Label')).toThrow(TypeError);
  });
});
