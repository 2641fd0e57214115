import { type Checkpoint, isCheckpointError } from '@checkpoint/core';
import type { DevInbox } from '../infra/DevInbox.js';

/** One scripted send: who, why, over what, and whether the "user" enters the code. */
interface Scripted {
  to: string;
  purpose: string;
  tenantId: string;
  channel?: string;
  enters: boolean;
  /** The visitor's address; each run has its own documentation-range IP otherwise. */
  ip?: string;
}

function script(): Scripted[] {
  const runs: Scripted[] = [];
  for (let index = 0; index < 36; index += 1) {
    const purpose = ['login', 'login', 'signup', 'password_reset'][index % 4] ?? 'login';
    const tenantId = index % 3 === 0 ? 'globex' : 'acme';
    const email = index % 9 === 4;
    runs.push({
      // NANP fiction numbers (555-01XX) over a few area codes: what the sandbox delivers.
      to: email
        ? `seed${index}@customer.example`
        : `+1${AREA_CODES[index % AREA_CODES.length]}55501${String(index).padStart(2, '0')}`,
      purpose,
      tenantId,
      ...(email ? { channel: 'email' } : index % 5 === 1 ? { channel: 'whatsapp' } : {}),
      // Sign-ups convert worse than logins, resets worst: what an operator expects to see.
      enters:
        purpose === 'login'
          ? index % 10 !== 0
          : purpose === 'signup'
            ? index % 3 !== 2
            : index % 8 === 3,
    });
  }
  // Toll-fraud attempts the default guards refuse: premium-rate numbers and a sanctioned country.
  for (const to of ['+19005550111', '+19005550112', '+19005550113', '+5352123456', '+5352123457']) {
    runs.push({ to, purpose: 'signup', tenantId: 'acme', enters: false });
  }
  // A pumping bot walking one block of mobile numbers, rotating addresses in one hosting range:
  // the default guards let the first 20 of its sends through and refuse the rest
  // (`pumping:prefix_burst`).
  for (let index = 0; index < 24; index += 1) {
    runs.push({
      to: `+44740099${String(index).padStart(4, '0')}`,
      purpose: 'signup',
      tenantId: 'acme',
      enters: false,
      ip: `203.0.113.${66 + index}`,
    });
  }
  return runs;
}

const AREA_CODES = ['415', '212', '312', '617', '206', '512'];

/**
 * Runs a scripted morning of traffic through the real Checkpoint (sends, checks, refusals), so
 * the dashboard has data on first start. Each run has its own documentation-range IP, like
 * distinct visitors; the inbox is emptied afterwards.
 */
export async function seedTraffic(checkpoint: Checkpoint, inbox: DevInbox): Promise<void> {
  inbox.quiet = true;
  try {
    let visitor = 0;
    for (const run of script()) {
      visitor += 1;
      const context = { ip: run.ip ?? `198.51.100.${visitor}` };
      try {
        const sent = await checkpoint.send({
          to: run.to,
          purpose: run.purpose,
          tenantId: run.tenantId,
          context,
          ...(run.channel === undefined ? {} : { channels: [run.channel] }),
        });
        const text = inbox.latest(run.to)?.text ?? '';
        const code = /\b(\d{6})\b/.exec(text)?.[1];
        if (run.enters && code !== undefined)
          await checkpoint.check({ id: sent.id, code, context });
      } catch (error) {
        // Refusals are the point of the fraud rows; anything else is a real failure.
        if (!isCheckpointError(error) || error.status >= 500) throw error;
      }
    }
  } finally {
    inbox.clear();
    inbox.quiet = false;
  }
}
