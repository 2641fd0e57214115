import { type Channel, createCheckpoint } from '@checkpoint/core';
import { createStepUp, errorHandler, recordFactor } from '@checkpoint/express';
import { factor } from '@checkpoint/policy';
import express, { type Express } from 'express';
import session from 'express-session';

const secret = process.env['CHECKPOINT_SECRET'] ?? 'dev-only-secret-0123456789abcdefghij';
// Your members: user id -> phone, role.
const members = new Map([
  ['ada', { phone: '+14155550100', role: 'admin' }],
  ['bob', { phone: '+14155550111', role: 'member' }],
  ['cy', { phone: '+14155550122', role: 'admin' }],
]);

/** The controls around Acme's checkpoints: cool-down, one export an hour, notices, API key audit. */
export function createControlsApp(channels: Channel[], sent: string[] = []): Express {
  const checkpoint = createCheckpoint({ secret, channels });
  const stepUp = createStepUp({
    checkpoint,
    destination: (_req, userId) => members.get(userId)?.phone,
    tenantPolicy: () => ({ id: 'acme' }), // + controls: { data_export: { minIntervalSeconds: 900 } }, …
    appName: 'Acme',
    // Billing admins and security contacts: whom the controls notify, besides the account.
    contacts: (_req, { audience }) =>
      audience === 'security_contacts' ? [{ userId: 'secops', to: 'secops@acme.example' }] : [],
    notify: async ({ to, text }) => {
      sent.push(text); // deliver over your channels; `text` holds masked values only
      console.log(`notice to ${JSON.stringify(to)}: ${text}`);
    },
  });
  const app = express();
  app.use(express.json());
  app.use(session({ secret, resave: false, saveUninitialized: false }));
  app.post('/login', (req, res, next) => {
    const { user } = req.body as { user: string }; // check the password here
    recordFactor(req, factor('pwd', { at: Date.now() }), { userId: user, tenantId: 'acme' })
      .then(() => res.json({ user }))
      .catch(next);
  });
  app.use('/auth/step-up', stepUp.router);
  // A step-up, then: one export per user per hour (429 + Retry-After), the account and the
  // security contacts told once it has run.
  app.get('/export', stepUp.requireCheckpoint('data_export'), (_req, res) => {
    res.json({ rows: [] });
  });
  // A step-up, then the new admin's 24 h cool-down starts.
  app.post('/members/:id/admin', stepUp.requireCheckpoint('admin_role_grant'), (req, res, next) => {
    const id = String(req.params.id);
    members.set(id, { ...(members.get(id) ?? { phone: '' }), role: 'admin' });
    stepUp
      .roleGranted(req, { userId: id, role: 'admin' })
      .then(({ until }) => res.json({ id, until }))
      .catch(next);
  });
  // Another admin (not the new one, not the one who granted it) may end the wait.
  app.post('/members/:id/approve', stepUp.requirePrivileged(), (req, res, next) => {
    stepUp
      .approveCooldown(req, { userId: String(req.params.id) })
      .then((outcome) => res.status(outcome.approved ? 200 : 403).json(outcome))
      .catch(next);
  });
  app.get('/admin/audit-settings', stepUp.requirePrivileged(), (_req, res) => {
    res.json({ retentionDays: 365 });
  });
  app.post('/api-keys', stepUp.requireCheckpoint('api_key_create'), (req, res, next) => {
    const { scopes } = req.body as { scopes: string[] };
    const expiresAt = Date.now() + 90 * 86_400_000;
    // Create the key here; the audit records its id, scopes and expiry — never the key.
    stepUp
      .apiKeyCreated(req, { keyId: 'key_01', scopes, expiresAt })
      .then(() => res.status(201).json({ keyId: 'key_01', key: 'shown-once', expiresAt }))
      .catch(next);
  });
  app.use(errorHandler());
  return app;
}
