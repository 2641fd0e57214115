import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../errors/HttpError.js';

/**
 * @internal
 * Refuses a request body that is not `application/json` with 415. Without this a form-encoded
 * or text body would reach the routes as "no body" and be judged as missing fields. A request
 * without a body passes (cancel and resend need none).
 */
export function jsonOnly(req: Request, _res: Response, next: NextFunction): void {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  if (!hasBody || req.is('application/json') !== false) {
    next();
    return;
  }
  next(new HttpError('unsupported_media_type', 'the request body must be application/json'));
}
