import { createHash, randomBytes } from 'node:crypto';
import express, { type Router } from 'express';
import { type DemoContext, loggedIn, render, signedOf } from '../../DemoContext.js';
import { field } from '../../http/authenticate.js';
import { guard } from '../../http/guard.js';
import { html } from '../../http/html.js';

/**
 * API keys: creating one mints a long-lived credential, so it needs a fresh second factor
 * (`api_key_create`: AAL2 within 5 minutes). The secret is shown once; only its hash is kept.
 */
export function apiKeyRoutes(ctx: DemoContext): Router {
  const router = express.Router();

  router.get('/api-keys', loggedIn(ctx), (req, res) => {
    const { tenant } = signedOf(res);
    const keys = ctx.apiKeys.get(tenant.id) ?? [];
    render(ctx, req, res, {
      title: 'API keys',
      scripts: ['actions.js'],
      body: html`<table><thead><tr><th>Name</th><th>Key</th><th>Created</th></tr></thead><tbody id="api-keys">
${keys.map((key) => html`<tr><td>${key.name}</td><td><code>${key.prefix}…</code></td><td>${new Date(key.createdAt).toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`)}
</tbody></table>
<form data-action="/api-keys" id="api-key-form" class="card">
  <label>Name <input name="name" required maxlength="60" placeholder="CI deploys"></label>
  <button type="submit">Create API key</button>
</form>
<p data-result role="status"></p>`,
    });
  });

  router.post(
    '/api-keys',
    loggedIn(ctx),
    (req, res, next) => {
      if (field(req.body, 'name', 60) === '') {
        res.status(400).json({ error: 'invalid_request', message: 'name the key' });
        return;
      }
      next();
    },
    guard(ctx.stepUp, ctx.activity, 'api_key_create'),
    (req, res, next) => {
      const { user, tenant } = signedOf(res);
      const name = field(req.body, 'name', 60);
      const secret = `ak_live_${randomBytes(24).toString('base64url')}`;
      const keys = ctx.apiKeys.get(tenant.id) ?? [];
      const id = `key_${randomBytes(8).toString('hex')}`;
      keys.push({
        id,
        name,
        prefix: secret.slice(0, 12),
        hash: createHash('sha256').update(secret).digest('base64url'),
        createdAt: ctx.now(),
        createdBy: user.id,
      });
      ctx.apiKeys.set(tenant.id, keys);
      ctx.activity.record({
        tenantId: tenant.id,
        userId: user.id,
        type: 'api_key.created',
        detail: `${user.email} created the API key “${name}”`,
      });
      // The audit trail records the key's id, scopes and expiry — never the key.
      ctx.stepUp
        .apiKeyCreated(req, { keyId: id, scopes: ['tenant:all'], expiresAt: null })
        .then(() =>
          res.json({ message: `Created “${name}”. Copy it now, it is not shown again: ${secret}` }),
        )
        .catch(next);
    },
  );

  return router;
}
