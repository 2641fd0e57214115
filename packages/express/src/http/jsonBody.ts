import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { HttpError } from '../errors/HttpError.js';

/**
 * @internal
 * The body handling of a JSON API route, as one middleware: marks the answer `no-store`, refuses
 * a request body that is not `application/json` with 415 (without this a form-encoded or text
 * body would reach the route as "no body" and be judged as missing fields), and parses JSON
 * (`strict`, at most `limit`). A request without a body passes (cancel and resend need none).
 * One middleware rather than three: each Express layer costs a dispatch on every request.
 */
export function jsonBody(limit: string | number): RequestHandler {
  // The type is judged below, once, also for a body an app-level parser has already read.
  const parse = express.json({ limit, strict: true, type: () => true });
  return (req: Request, res: Response, next: NextFunction): void => {
    // Ids and outcomes of one user's verification are nobody's to cache.
    res.setHeader('Cache-Control', 'no-store');
    // The plain `application/json` most clients send needs no media-type parse.
    const type = req.headers['content-type'];
    if (type !== 'application/json' && hasBody(req) && req.is('application/json') === false) {
      next(new HttpError('unsupported_media_type', 'the request body must be application/json'));
      return;
    }
    parse(req, res, next);
  };
}

function hasBody(req: Request): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')
  );
}
