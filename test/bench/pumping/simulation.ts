// A pumping attack mixed with legitimate sign-ups, on a manual clock: how much of the attack the
// pumping guards stop, and how many real users they stop with it. Fixed seeds, bounded loops.
import {
  type AuditLog,
  type Channel,
  type ConversionThrottle,
  createCheckpoint,
  isCheckpointError,
  MemoryStore,
  type OutboxChannel,
  outboxChannel,
  pumpingGuards,
  type Scheduler,
  type Store,
  staticAsnResolver,
} from '@checkpoint/core';
import { ManualClock } from '@checkpoint/core/testing';
import {
  legitNumber,
  premiumNumber,
  SEQUENTIAL_BLOCKS,
  sequentialNumber,
  sprayedNumber,
} from './numbers.js';
import { EventQueue } from './eventQueue.js';
import { seededRandom } from './random.js';

/** Options of {@link runPumpingSimulation}. */
export interface PumpingSimulationOptions {
  /** @default 20261122 */
  seed?: number;
  /** @default a new MemoryStore */
  store?: Store;
  /** Legitimate sign-ups, spread over the run. @default 2000 */
  legitUsers?: number;
  /** Attack sends, in waves from the 20th minute on. @default 4000 */
  attackSends?: number;
  /** Simulated hours. @default 6 */
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

export type AttackKind = 'premium' | 'sequential' | 'sprayed';

/** What {@link runPumpingSimulation} measured. */
export interface PumpingFigures {
  seed: number;
  hours: number;
  attack: TrafficFigures & { byKind: Record<AttackKind, { sends: number; blocked: number }> };
  legit: TrafficFigures & { users: number; approved: number };
  /** Prefix blocks and countries throttled for low conversion (onThrottle calls). */
  throttles: number;
}

const SECRET = 'pumping-simulation-secret-0123456789abcdef';
const MINUTE = 60_000;
const LEGIT_ASNS = 40;
const ATTACK_ASNS: ReadonlyArray<readonly [asn: number, network: string]> = [
  [64_501, '198.51.100'],
  [64_502, '203.0.113'],
  [64_503, '192.0.2'],
];

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
 * 40 ASNs with real-looking mobile numbers of 16 countries; 85 % enter their code within two
 * minutes (some after a wrong guess, some after asking for a second code), the rest give up. The
 * attack comes in waves from rotating IPs in three ASNs: premium-rate numbers, numbers walked one
 * by one through four mobile blocks, and random numbers sprayed over two mobile ranges; it never
 * enters a code. The checkpoint runs `pumpingGuards()` and the default tenant policy.
 */
export async function runPumpingSimulation(
  options: PumpingSimulationOptions = {},
): Promise<PumpingFigures> {
  const {
    seed = 20_261_122,
    store = new MemoryStore(),
    legitUsers = 2_000,
    attackSends = 4_000,
    hours = 6,
  } = options;
  const random = seededRandom(seed);
  const clock = new ManualClock();
  const start = clock.now();
  const end = start + hours * 60 * MINUTE;
  const sms = outboxChannel({ name: 'sms' });
  const voice = outboxChannel({ name: 'voice' });
  const outboxes = new Map<string, OutboxChannel>([
    ['sms', sms],
    ['voice', voice],
  ]);
  const throttles: ConversionThrottle[] = [];
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
      ...ATTACK_ASNS.map(([asn, network]) => ({ cidr: `${network}.0/24`, asn })),
    ]),
    guards: pumpingGuards({ onThrottle: (event) => void throttles.push(event) }),
  });

  const legit = { ...traffic(), users: legitUsers, approved: 0 };
  const attack = {
    ...traffic(),
    byKind: {
      premium: { sends: 0, blocked: 0 },
      sequential: { sends: 0, blocked: 0 },
      sprayed: { sends: 0, blocked: 0 },
    },
  };
  const queue = new EventQueue();

  // Legitimate users: arrivals spread evenly at random over the run.
  for (let user = 0; user < legitUsers; user += 1) {
    queue.push(start + random.int(0, end - start - 5 * MINUTE), async () => {
      const to = legitNumber(random);
      const ip = `10.${random.int(0, LEGIT_ASNS - 1)}.${random.int(0, 255)}.${random.int(1, 254)}`;
      await legitSend(to, ip, true);
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
    if (mayAskAgain && behaviour < 0.08) {
      // "I did not get it": asks for a new code a minute later, then uses that one.
      queue.push(clock.now() + random.int(45, 90) * 1_000, () => legitSend(to, ip, false));
    } else if (behaviour < 0.9) {
      const wrongFirst = random.chance(0.05);
      queue.push(clock.now() + random.int(15, 120) * 1_000, async () => {
        if (wrongFirst)
          await checkpoint.check({ id: sent.id, code: code === '000000' ? '1' : '000000' });
        const { status } = await checkpoint.check({ id: sent.id, code });
        if (status === 'approved') legit.approved += 1;
      });
    }
  }

  // The attack: waves of 20 to 50 sends a few seconds apart, every 1 to 3 minutes.
  const walked = SEQUENTIAL_BLOCKS.map(() => random.int(0, 2_000));
  let planned = 0;
  for (let wave = start + 20 * MINUTE; wave < end && planned < attackSends; ) {
    const size = Math.min(random.int(20, 50), attackSends - planned);
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
      queue.push(at, () => attackSend(kind, block));
    }
    planned += size;
    wave += random.int(1, 3) * MINUTE;
  }

  async function attackSend(kind: AttackKind, block: number): Promise<void> {
    let to: string | undefined;
    if (kind === 'premium') to = premiumNumber(random);
    else if (kind === 'sprayed') to = sprayedNumber(random);
    else {
      for (let tries = 0; tries < 10 && to === undefined; tries += 1) {
        walked[block] = (walked[block] ?? 0) + 1;
        to = sequentialNumber(SEQUENTIAL_BLOCKS[block] ?? '', walked[block] ?? 0);
      }
    }
    if (to === undefined) return;
    const [, network] = random.pick(ATTACK_ASNS);
    attack.sends += 1;
    attack.byKind[kind].sends += 1;
    try {
      await checkpoint.send({
        to,
        purpose: 'signup',
        context: { ip: `${network}.${random.int(1, 254)}` },
      });
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
    hours,
    attack: { ...attack, blockedShare: share(attack) },
    legit: { ...legit, blockedShare: share(legit) },
    throttles: throttles.length,
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
