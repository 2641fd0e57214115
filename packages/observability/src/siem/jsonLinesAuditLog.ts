import { once } from 'node:events';
import type { Writable } from 'node:stream';
import {
  type AuditEvent,
  type AuditExportFormat,
  type AuditLog,
  type AuditQuery,
  exportAudit,
  type RetentionDays,
  retentionResolver,
} from '@checkpoint/core';
import { DayFiles } from './DayFiles.js';

/** Options of {@link jsonLinesAuditLog}: a `stream` or a `directory`. */
export type JsonLinesAuditLogOptions = (
  | {
      /** Where each event goes as one JSON line (a file stream, a socket, stdout for a log shipper). */
      stream: Writable;
      directory?: never;
    }
  | {
      /**
       * A directory of per-tenant daily files, `<directory>/<tenant>/<YYYY-MM-DD>.jsonl`, that a
       * SIEM agent tails (Filebeat, Splunk UF, Vector). Whole files past a tenant's retention are
       * deleted.
       */
      directory: string;
      stream?: never;
    }
) & {
  /** The audit log reads go to (`checkpoint.audit(id)`, queries); without it, see the README. */
  inner?: AuditLog;
  /** Days a tenant's events are kept (directory files; late events). @default 365 */
  retentionDays?: RetentionDays;
  /** Clock for retention, epoch ms. @default Date.now */
  now?: () => number;
  /** Called when the sink could not write an event or prune; the append still rejects. @default console.error */
  onError?: (error: unknown) => void;
};

/** The audit log {@link jsonLinesAuditLog} returns. */
export interface JsonLinesAuditLog extends AuditLog {
  /** Streams a tenant's events as JSON lines or CSV (from `inner`, or from the directory). */
  export(query: AuditQuery, format: AuditExportFormat): AsyncGenerator<string>;
  /** Deletes daily files past each tenant's retention (directory mode); resolves with how many. */
  enforceRetention(): Promise<number>;
}

/**
 * A pass-through audit sink for a SIEM: every event is written as one JSON line — the same line
 * `exportAudit(…, 'jsonl')` writes — to a stream, or to per-tenant daily files in a directory, and
 * appended to `inner` when given (reads go there). Destinations are already a keyed hash and a
 * masked form, and no code is ever in an event.
 *
 * Retention: in directory mode, files whose day is past the tenant's retention are deleted (on
 * the first append of each UTC day and by `enforceRetention()`), so per-tenant retention holds to
 * the day. A stream cannot be recalled: the sink drops only events that arrive already past their
 * retention, and the SIEM's index retention must be set to at least the longest tenant's
 * (route by the `tenantId` field for per-tenant indexes).
 *
 * @example
 * const auditLog = jsonLinesAuditLog({ inner: new PostgresAuditLog({ pool }), directory: '/var/log/checkpoint-audit' });
 * const checkpoint = createCheckpoint({ secret, channels, auditLog });
 */
export function jsonLinesAuditLog(options: JsonLinesAuditLogOptions): JsonLinesAuditLog {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('jsonLinesAuditLog requires { stream } or { directory }');
  }
  const { stream, directory, inner, retentionDays, now = Date.now, onError } = options;
  if ((stream === undefined) === (directory === undefined)) {
    throw new TypeError(
      'jsonLinesAuditLog requires exactly one of `stream` (a Writable) or `directory` (a path)',
    );
  }
  if (stream !== undefined && typeof stream.write !== 'function') {
    throw new TypeError('jsonLinesAuditLog: `stream` must be a Writable');
  }
  if (inner !== undefined && typeof inner.append !== 'function') {
    throw new TypeError('jsonLinesAuditLog: `inner` must be an AuditLog');
  }
  const retentionMs = retentionResolver(retentionDays, 'jsonLinesAuditLog');
  const report =
    onError ?? ((error: unknown) => console.error('checkpoint: SIEM audit sink', error));
  const files = directory === undefined ? undefined : new DayFiles(directory);
  let prunedDay = -1;

  const enforceRetention = async (): Promise<number> =>
    files === undefined ? 0 : files.prune(now(), retentionMs);

  const write = async (event: AuditEvent): Promise<void> => {
    const time = now();
    if (event.at < time - (await retentionMs(event.tenantId))) return;
    const line = `${JSON.stringify(event)}\n`;
    if (files !== undefined) {
      const day = Math.floor(time / 86_400_000);
      if (day !== prunedDay) {
        prunedDay = day;
        await enforceRetention().catch(report);
      }
      await files.append(event, line);
      return;
    }
    if (stream === undefined) return;
    if (!stream.write(line)) await once(stream, 'drain');
  };

  const reads = (): AuditLog => {
    if (inner !== undefined) return inner;
    if (files !== undefined) return files.reader(now, retentionMs);
    throw new TypeError(
      'jsonLinesAuditLog: a stream cannot be read back; pass `inner` (the audit log reads go to)',
    );
  };

  return {
    async append(event) {
      let failure: { error: unknown } | undefined;
      try {
        await inner?.append(event);
      } catch (error) {
        failure = { error };
      }
      try {
        await write(event);
      } catch (error) {
        report(error);
        failure ??= { error };
      }
      if (failure !== undefined) throw failure.error;
    },
    byVerification: async (verificationId) => reads().byVerification(verificationId),
    query: (query) => reads().query(query),
    export(query, format) {
      if (format !== 'jsonl' && format !== 'csv') {
        throw new TypeError('jsonLinesAuditLog.export: `format` must be "jsonl" or "csv"');
      }
      return exportAudit(reads().query(query), format);
    },
    enforceRetention,
  };
}
