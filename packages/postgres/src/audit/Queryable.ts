import type { QueryResult, QueryResultRow } from 'pg';

/**
 * What the audit log needs of `pg`: a `Pool` (recommended) or a `Client`. Every statement is a
 * single `query`, so no connection is held between calls — not even during a long export.
 */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<QueryResult<R>>;
}
