import type { Request } from 'express';
import { sessionOf } from './sessionOf.js';

/**
 * The user who proved a first factor (a password) and still owes the second, as
 * {@link beginSecondFactor} stored it; `undefined` when there is none. Pass it as the
 * `subject` of an {@link OtpStrategy}: a code then only completes that user's login.
 *
 * @example
 * passport.use(new OtpStrategy({ checkpoint, subject: pendingUserId }, verify));
 */
export function pendingUserId(req: Request): string | undefined {
  const { pendingUserId: userId } = sessionOf(req, 'pendingUserId');
  return typeof userId === 'string' && userId !== '' ? userId : undefined;
}
