import { MemoryAuditLog } from '../audit/MemoryAuditLog.js';
import type { Channel } from '../channels/Channel.js';
import { type OutboxChannel, outboxChannel } from '../channels/outboxChannel.js';
import { type CheckpointOptions, createCheckpoint } from '../lifecycle/createCheckpoint.js';
import type { Logger } from '../lifecycle/Logger.js';
import { InProcessScheduler } from '../scheduler/InProcessScheduler.js';
import { MemoryStore } from '../store/MemoryStore.js';
import { ManualClock } from './ManualClock.js';

/** @internal A logger that keeps every call, for tests that read what was logged. */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (fields: Record<string, unknown>, message?: string): void => {
      lines.push(`${level} ${message ?? ''} ${JSON.stringify(fields)}`);
    };
  return {
    lines,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

/** @internal Secret used by core's own tests. */
export const TEST_SECRET = 'core-tests-secret-please-rotate-0123456789';

/**
 * @internal
 * A checkpoint on a MemoryStore with a manual clock, an SMS and a voice outbox (both phone) and an
 * email outbox, a captured logger and an in-memory audit log.
 */
export function harness(options: Partial<CheckpointOptions> = {}) {
  const clock = new ManualClock();
  const sms = outboxChannel({ name: 'sms' });
  const voice = outboxChannel({ name: 'voice' });
  const email = outboxChannel({ name: 'email', kind: 'email' });
  const store = new MemoryStore();
  const auditLog = new MemoryAuditLog();
  const logger = captureLogger();
  const scheduler = new InProcessScheduler({
    clock,
    onError: (error, job) => logger.error({ err: String(error), job: job.kind }, 'job failed'),
  });
  const checkpoint = createCheckpoint({
    secret: TEST_SECRET,
    channels: [sms, voice, email] as Channel[],
    store,
    auditLog,
    clock,
    logger,
    scheduler,
    ...options,
  });
  const codeFor = (to: string, outbox: OutboxChannel = sms): string =>
    outbox.latest(to)?.code ?? '';
  const wrongFor = (code: string): string => (code === '000000' ? '111111' : '000000');
  return {
    checkpoint,
    clock,
    sms,
    voice,
    email,
    store,
    auditLog,
    logger,
    scheduler,
    codeFor,
    wrongFor,
  };
}
