import { createHash } from 'node:crypto';

/**
 * The hash an action-bound step-up grant carries: SHA-256 over the user, the checkpoint and the
 * bound fields in canonical JSON (keys sorted, so `{ a, b }` and `{ b, a }` bind the same
 * action). A grant made for one payload never matches another. Grants are kept in the session
 * itself, which binds them to it (across the id regeneration a step-up causes).
 *
 * @example bindingHash({ userId: 'u1', checkpoint: 'billing_change', fields: { amount: 100, payee: 'acme' } })
 */
export function bindingHash({
  userId,
  checkpoint,
  fields,
}: {
  userId: string;
  checkpoint: string;
  fields: unknown;
}): string {
  return createHash('sha256')
    .update(canonicalJson({ userId, checkpoint, fields }))
    .digest('base64url');
}

/** JSON with object keys sorted at every depth; `undefined` members dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
