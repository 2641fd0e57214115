import { CheckpointError, isCheckpointError } from '@checkpoint/core';
import { completeLogin, otpFactor, passwordFactor, requestContext } from '@checkpoint/passport';
import express, { type Request, type Response, type Router } from 'express';
import { type DemoContext, render } from '../../DemoContext.js';
import { hashPassword } from '../../data/Users.js';
import { field } from '../../http/authenticate.js';
import { html } from '../../http/html.js';
import { newFlow, otpForm } from '../otpFlow.js';

const ERRORS: Record<string, string> = {
  invalid_number: 'That is not a valid mobile number (use the +1… international format).',
  fraud_detected: 'We cannot send codes to that number (premium-rate or blocked line).',
  country_blocked: 'We cannot send codes to numbers in that country.',
  rate_limited: 'Too many codes were requested. Try again later.',
};

/**
 * Sign-up with phone verification (the `signup` checkpoint): the account exists only once the
 * code sent to the phone is entered; then password + code sign the new member in (AAL2).
 */
export function signupRoutes(ctx: DemoContext): Router {
  const router = express.Router();

  const signupPage = (req: Request, res: Response, error?: string, status = 200): void => {
    render(ctx, req, res, {
      title: 'Create your account',
      status,
      body: html`${error === undefined ? '' : html`<p class="error" role="alert">${error}</p>`}
<form method="post" action="/signup" class="card">
  <label>Workspace <select name="tenant">${[...ctx.tenants.values()].map(
    (tenant) => html`<option value="${tenant.id}">${tenant.name}</option>`,
  )}</select></label>
  <label>Name <input name="name" autocomplete="name" required maxlength="80"></label>
  <label>Work email <input name="email" type="email" autocomplete="email" required></label>
  <label>Mobile number <input name="phone" type="tel" autocomplete="tel" placeholder="+14155550123" required></label>
  <label>Password <input name="password" type="password" autocomplete="new-password" minlength="12" required></label>
  <p class="hint">We text a code to verify the number. Message rates may apply.</p>
  <button type="submit">Send code</button>
</form>`,
    });
  };

  router.get('/signup', (req, res) => signupPage(req, res));

  router.post('/signup', async (req, res) => {
    const name = field(req.body, 'name', 80);
    const email = field(req.body, 'email', 254).toLowerCase();
    const phone = field(req.body, 'phone', 32);
    const password = field(req.body, 'password', 200);
    const tenantId = field(req.body, 'tenant', 40);
    if (!ctx.tenants.has(tenantId) || name === '' || !email.includes('@') || password.length < 12) {
      signupPage(req, res, 'Fill in every field; the password needs at least 12 characters.', 400);
      return;
    }
    if (ctx.users.byEmail(email) !== undefined) {
      signupPage(req, res, 'That email already has an account: log in instead.', 409);
      return;
    }
    try {
      const sent = await ctx.checkpoint.send({
        to: phone,
        purpose: 'signup',
        tenantId,
        context: requestContext(req),
      });
      const e164 = (await ctx.checkpoint.get(sent.id)).to.phone?.e164 ?? phone;
      req.session.signup = { name, email, phone: e164, tenantId, password: hashPassword(password) };
      req.session.flow = newFlow({
        kind: 'signup',
        verificationId: sent.id,
        to: e164,
        channel: sent.channel,
        tenantId,
        now: ctx.now(),
      });
      res.redirect(303, '/signup/verify');
    } catch (error) {
      if (!isCheckpointError(error)) throw error;
      signupPage(
        req,
        res,
        ERRORS[error.code] ?? `No code could be sent (${error.code}).`,
        error.status,
      );
    }
  });

  const verifyPage = (req: Request, res: Response, error?: string, status = 200): void => {
    const flow = req.session.flow;
    if (flow?.kind !== 'signup') return res.redirect(303, '/signup');
    render(ctx, req, res, {
      title: 'Verify your phone',
      status,
      scripts: ['otp.js'],
      body: otpForm(flow, '', error),
    });
  };

  router.get('/signup/verify', (req, res) => verifyPage(req, res));

  router.post('/signup/verify', async (req, res) => {
    const flow = req.session.flow;
    const pending = req.session.signup;
    if (flow?.kind !== 'signup' || flow.verificationId === undefined || pending === undefined) {
      return res.redirect(303, '/signup');
    }
    const result = await ctx.checkpoint
      .check({
        id: flow.verificationId,
        code: field(req.body, 'code', 10),
        purpose: 'signup',
        tenantId: flow.tenantId,
        context: requestContext(req),
      })
      .catch((error: unknown) => {
        if (isCheckpointError(error) && ['not_found', 'invalid_request'].includes(error.code)) {
          return { status: error.code, remainingAttempts: 0 };
        }
        throw error;
      });
    if (result.status !== 'approved') {
      const left = result.status === 'failed' ? ` ${result.remainingAttempts} attempts left.` : '';
      verifyPage(req, res, `That code was not accepted (${result.status}).${left}`, 401);
      return;
    }
    const verification = await ctx.checkpoint.get(flow.verificationId);
    const user = ctx.users.create({ ...pending, role: 'member' });
    ctx.activity.record({
      tenantId: pending.tenantId,
      userId: user.id,
      type: 'account.created',
      detail: `${user.email} joined with a verified phone`,
    });
    const tenant = ctx.tenants.get(pending.tenantId);
    const login = await completeLogin(req, {
      user,
      tenantId: pending.tenantId,
      factors: [passwordFactor({ at: ctx.now() }), otpFactor(verification, { at: ctx.now() })],
      ...(tenant === undefined ? {} : { tenant: tenant.policy }),
    });
    if (!login.authenticated)
      throw new CheckpointError('invalid_request', 'sign-up did not reach AAL2');
    req.session.flash = `Welcome, ${user.name}. Your phone is verified.`;
    res.redirect(303, '/');
  });

  return router;
}
