import { createHash } from 'node:crypto';

/**
 * The hash an action-bound step-up grant carries: SHA-256 (base64url) over the user, the
 * checkpoint and the bound fields in canonical JSON ({@link canonicalJson}: RFC 8785, so
 * `{ a, b }` and `{ b, a }` bind the same action). A grant made for one payload never matches
 * another. The grant itself is a single-use ticket in the Store, keyed by the session and this
 * hash.
 *
 * @throws TypeError when `fields` holds a value JSON cannot represent faithfully (a Map, a class
 * instance, `undefined`, NaN, …), naming where: such a value would otherwise hash like another.
 * @example bindingHash({ userId: 'u1', checkpoint: 'billing_change', fields: { amount: 100, payee: 'acme' } })
 * @see https://www.rfc-editor.org/rfc/rfc8785 (JSON Canonicalization Scheme)
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
    .update(canonicalize({ userId, checkpoint, fields }, 'bind() returned'))
    .digest('base64url');
}

/**
 * The RFC 8785 (JCS) canonical JSON of a plain JSON value: object members sorted by the UTF-16
 * code units of their names, numbers and strings written as ECMAScript's JSON.stringify writes
 * them, no whitespace. An object with a `toJSON` method (a Date) stands for what it returns, as
 * in JSON.stringify. Anything JSON cannot represent faithfully is refused rather than written as
 * something else: `undefined` (member or element), NaN and ±Infinity, BigInt, functions,
 * symbols (also as member names), Map, Set, class instances and other objects that are neither
 * plain nor arrays, invalid Dates, cycles.
 *
 * @throws TypeError naming the path of the first such value, e.g. `at items[2].when: Map`.
 * @example canonicalJson({ b: [1e30, 4.5], a: 'x' }) // '{"a":"x","b":[1e+30,4.5]}'
 * @see https://www.rfc-editor.org/rfc/rfc8785 §3.2 (generation of canonical JSON data)
 */
export function canonicalJson(value: unknown): string {
  return canonicalize(value, 'canonicalJson() was given');
}

function canonicalize(root: unknown, source: string): string {
  // The objects being written (on the path from the root), to refuse a cycle.
  const open = new Set<object>();
  const refuse = (path: string, what: string): never => {
    const where = path === '' ? 'the top level' : path;
    throw new TypeError(`${source} a value JSON cannot represent at ${where}: ${what}`);
  };

  const write = (raw: unknown, key: string, path: string): string => {
    // Date#toJSON writes an invalid date as null, which a real null would then share.
    if (raw instanceof Date && Number.isNaN(raw.getTime())) return refuse(path, 'Invalid Date');
    if (isObject(raw) && open.has(raw)) return refuse(path, 'a circular reference');
    const value = hasToJSON(raw) ? raw.toJSON(key) : raw;
    switch (typeof value) {
      case 'string':
        // ES2019 JSON.stringify is JCS's string form: the same escapes, lone surrogates as \uXXXX.
        return JSON.stringify(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
        // Number::toString, as JCS §3.2.2.3 requires; -0 is written 0.
        return Number.isFinite(value) ? JSON.stringify(value) : refuse(path, String(value));
      case 'bigint':
        return refuse(path, 'BigInt');
      case 'object':
        break;
      default:
        return refuse(path, typeof value);
    }
    if (value === null) return 'null';
    if (open.has(value)) return refuse(path, 'a circular reference');
    const held = isObject(raw) ? [raw, value] : [value];
    for (const object of held) open.add(object);
    try {
      if (Array.isArray(value)) {
        const items: string[] = [];
        // Indexed, not mapped: a hole is undefined here, where JSON.stringify would write null.
        for (let index = 0; index < value.length; index += 1) {
          items.push(write(value[index], String(index), `${path}[${index}]`));
        }
        return `[${items.join(',')}]`;
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) {
        return refuse(path, nameOf(prototype));
      }
      if (
        Object.getOwnPropertySymbols(value).some(
          (key) => Object.getOwnPropertyDescriptor(value, key)?.enumerable === true,
        )
      ) {
        return refuse(path, 'a symbol-keyed member');
      }
      const record = value as Record<string, unknown>;
      // The default sort compares UTF-16 code units (JCS §3.2.3). The text is written directly,
      // never through an intermediate object: there a `__proto__` member would set a prototype.
      const members = Object.keys(record)
        .sort()
        .map((name) => `${JSON.stringify(name)}:${write(record[name], name, member(path, name))}`);
      return `{${members.join(',')}}`;
    } finally {
      for (const object of held) open.delete(object);
    }
  };

  return write(root, '', '');
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function hasToJSON(value: unknown): value is { toJSON: (key: string) => unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}

/** `a.b`, or `a["b c"]` for a name that is not an identifier. */
function member(path: string, name: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `${path}[${JSON.stringify(name)}]`;
  return path === '' ? name : `${path}.${name}`;
}

/** What a non-plain object is, for the message: its class name where it has one. */
function nameOf(prototype: unknown): string {
  const name: unknown = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'an object that is not plain';
}
