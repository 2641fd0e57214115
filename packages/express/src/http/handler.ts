import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * @internal
 * An Express handler from an async function: a rejection reaches `next(err)`. Express 5 does this
 * by itself; doing it here too costs nothing and keeps the contract explicit.
 */
export function handler(run: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    run(req, res).catch(next);
  };
}
