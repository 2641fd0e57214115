import { randomInt } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';
import { type PostgresServerHandle, startPostgresServer } from './postgresServer.js';

/** What {@link useTestDatabase} resolves with. */
export interface TestDatabase {
  /** A connection string for the test's own database (or `DATABASE_URL`). */
  readonly url: string;
  /**
   * Where it is: `DATABASE_URL` (a database given to the run: use {@link testTableName} tables),
   * `local` (a database created for the caller on the server at 127.0.0.1:5432) or `throwaway`
   * (a private cluster started for the caller).
   */
  readonly kind: 'DATABASE_URL' | 'local' | 'throwaway';
  /** Drops the database the harness created, or stops the cluster it started. */
  close(): Promise<void>;
}

/** Options of {@link useTestDatabase}. */
export interface TestDatabaseOptions {
  /** `auto` tries DATABASE_URL, then the local server, then a throwaway cluster. @default 'auto' */
  server?: 'auto' | 'local' | 'throwaway';
}

const LOCAL_HOST = '127.0.0.1';
const LOCAL_PORT = 5432;

/**
 * A PostgreSQL database for a test file. `DATABASE_URL` when set (the harness creates nothing
 * there but what the tests do: use {@link testTableName} names and drop them after). Otherwise a
 * new database (`cpt_<random>`) on the server at 127.0.0.1:5432 when one accepts a connection
 * (as PGUSER, `postgres` or the OS user), dropped by `close()`. Otherwise a throwaway cluster
 * started with initdb + postgres on a free loopback port. Never touches another database.
 *
 * @example
 * let db: TestDatabase;
 * beforeAll(async () => { db = await useTestDatabase(); pool = new pg.Pool({ connectionString: db.url }); });
 * afterAll(async () => { await pool.end(); await db.close(); });
 */
export async function useTestDatabase({
  server = 'auto',
}: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const given = process.env['DATABASE_URL'];
  if (server === 'auto' && given !== undefined && given !== '') {
    return { url: given, kind: 'DATABASE_URL', close: async () => {} };
  }
  if (server !== 'throwaway') {
    const admin = await localAdminUrl();
    if (admin !== undefined) return createDatabase(admin, 'local');
    if (server === 'local')
      throw new Error(`no PostgreSQL server answers at ${LOCAL_HOST}:${LOCAL_PORT}`);
  }
  const cluster = await startPostgresServer();
  try {
    return await createDatabase(cluster.url, 'throwaway', cluster);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

/**
 * A table name unique to one test (`cpt_<label>_<8 random chars>`), for a shared `DATABASE_URL`.
 * @example const table = testTableName('audit'); // 'cpt_audit_k3v9x0qa'
 */
export function testTableName(label = 't'): string {
  if (!/^[a-z][a-z0-9_]{0,20}$/.test(label)) {
    throw new TypeError('testTableName: label must be 1 to 21 lower-case letters, digits or _');
  }
  return `cpt_${label}_${randomInt(36 ** 8)
    .toString(36)
    .padStart(8, '0')}`;
}

async function localAdminUrl(): Promise<string | undefined> {
  const users = [process.env['PGUSER'], 'postgres', userInfo().username].filter(
    (user): user is string => user !== undefined && user !== '',
  );
  for (const user of new Set(users)) {
    const url = `postgres://${encodeURIComponent(user)}@${LOCAL_HOST}:${LOCAL_PORT}/postgres`;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT rolcreatedb OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user',
      );
      if (rows[0]?.ok === true) return url;
    } catch {
      // Not this user, or no server: try the next.
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
}

async function createDatabase(
  adminUrl: string,
  kind: 'local' | 'throwaway',
  cluster?: PostgresServerHandle,
): Promise<TestDatabase> {
  const name = testTableName('db');
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind,
    async close() {
      await withClient(adminUrl, async (client) => {
        // Only this test's own database: end its leftover sessions, then drop it.
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
      });
      await cluster?.stop();
    },
  };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
