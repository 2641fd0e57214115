/**
 * Form parameters of a Twilio webhook: Express's `req.body` after `express.urlencoded()`, or a
 * `URLSearchParams` of the raw body. A repeated parameter is an array of strings.
 */
export type TwilioParams = URLSearchParams | Readonly<Record<string, unknown>>;

/**
 * @internal
 * Every parameter with its values as strings; undefined when a value is neither a string nor an
 * array of strings (a nested object from an extended body parser cannot have been signed).
 */
export function paramEntries(params: TwilioParams): Array<[string, string[]]> | undefined {
  if (params instanceof URLSearchParams) {
    const grouped = new Map<string, string[]>();
    for (const [name, value] of params) grouped.set(name, [...(grouped.get(name) ?? []), value]);
    return [...grouped];
  }
  const entries: Array<[string, string[]]> = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (typeof value === 'string') entries.push([name, [value]]);
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      entries.push([name, value]);
    else return undefined;
  }
  return entries;
}

/** @internal The first value of a parameter when it is a string. */
export function param(params: TwilioParams, name: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(name) ?? undefined;
  const value = params[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}
