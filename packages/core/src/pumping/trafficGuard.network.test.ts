// Threat: pumping from one host or data-centre range to numbers spread over every block and country.
import { describe, expect, it } from 'vitest';
import { type ConversionThrottle, MemoryStore } from '../index.js';
import { harness } from '../testing/harness.js';

/** A send is judged once its minute ended 90 s ago: 150 s after a send at the top of a minute. */
const JUDGED = 150_000;

/** Mobile numbers of Great Britain, each in a block of its own. */
const british = (i: number) => `+4474${String(i).padStart(3, '0')}12345`;
/** Mobile numbers of Tajikistan, each in a block of its own. */
const sprayed = (i: number) => `+99290${String(i).padStart(3, '0')}1234`;

function setup() {
  const throttles: ConversionThrottle[] = [];
  const store = new MemoryStore();
  const h = harness({ store, pumping: { onThrottle: (event) => void throttles.push(event) } });
  const send = (to: string, ip: string) =>
    h.checkpoint.send({ to, purpose: 'signup', context: { ip } });
  const sendAndApprove = async (to: string, ip: string) => {
    const { id } = await send(to, ip);
    return h.checkpoint.check({ id, code: h.codeFor(to) });
  };
  return { ...h, store, throttles, send, sendAndApprove };
}

describe('conversion guard, per network', () => {
  it('closes an IPv4 /24 whose 10 judged codes were never entered, to every number', async () => {
    const { clock, send, throttles } = setup();
    for (let i = 0; i < 10; i += 1) await send(british(i), `198.51.100.${i + 1}`);
    await clock.advance(JUDGED);
    await expect(send(british(10), '198.51.100.200')).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:conversion:network'],
      retryAfter: 900,
    });
    expect(throttles).toMatchObject([
      { scope: 'network', range: '198.51.100', sends: 10, approvals: 0, minPercent: 20 },
    ]);
    // The next /24, and the same address space seen as IPv4-mapped IPv6, are told apart correctly.
    await expect(send(british(11), '198.51.101.1')).resolves.toMatchObject({ status: 'pending' });
    await expect(send(british(12), '::ffff:198.51.100.9')).rejects.toMatchObject({
      reasons: ['pumping:conversion:network'],
    });
  });

  it('closes an IPv6 /48 the same way, whatever the hosts inside it', async () => {
    const { clock, send, throttles } = setup();
    for (let i = 0; i < 10; i += 1) await send(british(i), `2001:db8:1:${i.toString(16)}::1`);
    await clock.advance(JUDGED);
    await expect(send(british(10), '2001:db8:1:ffff::abcd')).rejects.toMatchObject({
      code: 'fraud_detected',
      reasons: ['pumping:conversion:network'],
    });
    expect(throttles).toMatchObject([{ scope: 'network', range: '2001:db8:1', sends: 10 }]);
    await expect(send(british(11), '2001:db8:2::1')).resolves.toMatchObject({ status: 'pending' });
  });

  it('does not judge a network on 9 sends', async () => {
    const { clock, send } = setup();
    for (let i = 0; i < 9; i += 1) await send(british(i), `198.51.100.${i + 1}`);
    await clock.advance(JUDGED);
    await expect(send(british(9), '198.51.100.200')).resolves.toMatchObject({ status: 'pending' });
  });

  it('keeps a network whose users enter their codes open (an office, a mobile carrier NAT)', async () => {
    const { clock, send, sendAndApprove, throttles } = setup();
    for (let i = 0; i < 30; i += 1) {
      // Three in four answer.
      const ip = `203.0.113.${i + 1}`;
      if (i % 4 === 0) await send(british(i), ip);
      else await sendAndApprove(british(i), ip);
      await clock.advance(20_000);
    }
    await clock.advance(JUDGED);
    await expect(send(british(99), '203.0.113.200')).resolves.toMatchObject({ status: 'pending' });
    expect(throttles).toEqual([]);
  });

  it('counts an approval for the network the code was sent from, not the one it is entered from', async () => {
    const { checkpoint, clock, send, codeFor } = setup();
    const sent = [];
    for (let i = 0; i < 10; i += 1) sent.push(await send(british(i), `198.51.100.${i + 1}`));
    // Two users enter their codes on another network (a phone off the office Wi-Fi).
    for (const [i, { id }] of sent.slice(0, 2).entries()) {
      await checkpoint.check({ id, code: codeFor(british(i)), context: { ip: '192.0.2.1' } });
    }
    await clock.advance(JUDGED);
    await expect(send(british(10), '198.51.100.200')).resolves.toMatchObject({ status: 'pending' });
  });

  it('keeps the network of a send on its record as a number, never the IP', async () => {
    const { send, store } = setup();
    const a = await send(british(0), '198.51.100.1');
    const b = await send(british(1), '198.51.100.250');
    const c = await send(british(2), '198.51.101.1');
    const [first, second, third] = await Promise.all([a, b, c].map(({ id }) => store.get(id)));
    expect(typeof first?.network).toBe('number');
    expect(second?.network).toBe(first?.network);
    expect(third?.network).not.toBe(first?.network);
    expect(JSON.stringify(first)).not.toContain('198.51.100');
  });
});

describe('a closed country and a proven network', () => {
  it('still takes sends from a network whose codes are being approved', async () => {
    const { clock, send, sendAndApprove, throttles } = setup();
    // Real users of the country, on one network, enter their codes…
    for (let i = 0; i < 3; i += 1) {
      await expect(sendAndApprove(sprayed(i), `203.0.113.${i + 1}`)).resolves.toMatchObject({
        status: 'approved',
      });
    }
    // …while the country is sprayed from everywhere else: 3 approvals of 23 sends.
    for (let i = 3; i < 23; i += 1) await send(sprayed(i), `10.${i}.0.1`);
    await clock.advance(JUDGED);
    await expect(send(sprayed(23), '10.99.0.1')).rejects.toMatchObject({
      code: 'country_blocked',
      reasons: ['pumping:conversion:country'],
    });
    await expect(send(sprayed(24), '203.0.113.50')).resolves.toMatchObject({ status: 'pending' });
    expect(throttles).toMatchObject([{ scope: 'country', range: 'TJ', sends: 23, approvals: 3 }]);
  });

  it('does not count a network as proven by sends alone', async () => {
    const { clock, send } = setup();
    // A network with sends to other countries but no approvals anywhere.
    for (let i = 0; i < 5; i += 1) await send(british(i), `203.0.113.${i + 1}`);
    for (let i = 0; i < 20; i += 1) await send(sprayed(i), `10.${i}.0.1`);
    await clock.advance(JUDGED);
    await expect(send(sprayed(20), '203.0.113.50')).rejects.toMatchObject({
      code: 'country_blocked',
    });
  });

  it('does not count a network as proven when its approvals are below the minimum share', async () => {
    const { clock, send, sendAndApprove } = setup();
    // One approval of 6 sends from the network: under a fifth.
    await sendAndApprove(british(0), '203.0.113.1');
    for (let i = 1; i < 6; i += 1) await send(british(i), `203.0.113.${i + 1}`);
    for (let i = 0; i < 20; i += 1) await send(sprayed(i), `10.${i}.0.1`);
    await clock.advance(JUDGED);
    await expect(send(sprayed(20), '203.0.113.50')).rejects.toMatchObject({
      code: 'country_blocked',
    });
  });
});
