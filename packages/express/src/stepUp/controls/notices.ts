import type { DestinationInput } from '@checkpoint/core';
import type { ControlAudience } from '@checkpoint/policy';
import type { Request } from 'express';
import type { StepUpHost } from '../StepUpHost.js';
import { type ControlScope, recordControl } from './controlEvent.js';
import { maskedDestination, maskText } from './maskText.js';

// What each built-in checkpoint's notice says happened.
const DONE: Readonly<Record<string, string>> = {
  admin_role_grant: 'An admin role was granted',
  billing_change: 'The billing details were changed',
  api_key_create: 'An API key was created',
  audit_log_access: 'The audit log was opened',
  data_export: 'A data export was run',
};

/**
 * @internal
 * Tells each audience of a checkpoint that its action ran (called once the guarded handler
 * answered 2xx): the account on its destination, billing admins and security contacts as
 * `contacts` names them. The text carries masked values only. Each notice is audited as
 * `checkpoint.notified` (result `sent` or `failed`); a failing `notify` does not stop the others.
 */
export async function sendNotices(
  host: StepUpHost,
  req: Request,
  scope: ControlScope,
  action: {
    checkpoint: string;
    summary?: string | undefined;
    audiences: readonly ControlAudience[];
  },
): Promise<void> {
  const { notify } = host;
  if (notify === undefined || action.audiences.length === 0) return;
  const what = DONE[action.checkpoint] ?? `The action ${action.checkpoint} was completed`;
  const detail = action.summary === undefined ? '' : ` (${action.summary})`;
  const text = maskText(
    `${what}${detail} by ${scope.userId} on ${host.appName}. If this was not expected, contact your security team now.`,
  );
  const changedTo = maskText(action.summary ?? what);
  for (const audience of action.audiences) {
    let recipients: readonly { userId: string; to: DestinationInput }[];
    try {
      recipients = await recipientsOf(host, req, scope, audience);
    } catch {
      // Nobody of this audience could be named: the trail says so rather than nothing.
      await recordControl(host, scope, {
        type: 'checkpoint.notified',
        checkpoint: action.checkpoint,
        result: 'failed',
        data: { audience, recipient: '' },
      });
      continue;
    }
    for (const recipient of recipients) {
      let result = 'sent';
      try {
        await notify({
          userId: recipient.userId,
          to: recipient.to,
          text,
          changedTo,
          checkpoint: action.checkpoint,
          audience,
        });
      } catch {
        result = 'failed';
      }
      await recordControl(host, scope, {
        type: 'checkpoint.notified',
        checkpoint: action.checkpoint,
        result,
        data: { audience, recipient: recipient.userId, to: maskedDestination(recipient.to) },
      });
    }
  }
}

async function recipientsOf(
  host: StepUpHost,
  req: Request,
  scope: ControlScope,
  audience: ControlAudience,
) {
  if (audience === 'account') {
    const to = await host.destination(req, scope.userId);
    return to === undefined ? [] : [{ userId: scope.userId, to }];
  }
  return (await host.contacts?.(req, { audience, tenantId: scope.tenant.id })) ?? [];
}
