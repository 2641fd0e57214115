import { createHash } from 'node:crypto';
import { html, SafeHtml } from './html.js';

/** Lets the page scripts import @simplewebauthn/browser by name; served from /static/sw/. */
const IMPORT_MAP = JSON.stringify({
  imports: { '@simplewebauthn/browser': '/static/sw/index.js' },
});

/** The CSP source that allows exactly this inline import map and no other inline script. */
export const IMPORT_MAP_CSP = `'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'`;

/** Who is looking at a page, for the header. */
export interface Viewer {
  name: string;
  tenantName: string;
  /** The session's assurance level now. */
  aal: number;
}

/** What {@link page} renders. */
export interface PageInput {
  title: string;
  body: SafeHtml;
  viewer?: Viewer | undefined;
  /** Scripts under /static to load (deferred modules). */
  scripts?: readonly string[];
  /** Show development-only links (the inbox). */
  development: boolean;
  /** A one-line notice above the content. */
  flash?: string | undefined;
}

const NAV: ReadonlyArray<readonly [string, string]> = [
  ['/', 'Console'],
  ['/security', 'Security'],
  ['/admin/members', 'Members'],
  ['/billing', 'Billing'],
  ['/api-keys', 'API keys'],
  ['/audit', 'Audit log'],
  ['/data-export', 'Data export'],
  ['/dashboard', 'Dashboard'],
];

/** The page shell of Acme Console: header, navigation, content. No inline script or style (CSP). */
export function page({ title, body, viewer, scripts = [], development, flash }: PageInput): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Acme Console</title>
<link rel="stylesheet" href="/static/app.css">
${scripts.length === 0 ? '' : new SafeHtml(`<script type="importmap">${IMPORT_MAP}</script>`)}
${scripts.map((src) => html`<script type="module" src="/static/${src}"></script>`)}
</head>
<body>
<header class="top">
  <a class="brand" href="/">Acme Console</a>
  ${
    viewer === undefined
      ? html`<nav><a href="/login">Log in</a><a href="/signup">Sign up</a>${development ? html`<a href="/dev/inbox">Dev inbox</a>` : ''}</nav>`
      : html`<nav>${NAV.map(([href, label]) => html`<a href="${href}">${label}</a>`)}${development ? html`<a href="/dev/inbox">Dev inbox</a>` : ''}</nav>
  <div class="viewer"><span>${viewer.name} · ${viewer.tenantName}</span><span class="aal aal${viewer.aal}">AAL${viewer.aal}</span>
  <form method="post" action="/logout"><button class="link">Log out</button></form></div>`
  }
</header>
<main>
${flash === undefined ? '' : html`<p class="flash" role="status">${flash}</p>`}
<h1>${title}</h1>
${body}
</main>
</body>
</html>`.value;
}
