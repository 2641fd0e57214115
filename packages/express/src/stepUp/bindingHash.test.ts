// Threat: a grant for one action approves another because two payloads share a canonical form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindingHash, canonicalJson } from './bindingHash.js';

const base = { userId: 'u1', checkpoint: 'billing_change' };

/** The IEEE 754 double with these 64 bits, as RFC 8785 Appendix B lists its test values. */
function double(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

/** The same JSON value with every object's members inserted in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value !== 'object' || value === null) return value;
  // fromEntries defines own members, so a `__proto__` member stays a member.
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, member]) => [key, reversed(member)]),
  );
}

/** Any JSON value, its strings and names drawn from every code point (lone surrogates too). */
const anyJson = fc.jsonValue({ stringUnit: 'binary' });

class Payee {
  constructor(readonly name: string) {}
}

describe('bindingHash', () => {
  it('is the same for the same action whatever the key order', () => {
    expect(bindingHash({ ...base, fields: { amount: 100, payee: 'acme' } })).toBe(
      bindingHash({ ...base, fields: { payee: 'acme', amount: 100 } }),
    );
    expect(canonicalJson({ b: { d: 1, c: 2 }, a: [{ z: 1, y: 2 }] })).toBe(
      '{"a":[{"y":2,"z":1}],"b":{"c":2,"d":1}}',
    );
  });

  it.each([
    ['another payload', { ...base, fields: { amount: 101, payee: 'acme' } }],
    ['another payee', { ...base, fields: { amount: 100, payee: 'mallory' } }],
    ['another user', { ...base, userId: 'u2', fields: { amount: 100, payee: 'acme' } }],
    [
      'another checkpoint',
      { ...base, checkpoint: 'data_export', fields: { amount: 100, payee: 'acme' } },
    ],
  ])('differs for %s', (_label, other) => {
    expect(bindingHash(other)).not.toBe(
      bindingHash({ ...base, fields: { amount: 100, payee: 'acme' } }),
    );
  });

  it('binds a date to the instant it names: a grant for one day does not approve another', () => {
    const on = (executeAt: Date) => bindingHash({ ...base, fields: { executeAt } });
    expect(on(new Date('2027-01-15'))).not.toBe(on(new Date('2031-12-31')));
    // A Date is its toJSON value: the ISO string a JSON body would carry.
    expect(on(new Date('2027-01-15'))).toBe(
      bindingHash({ ...base, fields: { executeAt: '2027-01-15T00:00:00.000Z' } }),
    );
  });

  it('keeps a `__proto__` member of a parsed JSON body as an ordinary member', () => {
    const body = JSON.parse('{"__proto__":{"role":"admin"},"amount":1}') as unknown;
    expect(canonicalJson(body)).toBe('{"__proto__":{"role":"admin"},"amount":1}');
    expect(bindingHash({ ...base, fields: body })).not.toBe(
      bindingHash({ ...base, fields: JSON.parse('{"amount":1}') as unknown }),
    );
    expect(bindingHash({ ...base, fields: body })).not.toBe(
      bindingHash({
        ...base,
        fields: JSON.parse('{"__proto__":{"role":"viewer"},"amount":1}') as unknown,
      }),
    );
  });

  it('refuses what bind() returned when JSON cannot represent it, naming where', () => {
    expect(() => bindingHash({ ...base, fields: { when: new Map([['a', 1]]) } })).toThrow(
      new TypeError('bind() returned a value JSON cannot represent at fields.when: Map'),
    );
  });

  it.each([
    ['a Map', { to: new Map() }, 'fields.to: Map'],
    ['a Set', { to: new Set(['a']) }, 'fields.to: Set'],
    ['a class instance', { to: new Payee('acme') }, 'fields.to: Payee'],
    ['a boxed string', { to: Object('acme') as unknown }, 'fields.to: String'],
    ['an undefined member', { amount: 1, note: undefined }, 'fields.note: undefined'],
    ['an undefined element', { list: [1, undefined] }, 'fields.list[1]: undefined'],
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    ['a hole in an array', { list: [1, , 3] }, 'fields.list[1]: undefined'],
    ['NaN', { amount: Number.NaN }, 'fields.amount: NaN'],
    ['Infinity', { amount: Number.POSITIVE_INFINITY }, 'fields.amount: Infinity'],
    ['-Infinity', { amount: Number.NEGATIVE_INFINITY }, 'fields.amount: -Infinity'],
    ['a BigInt', { amount: 10n }, 'fields.amount: BigInt'],
    ['a function', { run: () => 1 }, 'fields.run: function'],
    ['a symbol', { tag: Symbol('x') }, 'fields.tag: symbol'],
    ['a symbol-keyed member', { [Symbol('x')]: 1 }, 'fields: a symbol-keyed member'],
    ['an invalid Date', { at: new Date(Number.NaN) }, 'fields.at: Invalid Date'],
    ['an awkward member name', { 'a b': new Set() }, 'fields["a b"]: Set'],
  ])('refuses %s instead of hashing it like another value', (_label, fields, where) => {
    expect(() => bindingHash({ ...base, fields })).toThrow(
      new TypeError(`bind() returned a value JSON cannot represent at ${where}`),
    );
  });

  it('refuses a circular payload', () => {
    const fields: Record<string, unknown> = { amount: 1 };
    fields.self = { back: fields };
    expect(() => bindingHash({ ...base, fields })).toThrow(
      new TypeError(
        'bind() returned a value JSON cannot represent at fields.self.back: a circular reference',
      ),
    );
  });
});

describe('canonicalJson', () => {
  it('serialises the RFC 8785 §3.2.2 example byte for byte', () => {
    const input = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`) as unknown;
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts member names by UTF-16 code units, as the RFC 8785 §3.2.3 example', () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`) as unknown;
    const text = canonicalJson(input);
    expect([...text.matchAll(/:"([^"]*)"/g)].map(([, value]) => value)).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    expect(text).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\u{1f600}":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('writes the double 0x%s as %s (RFC 8785 Appendix B)', (bits, expected) => {
    expect(canonicalJson(double(bits))).toBe(expected);
  });

  it.each([
    ['7fffffffffffffff', 'NaN'],
    ['7ff0000000000000', 'Infinity'],
  ])('refuses the double 0x%s (%s), as RFC 8785 Appendix B requires', (bits, what) => {
    expect(() => canonicalJson(double(bits))).toThrow(
      new TypeError(
        `canonicalJson() was given a value JSON cannot represent at the top level: ${what}`,
      ),
    );
  });

  it('reads a toJSON once, as JSON.stringify does, and refuses what it returns if not plain', () => {
    expect(canonicalJson({ at: { toJSON: (key: string) => `${key}!` } })).toBe('{"at":"at!"}');
    expect(() => canonicalJson({ at: { toJSON: () => new Map() } })).toThrow(
      new TypeError('canonicalJson() was given a value JSON cannot represent at at: Map'),
    );
  });

  it('gives the same text for text it produced, and ignores key order (property)', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(reversed(value))).toBe(text);
      }),
    );
  });

  it('loses nothing of a JSON value: parsing the text gives the value back (property)', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        // As JSON carries it: -0 is written 0 (JCS §3.2.2.3), by JSON.stringify too.
        const carried: unknown = JSON.parse(JSON.stringify(value));
        expect(JSON.parse(canonicalJson(value))).toStrictEqual(carried);
      }),
    );
  });
});
