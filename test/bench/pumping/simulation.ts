// A pumping attack mixed with legitimate sign-ups, on a manual clock: how much of the attack the
// default guards stop, and how many real users they stop with it. Fixed seeds, bounded loops.
import {
  type AuditLog,
  type Channel,
  type ConversionThrottle,
  createCheckpoint,
  isCheckpointError,
  MemoryStore,
  type OutboxChannel,
  outboxChannel,
  type Scheduler,
  type Store,
  staticAsnResolver,
} from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import {
  legitNumber,
  mixedNumber,
  premiumNumber,
  SEQUENTIAL_BLOCKS,
  sequentialNumber,
  sprayedNumber,
} from './numbers.js';
import { EventQueue } from './eventQueue.js';
import { seededRandom } from './random.js';

/**
 * How the traffic arrives:
 * - `baseline`: legitimate sign-ups spread over the hours, the attack in waves from the 20th minute;
 * - `compressed`: the same traffic arriving 360 times faster (six hours in a minute: a launch, a
 *   batch import, a marketing push, and the attack firing as fast) while people still take their
 *   15 seconds to 2 minutes to type a code;
 * - `gb`: the baseline, with the sprayed numbers in the United Kingdom, where a tenth of the real
 *   users are.
 */
export type SimulationVariant = 'baseline' | 'compressed' | 'gb';

/** Options of {@link runPumpingSimulation}. */
export interface PumpingSimulationOptions {
  /** @default 20261122 */
  seed?: number;
  /** @default 'baseline' */
  variant?: SimulationVariant;
  /** @default a new MemoryStore */
  store?: Store;
  /** Legitimate sign-ups, spread over the run. @default 2000 */
  legitUsers?: number;
  /** Attack sends: waves, plus a burst from one network and a slow walk through one block. @default 4000 */
  attackSends?: number;
  /** Simulated hours (before compression). @default 6 */
  hours?: number;
}

/** Sends of one side of the simulation and what became of them. */
export interface TrafficFigures {
  sends: number;
  blocked: number;
  /** `blocked / sends`, 0 to 1. */
  blockedShare: number;
  /** Refusals by their first reason (`pumping:line_type:premium_rate`, …). */
  byReason: Record<string, number>;
}

export type AttackKind = 'premium' | 'sequential' | 'sprayed' | 'burst' | 'slow_walk';

/** What {@link runPumpingSimulation} measured. */
export interface PumpingFigures {
  seed: number;
  variant: SimulationVariant;
  hours: number;
  attack: TrafficFigures & { byKind: Record<AttackKind, { sends: number; blocked: number }> };
  legit: TrafficFigures & { users: number; approved: number };
  /** Ranges closed for low conversion (onThrottle calls), by scope. */
  throttles: Record<ConversionThrottle['scope'], number>;
}

const SECRET = 'pumping-simulation-secret-0123456789abcdef';
const MINUTE = 60_000;
const COMPRESSION = 360;
const LEGIT_ASNS = 40;
const ATTACK_ASNS: ReadonlyArray<readonly [asn: number, network: string]> = [
  [64_501, '198.51.100'],
  [64_502, '203.0.113'],
  [64_503, '192.0.2'],
];
/** The network a burst comes from: one more hosting range. */
const BURST_NETWORK: readonly [asn: number, network: string] = [64_504, '100.64.7'];

// Timers (expiry, fallback) are not what is simulated: expiry is enforced by every check anyway.
const noTimers: Scheduler = {
  setHandler: () => undefined,
  schedule: async () => undefined,
  cancel: async () => undefined,
  close: async () => undefined,
};

const discard: AuditLog = {
  append: async () => undefined,
  byVerification: async () => [],
  query: async function* () {},
};

/**
 * Runs the simulation and returns its figures. Legitimate users sign up from residential IPs in
 * 40 ASNs with real-looking mobile numbers of 18 countries; 85 % enter their code within two
 * minutes (some after a wrong guess, some after asking for a second code), the rest give up. The
 * attack never enters a code: waves from rotating IPs in three hosting networks (premium-rate
 * numbers, four mobile blocks walked number by number, two mobile ranges sprayed at random), a
 * burst from one more network to numbers of the users' own countries, and one block walked slowly
 * from residential IPs. The checkpoint runs its default guards: no `guards` option.
 */
export async function runPumpingSimulation(
  options: PumpingSimulationOptions = {},
): Promise<PumpingFigures> {
  const {
    seed = 20_261_122,
    variant = 'baseline',
    store = new MemoryStore(),
    legitUsers = 2_000,
    attackSends = 4_000,
    hours = 6,
  } = options;
  const random = seededRandom(seed);
  const clock = new ManualClock();
  const start = clock.now();
  // Arrivals are compressed; the time people take to read and type a code is not.
  const scale = variant === 'compressed' ? 1 / COMPRESSION : 1;
  const span = hours * 60 * MINUTE;
  const arrival = (offset: number) => start + Math.round(offset * scale);
  const sms = outboxChannel({ name: 'sms' });
  const voice = outboxChannel({ name: 'voice' });
  const outboxes = new Map<string, OutboxChannel>([
    ['sms', sms],
    ['voice', voice],
  ]);
  const throttles: PumpingFigures['throttles'] = { prefix: 0, network: 0, country: 0 };
  const checkpoint = createCheckpoint({
    secret: SECRET,
    channels: [sms, voice] as Channel[],
    store,
    clock,
    scheduler: noTimers,
    auditLog: discard,
    asnResolver: staticAsnResolver([
      ...Array.from({ length: LEGIT_ASNS }, (_, i) => ({
        cidr: `10.${i}.0.0/16`,
        asn: 64_600 + i,
      })),
      ...[...ATTACK_ASNS, BURST_NETWORK].map(([asn, network]) => ({
        cidr: `${network}.0/24`,
        asn,
      })),
    ]),
    pumping: {
      onThrottle: (event) => {
        throttles[event.scope] += 1;
      },
    },
  });

  const legit = { ...traffic(), users: legitUsers, approved: 0 };
  const attack = {
    ...traffic(),
    byKind: {
      premium: { sends: 0, blocked: 0 },
      sequential: { sends: 0, blocked: 0 },
      sprayed: { sends: 0, blocked: 0 },
      burst: { sends: 0, blocked: 0 },
      slow_walk: { sends: 0, blocked: 0 },
    },
  };
  const queue = new EventQueue();
  const residentialIp = () =>
    `10.${random.int(0, LEGIT_ASNS - 1)}.${random.int(0, 255)}.${random.int(1, 254)}`;

  // Legitimate users: arrivals spread evenly at random over the run.
  for (let user = 0; user < legitUsers; user += 1) {
    queue.push(arrival(random.int(0, span - 5 * MINUTE)), async () => {
      await legitSend(legitNumber(random), residentialIp(), true);
    });
  }

  async function legitSend(to: string, ip: string, mayAskAgain: boolean): Promise<void> {
    legit.sends += 1;
    let sent: { id: string; channel: string };
    try {
      sent = await checkpoint.send({ to, purpose: 'signup', context: { ip } });
    } catch (error) {
      count(legit, error);
      return;
    }
    const code = outboxes.get(sent.channel)?.latest(to)?.code ?? '';
    const behaviour = random.next();
    const context = { ip };
    if (mayAskAgain && behaviour < 0.08) {
      // "I did not get it": asks for a new code a minute later, then uses that one.
      queue.push(clock.now() + random.int(45, 90) * 1_000, () => legitSend(to, ip, false));
    } else if (behaviour < 0.9) {
      const wrongFirst = random.chance(0.05);
      queue.push(clock.now() + random.int(15, 120) * 1_000, async () => {
        if (wrongFirst)
          await checkpoint.check({
            id: sent.id,
            code: code === '000000' ? '1' : '000000',
            context,
          });
        const { status } = await checkpoint.check({ id: sent.id, code, context });
        if (status === 'approved') legit.approved += 1;
      });
    }
  }

  // The attack budget: a burst of 300 from one network, a slow walk of 200, waves for the rest.
  const burstSends = Math.min(300, Math.floor(attackSends * 0.075));
  const walkSends = Math.min(200, Math.floor(attackSends * 0.05));
  const waveSends = attackSends - burstSends - walkSends;

  // Waves of 20 to 50 sends a few seconds apart, every 1 to 3 minutes, from three hosting networks.
  const walked = SEQUENTIAL_BLOCKS.map(() => random.int(0, 2_000));
  let planned = 0;
  for (let wave = 20 * MINUTE; wave < span && planned < waveSends; ) {
    const size = Math.min(random.int(20, 50), waveSends - planned);
    // Each wave walks one block.
    const block = random.int(0, SEQUENTIAL_BLOCKS.length - 1);
    let at = wave;
    for (let i = 0; i < size; i += 1) {
      at += random.int(500, 3_000);
      const kind = random.weighted<AttackKind>([
        ['premium', 4],
        ['sequential', 4],
        ['sprayed', 2],
      ]);
      queue.push(arrival(at), () =>
        attackSend(
          kind,
          waveNumber(kind, block),
          `${random.pick(ATTACK_ASNS)[1]}.${random.int(1, 254)}`,
        ),
      );
    }
    planned += size;
    wave += random.int(1, 3) * MINUTE;
  }

  function waveNumber(kind: AttackKind, block: number): string | undefined {
    if (kind === 'premium') return premiumNumber(random);
    if (kind === 'sprayed') return sprayedNumber(random, variant === 'gb');
    return nextInBlock(block);
  }

  function nextInBlock(block: number): string | undefined {
    for (let tries = 0; tries < 10; tries += 1) {
      walked[block] = (walked[block] ?? 0) + 1;
      const to = sequentialNumber(SEQUENTIAL_BLOCKS[block] ?? '', walked[block] ?? 0);
      if (to !== undefined) return to;
    }
    return undefined;
  }

  // A burst two hours in: 300 sends in about three minutes from one network, to mobile numbers of
  // the countries the real users are in.
  for (let i = 0, at = 120 * MINUTE; i < burstSends; i += 1) {
    at += random.int(200, 1_000);
    queue.push(arrival(at), () =>
      attackSend('burst', mixedNumber(random), `${BURST_NETWORK[1]}.${random.int(1, 254)}`),
    );
  }

  // A slow walk through one more block, one number every one to two minutes, from residential
  // IPs (a proxy network): no network shows it, only its block does.
  const slowBlock = SEQUENTIAL_BLOCKS.length - 1;
  for (let i = 0, at = 30 * MINUTE; i < walkSends && at < span; i += 1) {
    at += random.int(60, 120) * 1_000;
    queue.push(arrival(at), () => attackSend('slow_walk', nextInBlock(slowBlock), residentialIp()));
  }

  async function attackSend(kind: AttackKind, to: string | undefined, ip: string): Promise<void> {
    if (to === undefined) return;
    attack.sends += 1;
    attack.byKind[kind].sends += 1;
    try {
      await checkpoint.send({ to, purpose: 'signup', context: { ip } });
    } catch (error) {
      count(attack, error);
      attack.byKind[kind].blocked += 1;
    }
  }

  for (let event = queue.pop(); event !== undefined; event = queue.pop()) {
    if (event.at > clock.now()) await clock.advance(event.at - clock.now());
    await event.run();
  }
  await checkpoint.close();

  return {
    seed,
    variant,
    hours,
    attack: { ...attack, blockedShare: share(attack) },
    legit: { ...legit, blockedShare: share(legit) },
    throttles,
  };
}

function traffic(): Omit<TrafficFigures, 'blockedShare'> {
  return { sends: 0, blocked: 0, byReason: {} };
}

function count(figures: Omit<TrafficFigures, 'blockedShare'>, error: unknown): void {
  if (!isCheckpointError(error)) throw error;
  figures.blocked += 1;
  const reason = error.reasons[0] ?? error.code;
  figures.byReason[reason] = (figures.byReason[reason] ?? 0) + 1;
}

function share({ sends, blocked }: { sends: number; blocked: number }): number {
  return sends === 0 ? 0 : blocked / sends;
}
