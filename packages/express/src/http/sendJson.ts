import type { Response } from 'express';

/**
 * @internal
 * Answers `body` as JSON with `status`: what `res.status(status).json(body)` sends for a POST,
 * without the work a POST answer marked `no-store` does not need — `res.send` hashes every body
 * into an ETag (SHA-1) for conditional GETs, a few microseconds per answer for nothing.
 */
export function sendJson(res: Response, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
