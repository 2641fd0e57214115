import { CheckpointError } from '@checkpoint/core';
import type { RequestBinding } from '../requestBinding.js';
import type { OtpSettings } from '../settings.js';

/**
 * @internal
 * Resend and cancel take only an id in core; when the router binds a subject, a tenant or its
 * purposes, the verification must be the requester's, or it is `not_found` (one store read).
 */
export async function assertBound(
  settings: OtpSettings,
  id: string,
  binding: RequestBinding,
  notFound: string,
): Promise<void> {
  if (
    settings.subject === undefined &&
    settings.tenantId === undefined &&
    settings.purposes === undefined
  ) {
    return;
  }
  const verification = await settings.checkpoint.get(id);
  if (
    verification.tenantId !== binding.decoy.tenantId ||
    (binding.subject !== undefined && verification.subject !== binding.subject) ||
    (settings.purposes !== undefined && !settings.purposes.has(verification.purpose))
  ) {
    throw new CheckpointError('not_found', notFound);
  }
}
