import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PassportStatic } from 'passport';

/** A Passport instance (`new passport.Passport()`). */
export type Authenticator = InstanceType<PassportStatic['Passport']>;

/** What a Passport strategy decided for one request. */
export interface Outcome {
  user: Express.User | false | null | undefined;
  info: unknown;
  status: number | undefined;
}

/** Runs strategy `name` with a custom callback and resolves with its decision (errors reject). */
export function authenticate(
  auth: Authenticator,
  name: string,
  req: Request,
  res: Response,
  options: { session?: boolean } = {},
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const middleware = auth.authenticate(
      name,
      options,
      (error: unknown, user?: Express.User | false | null, info?: unknown, status?: unknown) => {
        if (error !== null && error !== undefined) {
          reject(asError(error));
          return;
        }
        resolve({ user, info, status: typeof status === 'number' ? status : undefined });
      },
    ) as RequestHandler;
    const next: NextFunction = (error?: unknown) => {
      if (error !== undefined) reject(asError(error));
    };
    void middleware(req, res, next);
  });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(`strategy failed: ${JSON.stringify(error)}`);
}

/** The `text` field of a form body, trimmed, or '' (bodies are untrusted: never assume a type). */
export function field(body: unknown, name: string, max = 200): string {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}
