import type { Request } from 'express';
import type { AuthFactor } from '../authState/AuthState.js';
import { passwordFactor } from '../authState/factors.js';
import { regenerate, save } from './sessionOf.js';

/**
 * Input of {@link beginSecondFactor}.
 *
 * @example
 * const input: BeginSecondFactorInput = { userId: user.id, factors: [passwordFactor()] };
 */
export interface BeginSecondFactorInput {
  /** The user whose first factor was just verified. */
  userId: string;
  /** What that user proved. @default [passwordFactor()] */
  factors?: readonly AuthFactor[];
  /** The tenant the user signs in to; {@link completeLogin} judges the login under it. @default the OTP's tenant, else 'default' */
  tenantId?: string;
}

/**
 * Records a half-done login after the first factor (passport-local's password): a new session
 * id, then `req.session.pendingUserId` and `req.session.pendingFactors`. Send the OTP next, with
 * `subject: userId`; an {@link OtpStrategy} with `subject: pendingUserId` and then
 * {@link completeLogin} finish the login.
 *
 * The session id changes here already: a password is a partial authentication, and an id planted
 * before it must not carry the pending user (ASVS V7.2.4). Anything else in the session is dropped.
 *
 * @example
 * app.post('/login/password', passport.authenticate('local', { session: false }), async (req, res) => {
 *   const user = req.user as User;
 *   await beginSecondFactor(req, { userId: user.id });
 *   const { id } = await checkpoint.send({ to: user.phone, purpose: 'login', subject: user.id, context: requestContext(req) });
 *   res.status(202).json({ id });
 * });
 * @see https://github.com/OWASP/ASVS (V7.2.4, new session token on authentication)
 */
export async function beginSecondFactor(
  req: Request,
  { userId, factors = [passwordFactor()], tenantId }: BeginSecondFactorInput,
): Promise<void> {
  if (typeof userId !== 'string' || userId === '') {
    throw new TypeError(
      'beginSecondFactor requires `userId`: the id of the user who passed the first factor',
    );
  }
  const list: unknown = factors;
  if (!Array.isArray(list)) {
    throw new TypeError('beginSecondFactor: `factors` must be an array of AuthFactor objects');
  }
  const session = await regenerate(req, 'beginSecondFactor');
  session.pendingUserId = userId;
  session.pendingFactors = factors.map((factor) => ({ ...factor, amr: [...factor.amr] }));
  if (tenantId !== undefined) session.pendingTenantId = tenantId;
  await save(session);
}
