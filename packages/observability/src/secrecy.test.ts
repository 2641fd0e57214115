// Logs, metrics and SIEM lines leave the application: none may carry a code, a full phone number,
// an email address or (in metrics) an IP, even when the app itself logs carelessly.
import { PassThrough } from 'node:stream';
import { MemoryAuditLog } from '@checkpoint/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { EMAIL, IP, PHONES, runScript } from './fixtures/scriptedFlows.js';
import { redactingLogger } from './logging/redactingLogger.js';
import { metricsAuditLog } from './metrics/metricsAuditLog.js';
import { jsonLinesAuditLog } from './siem/jsonLinesAuditLog.js';

describe('everything Checkpoint emits after a scripted set of flows', () => {
  it('holds no code, no full phone number and no email; metrics hold no IP either', async () => {
    const logLines: string[] = [];
    const record =
      (level: string) =>
      (...args: unknown[]) => {
        logLines.push(`${level} ${JSON.stringify(args)}`);
      };
    const logger = redactingLogger({
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    });
    const siem = new PassThrough();
    let siemText = '';
    siem.on('data', (chunk: Buffer) => {
      siemText += chunk.toString('utf8');
    });
    const registry = new Registry();
    const memory = new MemoryAuditLog();
    const auditLog = metricsAuditLog(jsonLinesAuditLog({ stream: siem, inner: memory }), {
      registry,
    });
    const { checkpoint, codes } = await runScript(auditLog, logger);

    // An app that logs carelessly through the same logger.
    for (const code of codes) {
      logger.info(
        { to: PHONES.approved, email: EMAIL, code },
        `sent ${code} to ${PHONES.approved} (${EMAIL})`,
      );
    }
    logger.child({ phone: PHONES.retried }).warn('retry for %s', EMAIL);
    await checkpoint.close();

    const places = {
      logs: logLines.join('\n'),
      metrics: await registry.metrics(),
      siem: siemText,
      audit: memory.dump(),
    };
    expect(codes.length).toBeGreaterThanOrEqual(6);
    expect(logLines.length).toBeGreaterThan(codes.length);
    for (const [place, text] of Object.entries(places)) {
      expect(text.length).toBeGreaterThan(100);
      for (const code of codes) {
        const found = new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`).test(text);
        expect({ place, code, found }).toEqual({ place, code, found: false });
      }
      for (const phone of Object.values(PHONES)) {
        expect({ place, phone, found: text.includes(phone.slice(2)) }).toEqual({
          place,
          phone,
          found: false,
        });
      }
      expect({ place, email: /[\w.+-]+@[\w-]+\.[\w.]+/.test(text) }).toEqual({
        place,
        email: false,
      });
    }
    expect(places.metrics).not.toContain(IP);
    // The audit trail keeps the IP (a reviewer asks for it); the metrics never do.
    expect(places.audit).toContain(IP);
  });
});
