// Peak RSS and throughput of streaming a large audit export (issue 8: "exporting 1,000,000 events
// keeps memory bounded"). A benchmark, not a test: `pnpm bench` calls benchAuditExport.
import { type AuditEvent, type AuditExportFormat, MemoryAuditLog } from '@checkpoint/core';

/** A sink under test: `prepare` fills it with `count` events of one tenant and returns its export. */
export interface ExportBenchSink {
  readonly name: string;
  prepare(count: number): Promise<{
    export(format: AuditExportFormat): AsyncIterable<string>;
    cleanup(): Promise<void>;
  }>;
}

/** One export, measured. Memory figures are in MiB. */
export interface ExportMeasurement {
  sink: string;
  format: AuditExportFormat;
  events: number;
  /** UTF-8 bytes exported. */
  bytes: number;
  seconds: number;
  eventsPerSecond: number;
  mibPerSecond: number;
  /** RSS when the export started (the sink already filled). */
  rssBeforeMiB: number;
  /** Highest RSS seen during the export (sampled every 1,000 chunks). */
  peakRssMiB: number;
  /** peakRss − rssBefore: what the export itself cost. */
  rssGrowthMiB: number;
  /** The export's size, for comparison with the growth. */
  exportMiB: number;
}

const MIB = 1_048_576;

/** Streams one export to nowhere, sampling RSS, and measures it. */
export async function measureExport(
  sink: string,
  format: AuditExportFormat,
  chunks: AsyncIterable<string>,
): Promise<ExportMeasurement> {
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  let bytes = 0;
  let count = 0;
  const started = process.hrtime.bigint();
  for await (const chunk of chunks) {
    bytes += Buffer.byteLength(chunk);
    count += 1;
    if (count % 1_000 === 0) peak = Math.max(peak, process.memoryUsage.rss());
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peak = Math.max(peak, process.memoryUsage.rss());
  // A CSV export's first chunk is its header.
  const events = format === 'csv' ? count - 1 : count;
  return {
    sink,
    format,
    events,
    bytes,
    seconds,
    eventsPerSecond: events / seconds,
    mibPerSecond: bytes / MIB / seconds,
    rssBeforeMiB: rssBefore / MIB,
    peakRssMiB: peak / MIB,
    rssGrowthMiB: (peak - rssBefore) / MIB,
    exportMiB: bytes / MIB,
  };
}

/** Options of {@link benchAuditExport}. */
export interface BenchAuditExportOptions {
  /** Sinks, measured one after another (put the ones holding events in memory last). */
  sinks: readonly ExportBenchSink[];
  /** @default 1_000_000 */
  events?: number;
  /** @default ['jsonl', 'csv'] */
  formats?: readonly AuditExportFormat[];
  log?: (line: string) => void;
}

/**
 * Fills each sink with `events` events and measures a streamed export of them in each format:
 * throughput and RSS growth against the export's size.
 *
 * @example
 * const results = await benchAuditExport({ sinks: [postgresExportSink(), memoryExportSink()] });
 * for (const line of exportTable(results)) console.log(line);
 */
export async function benchAuditExport({
  sinks,
  events = 1_000_000,
  formats = ['jsonl', 'csv'],
  log = () => undefined,
}: BenchAuditExportOptions): Promise<ExportMeasurement[]> {
  const results: ExportMeasurement[] = [];
  for (const sink of sinks) {
    log(`audit export: filling ${sink.name} with ${events.toLocaleString('en')} events…`);
    const prepared = await sink.prepare(events);
    try {
      for (const format of formats) {
        const result = await measureExport(sink.name, format, prepared.export(format));
        if (result.events !== events) {
          throw new Error(`${sink.name} exported ${result.events} events of ${events} (${format})`);
        }
        results.push(result);
        log(
          `audit export ${sink.name} ${format}: ${result.eventsPerSecond.toFixed(0)} events/s, RSS +${result.rssGrowthMiB.toFixed(1)} MiB for ${result.exportMiB.toFixed(0)} MiB exported`,
        );
      }
    } finally {
      await prepared.cleanup();
    }
  }
  return results;
}

/** The results as a Markdown table, for README.md. */
export function exportTable(results: readonly ExportMeasurement[]): string[] {
  return [
    '| sink | format | events | exported MiB | events/s | MiB/s | RSS before MiB | peak RSS MiB | RSS growth MiB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.sink} | ${r.format} | ${r.events.toLocaleString('en')} | ${r.exportMiB.toFixed(0)} | ${r.eventsPerSecond.toFixed(0)} | ${r.mibPerSecond.toFixed(1)} | ${r.rssBeforeMiB.toFixed(0)} | ${r.peakRssMiB.toFixed(0)} | ${r.rssGrowthMiB.toFixed(1)} |`,
    ),
  ];
}

const FROM = Date.UTC(2026, 9, 1);

/** An event shaped like core's `verification.checked` (about 450 bytes of JSON). */
export function benchEvent(index: number): AuditEvent {
  const verificationId = `vf_seed${Math.floor(index / 4)}`;
  return {
    id: `ae_seed${index}`,
    at: FROM + index,
    type: 'verification.checked',
    tenantId: 'bench',
    verificationId,
    purpose: 'login',
    destination: {
      kind: 'phone',
      hash: `k1:${verificationId.padEnd(32, '0')}`,
      masked: `+1 \u2022\u2022\u2022 \u2022\u2022\u2022 ${String(index % 10_000).padStart(4, '0')}`,
      country: 'US',
    },
    context: {
      ip: `203.0.113.${index % 250}`,
      asn: 64_500,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Bench/1.0',
      deviceId: `dev-${index % 5_000}`,
    },
    channel: 'sms',
    result: 'approved',
    latencyMs: 1_000 + (index % 50_000),
    data: { evaluated: 1, attempt: 1, remainingAttempts: 4 },
  };
}

/**
 * The in-process baseline: MemoryAuditLog holding the events (its own memory is the events; the
 * measured growth is the export's).
 */
export function memoryExportSink(): ExportBenchSink {
  return {
    name: 'MemoryAuditLog',
    async prepare(count) {
      let log: MemoryAuditLog | undefined = new MemoryAuditLog({ now: () => FROM + count });
      for (let index = 0; index < count; index += 1) await log.append(benchEvent(index));
      return {
        export: (format) => (log as MemoryAuditLog).export({ tenantId: 'bench' }, format),
        cleanup: async () => {
          log = undefined;
        },
      };
    },
  };
}
