import { type LineType, lookupPhone } from '@checkpoint/core';
import type { Random } from './random.js';

/** Where numbers of one kind come from: an E.164 start and how many random digits follow it. */
type Template = readonly [start: string, randomDigits: number];

/** Mobile ranges of the countries legitimate users come from, weighted like a B2B SaaS's users (18 countries). */
const LEGIT: ReadonlyArray<readonly [readonly Template[], number]> = [
  [
    [
      ['+1212', 7],
      ['+1310', 7],
      ['+1415', 7],
      ['+1512', 7],
      ['+1617', 7],
      ['+1206', 7],
    ],
    30,
  ],
  [[['+447', 9]], 10],
  [
    [
      ['+49151', 8],
      ['+49170', 8],
      ['+49176', 8],
    ],
    8,
  ],
  [
    [
      ['+336', 8],
      ['+337', 8],
    ],
    6,
  ],
  [
    [
      ['+919', 9],
      ['+918', 9],
    ],
    8,
  ],
  [
    [
      ['+55119', 8],
      ['+55219', 8],
    ],
    6,
  ],
  [[['+346', 8]], 4],
  [[['+393', 9]], 4],
  [
    [
      ['+1416', 7],
      ['+1604', 7],
    ],
    5,
  ],
  [[['+614', 8]], 4],
  [[['+316', 8]], 3],
  [[['+5255', 8]], 3],
  [[['+8190', 8]], 3],
  [[['+659', 7]], 2],
  [[['+2782', 7]], 2],
  [[['+97150', 7]], 2],
  // A few users in countries whose blocks the attack walks.
  [
    [
      ['+99890', 7],
      ['+99893', 7],
    ],
    1,
  ],
  [
    [
      ['+234803', 7],
      ['+234806', 7],
    ],
    1,
  ],
];

/** Premium-rate and shared-cost ranges pumping farms rent. */
const PREMIUM: readonly Template[] = [
  ['+4490', 8],
  ['+44871', 7],
  ['+1900', 7],
  ['+33899', 6],
  ['+43900', 6],
  ['+34803', 6],
  ['+39899', 6],
];

/** Blocks an attacker walks number by number (the last four digits), each in a mobile range. */
export const SEQUENTIAL_BLOCKS: readonly string[] = [
  '+44791112',
  '+99890123',
  '+99655512',
  '+234803123',
];

/** Whole mobile ranges an attacker sprays at random, in countries the app's users are not in. */
const SPRAYED: readonly Template[] = [
  ['+99290', 7],
  ['+99450', 7],
];

/** The United Kingdom's mobile range, where a tenth of the app's real users are. */
const SPRAYED_GB: readonly Template[] = [['+447', 9]];

const MOBILE: readonly LineType[] = ['mobile', 'fixed_line_or_mobile'];
const EARNING: readonly LineType[] = ['premium_rate', 'shared_cost', 'uan', 'toll_free'];
const MAX_TRIES = 200;

function draw(random: Random, templates: readonly Template[], types: readonly LineType[]): string {
  for (let attempt = 0; attempt < MAX_TRIES; attempt += 1) {
    const [start, count] = random.pick(templates);
    const candidate = `${start}${random.digits(count)}`;
    const found = lookupPhone(candidate);
    if (found.valid && types.includes(found.lineType)) return found.e164;
  }
  throw new Error(`no valid number of ${types.join('/')} after ${MAX_TRIES} draws`);
}

/** A real-looking mobile number of a legitimate user. */
export function legitNumber(random: Random): string {
  return draw(random, random.weighted(LEGIT), MOBILE);
}

/** A premium-rate (or shared-cost) number. */
export function premiumNumber(random: Random): string {
  return draw(random, PREMIUM, EARNING);
}

/** A random number of a sprayed mobile range (`gb`: the United Kingdom's, where real users are too). */
export function sprayedNumber(random: Random, gb = false): string {
  return draw(random, gb ? SPRAYED_GB : SPRAYED, MOBILE);
}

/** A random mobile number of the countries the app's users are in (a burst that hides among them). */
export function mixedNumber(random: Random): string {
  return legitNumber(random);
}

/** The `index`-th number of a sequential block, or undefined when that one is not valid. */
export function sequentialNumber(block: string, index: number): string | undefined {
  const candidate = `${block}${String(index % 10_000).padStart(4, '0')}`;
  const found = lookupPhone(candidate);
  return found.valid ? found.e164 : undefined;
}
