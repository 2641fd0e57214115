import express, { type Router } from 'express';
import { type DemoContext, render } from '../DemoContext.js';
import { html } from '../http/html.js';

/**
 * The development inbox: every message the demo "sent" (codes over SMS, WhatsApp and email,
 * security notices). Mounted only outside production — it shows codes to whoever opens it.
 */
export function devInboxRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  router.get('/dev/inbox', (req, res) => {
    const messages = ctx.inbox.messages();
    render(ctx, req, res, {
      title: 'Dev inbox',
      body: html`<p class="hint">Development only: what the SMS, WhatsApp and email providers would have delivered. Not mounted when NODE_ENV=production.</p>
${messages.length === 0 ? html`<p>No messages yet.</p>` : ''}
<ol class="inbox">${messages.map(
        (
          message,
        ) => html`<li class="message" data-to="${message.to}" data-channel="${message.channel}">
<div class="meta"><span class="channel">${message.channel}</span> to <strong>${message.to}</strong> · ${new Date(message.at).toISOString().slice(11, 19)}${message.purpose === undefined ? '' : ` · ${message.purpose}`}</div>
<pre>${message.text}</pre></li>`,
      )}</ol>`,
    });
  });
  return router;
}
