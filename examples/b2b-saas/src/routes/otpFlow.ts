import { type Checkpoint, isCheckpointError, maskEmail, maskPhone } from '@checkpoint/core';
import { requestContext } from '@checkpoint/passport';
import type { Request, Response } from 'express';
import { html, type SafeHtml } from '../http/html.js';
import type { OtpFlow } from '../http/session.js';

/** Core's default resend cooldown (30 s), doubling with each resend. */
const COOLDOWN_SECONDS = 30;

/** The path of the page that asks for the code of each flow. */
export const FLOW_PAGES: Record<OtpFlow['kind'], string> = {
  login: '/login/otp',
  signup: '/signup/verify',
  reset: '/reset/verify',
};

/** A masked destination for pages: never the full number or address. */
export function masked(to: string): string {
  return to.includes('@') ? maskEmail(to) : maskPhone(to, '');
}

/** A flow for a code just sent. */
export function newFlow(
  fields: Omit<OtpFlow, 'resendAt' | 'resends' | 'sentTo'> & { to: string; now: number },
): OtpFlow {
  const { to, now, ...rest } = fields;
  return { ...rest, sentTo: masked(to), resendAt: now + COOLDOWN_SECONDS * 1_000, resends: 0 };
}

/**
 * Sends another code for the flow (earlier codes stay valid), over `channel` when given. A
 * cooldown refusal moves `resendAt` to what core says. Resolves with a notice for the page.
 */
export async function resendFlow(
  checkpoint: Checkpoint,
  req: Request,
  flow: OtpFlow,
  channel: string | undefined,
  now: number,
): Promise<string> {
  try {
    if (flow.verificationId !== undefined) {
      const sent = await checkpoint.resend(flow.verificationId, {
        context: requestContext(req),
        ...(channel === undefined ? {} : { channel }),
      });
      flow.channel = sent.channel;
    } else if (channel !== undefined) {
      flow.channel = channel;
    }
    flow.resends += 1;
    flow.resendAt = now + COOLDOWN_SECONDS * 2 ** flow.resends * 1_000;
    return `A new code is on its way by ${flow.channel}. Earlier codes still work.`;
  } catch (error) {
    if (isCheckpointError(error) && error.code === 'rate_limited') {
      flow.resendAt = now + (error.retryAfter ?? COOLDOWN_SECONDS) * 1_000;
      return `Please wait ${error.retryAfter ?? COOLDOWN_SECONDS} s before asking for another code.`;
    }
    if (isCheckpointError(error)) return `No new code could be sent (${error.code}).`;
    throw error;
  }
}

/**
 * The code form: `autocomplete="one-time-code"` so the platform offers the code from the SMS,
 * WebOTP in otp.js as a progressive enhancement, and a resend button with a visible cooldown.
 */
export function otpForm(flow: OtpFlow, extra: SafeHtml | string = '', error?: string): SafeHtml {
  const action = FLOW_PAGES[flow.kind];
  return html`<p>We sent a code by <strong>${flow.channel}</strong> to <strong>${flow.sentTo}</strong>.</p>
${error === undefined ? '' : html`<p class="error" role="alert">${error}</p>`}
<form method="post" action="${action}" class="card" data-otp-form>
  <label>Code <input name="code" id="code" autocomplete="one-time-code" inputmode="numeric"
    pattern="[0-9]{4,10}" maxlength="10" required autofocus></label>
  ${extra}
  <button type="submit">Verify</button>
</form>
<form method="post" action="/otp/resend" class="resend">
  <select name="channel" aria-label="Channel">
    <option value="sms">SMS</option><option value="whatsapp">WhatsApp</option>
  </select>
  <button type="submit" data-resend-at="${flow.resendAt}">Resend code</button>
</form>`;
}

/** `POST /otp/resend`: another code for the session's flow, then back to its page. */
export function resendHandler(checkpoint: Checkpoint, now: () => number) {
  return async (req: Request, res: Response): Promise<void> => {
    const flow = req.session.flow;
    if (flow === undefined) {
      res.redirect(303, '/login');
      return;
    }
    const wanted =
      typeof req.body === 'object' && req.body !== null
        ? (req.body as Record<string, unknown>)['channel']
        : undefined;
    const channel = wanted === 'sms' || wanted === 'whatsapp' ? wanted : undefined;
    req.session.flash = await resendFlow(checkpoint, req, flow, channel, now());
    res.redirect(303, FLOW_PAGES[flow.kind]);
  };
}
