// Threat: texts to lines that cannot take them (landline text-to-speech, VoIP) and codes sent to a freshly swapped SIM.
import { describe, expect, it } from 'vitest';
import type { LookupProvider, LookupResult } from '../index.js';
import { harness } from '../testing/harness.js';

const LANDLINE = '+442030123456';
const VOIP = '+445612345678';
const MOBILE = '+447400123456';

/** A LookupProvider that reports what the test says, and nothing when it says nothing. */
function provider(facts: Partial<LookupResult>): LookupProvider {
  return {
    lookup: async () => {
      const { carrier, simSwapAgeSeconds, reassigned, lineType } = facts;
      return {
        ...(carrier === undefined ? {} : { carrier }),
        ...(simSwapAgeSeconds === undefined ? {} : { simSwapAgeSeconds }),
        ...(reassigned === undefined ? {} : { reassigned }),
        ...(lineType === undefined ? {} : { lineType }),
      };
    },
  };
}

describe('channel policy: line types that get no SMS', () => {
  it('calls a landline instead of texting it, and records why SMS was skipped', async () => {
    const { checkpoint, sms, voice } = harness();
    const sent = await checkpoint.send({ to: LANDLINE, purpose: 'login' });
    expect(sent.channel).toBe('voice');
    expect(sms.messages).toHaveLength(0);
    expect(voice.latest(LANDLINE)?.code).toMatch(/^\d{6}$/);
    const [requested] = await checkpoint.audit(sent.id);
    expect(requested).toMatchObject({
      type: 'verification.requested',
      reasons: ['pumping:line_type:fixed_line'],
      data: { channels: 'voice' },
    });
  });

  it('refuses a VoIP number when SMS is the only channel', async () => {
    const { checkpoint, sms } = harness();
    await expect(
      checkpoint.send({ to: VOIP, purpose: 'signup', channels: ['sms'] }),
    ).rejects.toMatchObject({ code: 'fraud_detected', reasons: ['pumping:line_type:voip'] });
    expect(sms.messages).toHaveLength(0);
  });

  it('texts a landline for a tenant that allows it', async () => {
    const { checkpoint } = harness();
    await checkpoint.configure('acme', { pumping: { noSmsLineTypes: [] } });
    await expect(
      checkpoint.send({ to: LANDLINE, purpose: 'login', tenantId: 'acme' }),
    ).resolves.toMatchObject({ channel: 'sms' });
  });

  it('uses the line type a LookupProvider reports', async () => {
    const { checkpoint } = harness({ lookupProvider: provider({ lineType: 'voip' }) });
    await expect(checkpoint.send({ to: '+14155550100', purpose: 'login' })).resolves.toMatchObject({
      channel: 'voice',
    });
  });
});

describe('channel policy: a recent SIM swap', () => {
  it('skips every channel that reaches the SIM and sends by email', async () => {
    const { checkpoint, sms, voice, email } = harness({
      lookupProvider: provider({ simSwapAgeSeconds: 3_600 }),
    });
    const sent = await checkpoint.send({
      to: { phone: MOBILE, email: 'ada@example.com' },
      purpose: 'password_reset',
    });
    expect(sent.channel).toBe('email');
    expect(sms.messages).toHaveLength(0);
    expect(voice.messages).toHaveLength(0);
    expect(email.latest('ada@example.com')?.code).toMatch(/^\d{6}$/);
    const [requested] = await checkpoint.audit(sent.id);
    expect(requested).toMatchObject({
      reasons: ['sim_swap:recent'],
      data: { channels: 'email', simSwapAgeSeconds: 3_600 },
    });
  });

  it('refuses with a clear reason when only SIM channels are left', async () => {
    const { checkpoint, sms } = harness({ lookupProvider: provider({ simSwapAgeSeconds: 60 }) });
    const error = await checkpoint
      .send({ to: MOBILE, purpose: 'login' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'fraud_detected', reasons: ['sim_swap:recent'] });
    expect(String((error as Error).message)).toContain('sim_swap:recent');
    expect(sms.messages).toHaveLength(0);
  });

  it('texts as usual when the swap is older than the tenant threshold', async () => {
    const { checkpoint } = harness({
      lookupProvider: provider({ simSwapAgeSeconds: 30 * 86_400 }),
    });
    await expect(checkpoint.send({ to: MOBILE, purpose: 'login' })).resolves.toMatchObject({
      channel: 'sms',
    });
  });

  it("follows the tenant's threshold and its list of media", async () => {
    const { checkpoint } = harness({
      lookupProvider: provider({ simSwapAgeSeconds: 2 * 86_400 }),
    });
    await checkpoint.configure('lenient', { pumping: { recentSimSwapSeconds: 86_400 } });
    await checkpoint.configure('sms-only-rule', { pumping: { simSwapSkipMedia: ['sms'] } });
    await checkpoint.configure('off', { pumping: { recentSimSwapSeconds: 0 } });
    const channel = async (tenantId: string) =>
      (await checkpoint.send({ to: MOBILE, purpose: 'login', tenantId })).channel;
    expect(await channel('lenient')).toBe('sms');
    expect(await channel('sms-only-rule')).toBe('voice');
    expect(await channel('off')).toBe('sms');
  });

  it('assumes nothing without a LookupProvider: libphonenumber-js knows no SIM swaps', async () => {
    const { checkpoint } = harness();
    const sent = await checkpoint.send({ to: MOBILE, purpose: 'login' });
    expect(sent.channel).toBe('sms');
    expect(await checkpoint.lookup(MOBILE)).toEqual({
      e164: MOBILE,
      country: 'GB',
      lineType: 'mobile',
      valid: true,
    });
  });
});
