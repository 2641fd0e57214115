import type { RequestHandler } from 'express';
import { handler } from '../../http/handler.js';
import { parseIdParam } from '../parseBody.js';
import { requestBinding } from '../requestBinding.js';
import type { OtpSettings } from '../settings.js';
import { assertBound } from './assertBound.js';

/** @internal `POST /:id/cancel` -> 204; codes of the verification stop working at once. */
export function cancelRoute(settings: OtpSettings): RequestHandler {
  return handler(async (req, res) => {
    const id = parseIdParam(req.params['id']);
    const binding = await requestBinding(settings, req);
    const decoy = settings.decoys?.read(id, binding.decoy);
    if (decoy !== undefined && settings.decoys !== undefined) {
      await settings.decoys.cancel(decoy);
    } else {
      await assertBound(settings, id, binding, 'no such verification');
      await settings.checkpoint.cancel(id);
    }
    res.status(204).end();
  });
}
