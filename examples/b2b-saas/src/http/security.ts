import type { RequestHandler } from 'express';
import { IMPORT_MAP_CSP } from './layout.js';

/**
 * Response headers for every page: a CSP without inline script or style (the pages load their
 * scripts from /static), no framing, no referrer leaks, no caching of account pages.
 */
export function securityHeaders(idpOrigin: string | undefined): RequestHandler {
  const formAction = ["'self'", ...(idpOrigin === undefined ? [] : [idpOrigin])].join(' ');
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${IMPORT_MAP_CSP}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

/**
 * CSRF defence for a cookie session: a state-changing request must come from this origin. Browsers
 * send `Sec-Fetch-Site` (and `Origin` on POST); a cross-site form or fetch is refused with 403.
 * Together with `SameSite=Lax` cookies this covers the demo's forms and JSON calls.
 *
 * @see OWASP CSRF Prevention Cheat Sheet (Fetch Metadata, Origin verification)
 */
export function sameOriginOnly(origin: string): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const site = req.get('sec-fetch-site');
    const from = req.get('origin');
    const crossSite =
      (site !== undefined && site !== 'same-origin' && site !== 'none') ||
      (from !== undefined && from !== origin);
    if (crossSite) {
      res.status(403).json({ error: 'forbidden', message: 'cross-site request refused' });
      return;
    }
    next();
  };
}
