import type { DestinationInput } from '../destination/normalizeDestination.js';
import type { RequestContext } from '../audit/AuditEvent.js';
import { planChannels, selectChannels } from './send/channelPlan.js';
import { countSend } from './send/countSend.js';
import { deliver } from './send/deliver.js';
import { askFreeGuards, askPaidChecks, screenCountry } from './send/screen.js';
import { readSendRequest } from './send/sendRequest.js';
import type { Runtime } from './runtime.js';

/** Input of `checkpoint.send()`. */
export interface SendInput {
  /** E.164 phone number, email address, or both (`{ phone, email }`) for cross-channel fallback. */
  to: DestinationInput;
  /** The checkpoint this code is for (`signup`, `login`, `billing_change`, …); a code never crosses purposes. */
  purpose: string;
  /** @default 'default' */
  tenantId?: string;
  /** User id or session binding; when set, `check` with another subject never approves. */
  subject?: string;
  /** Channel names in fallback order, overriding the tenant's order. */
  channels?: string[];
  locale?: string;
  context?: RequestContext;
  /**
   * What this code approves, shown in the message: "123456 approves changing the billing card
   * to …4242". For step-ups bound to an action (PSD2-style dynamic linking). At most 120 characters.
   */
  approving?: string;
  /**
   * The origin of the page the user asked from (`'https://shop.example.com'`), for the WebOTP
   * line when the checkpoint has no `origin` of its own (which then wins). Not stored: a
   * fallback sent later by a timer carries the checkpoint's origin only.
   */
  origin?: string;
}

/** Result of `send()` and `resend()`. */
export interface SendResult {
  id: string;
  status: 'pending';
  /** The channel that took the code. */
  channel: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  auditEventId: string;
}

/**
 * @internal
 * The send mechanism, cheapest refusal first: each step runs only for a send every earlier one let
 * through, so nothing is paid for or counted on behalf of a request a free check refuses.
 */
export async function send(runtime: Runtime, raw: unknown): Promise<SendResult> {
  // 1. Validation: fields, tenant config, the destination normalised; the channels that reach it.
  const request = await readSendRequest(runtime, raw);
  const { config, destination } = request;
  const candidates = selectChannels(runtime, config, request.requestedChannels, destination);
  // 2. Country policy: a denied or sanctioned country is `country_blocked`, whatever the number.
  await screenCountry(request);
  // 3. Free guards: line type, allowlists — no I/O.
  await askFreeGuards(request);
  // 4. What costs money: the carrier lookup, paid guards (reputation services).
  const lookup = await askPaidChecks(request);
  const plan = planChannels(runtime, config, destination, candidates, [], lookup);
  if (plan.refusal !== undefined) return request.refuse(plan.refusal);
  // 5. Counters: velocity caps and the counting guards, opt-outs, the create — one store step.
  const counted = await countSend(request, candidates, plan, lookup);
  // 6. Dispatch: the code to the first channel that takes it; audit; timers.
  return deliver(request, counted, lookup);
}
