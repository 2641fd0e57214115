// A credential counts at AAL3 only while the trust behind its attestation holds: a model reported
// compromised after enrolment, a tenant that withdraws its approval, or metadata that is not
// loaded bring it down to AAL2 — without locking its owner out.
import { describe, expect, it } from 'vitest';
import { approveAll, blobWith, fido, loadedMetadata, SECURITY_KEY } from '../fixtures/attested.js';
import { createHarness, START } from '../fixtures/harness.js';
import { MemoryCredentialRepository } from '../credentials/MemoryCredentialRepository.js';
import { createFidoMetadata } from '../metadata/createFidoMetadata.js';

async function enrolled() {
  let blob = fido.blob();
  const metadata = createFidoMetadata({
    source: { read: () => Promise.resolve(blob) },
    roots: [fido.root.pem],
    now: () => START,
  });
  await metadata.refresh();
  const harness = createHarness({ metadata, approveAal3Enrolment: approveAll });
  const key = harness.securityKey();
  await harness.register(key);
  expect((await harness.stepUp(key)).factor).toMatchObject({ deviceBound: true, aal: 3 });
  return {
    harness,
    key,
    publish: async (next: string) => {
      blob = next;
      await metadata.refresh();
    },
  };
}

describe('AAL3 standing at authentication', () => {
  it.each(['REVOKED', 'USER_KEY_PHYSICAL_COMPROMISE', 'ATTESTATION_KEY_COMPROMISE'] as const)(
    'drops to AAL2 once the metadata reports the model %s, still accepting the passkey',
    async (status) => {
      const { harness, key, publish } = await enrolled();
      await publish(blobWith({ statusReports: [{ status, effectiveDate: '2026-11-01' }] }));
      const { factor } = await harness.stepUp(key);
      expect(factor).toMatchObject({ userVerified: true, deviceBound: false, aal: 2 });
    },
  );

  it('drops to AAL2 when the metadata no longer says the keys are in hardware', async () => {
    const { harness, key, publish } = await enrolled();
    await publish(blobWith({ keyProtection: ['software'] }));
    expect((await harness.stepUp(key)).factor).toMatchObject({ deviceBound: false, aal: 2 });
  });

  it('drops to AAL2 when the model leaves the metadata', async () => {
    const { harness, key, publish } = await enrolled();
    await publish(fido.blob({ no: 2, authenticators: [] }));
    expect((await harness.stepUp(key)).factor).toMatchObject({ deviceBound: false, aal: 2 });
  });

  it('counts a metadata-trusted credential at AAL2 in a process whose metadata is not loaded yet', async () => {
    const credentials = new MemoryCredentialRepository();
    const first = createHarness({
      credentials,
      metadata: await loadedMetadata(),
      approveAal3Enrolment: approveAll,
    });
    const key = first.securityKey();
    await first.register(key);
    const notLoaded = createFidoMetadata({
      source: { read: () => Promise.resolve(fido.blob()) },
      roots: [fido.root.pem],
    });
    const second = createHarness({ credentials, metadata: notLoaded, store: first.store });
    expect((await second.stepUp(key)).factor).toMatchObject({ deviceBound: false, aal: 2 });
    await notLoaded.refresh();
    expect((await second.stepUp(key)).factor).toMatchObject({ deviceBound: true, aal: 3 });
  });

  it('drops to AAL2 when the tenant no longer approves the model it vouched for', async () => {
    const approved = { models: [{ aaguid: SECURITY_KEY, roots: [fido.attestationRoot.pem] }] };
    const harness = createHarness({
      approvedAuthenticators: () => approved.models,
      approveAal3Enrolment: approveAll,
    });
    const key = harness.securityKey();
    expect(await harness.register(key, { tenantId: 'bigcorp' })).toMatchObject({
      attested: { trust: 'tenant' },
      aal3: { first: true },
    });
    expect((await harness.stepUp(key, { tenantId: 'bigcorp' })).factor.aal).toBe(3);
    approved.models = [];
    expect((await harness.stepUp(key, { tenantId: 'bigcorp' })).factor).toMatchObject({
      deviceBound: false,
      aal: 2,
    });
  });

  it('does not count a stored AAL3 binding without the attestation that earned it', async () => {
    const harness = createHarness({ metadata: await loadedMetadata() });
    const key = harness.authenticator();
    const credential = await harness.register(key);
    // A record edited by hand (or by a bug) to claim an AAL3 binding.
    await harness.credentials.delete(credential.id);
    await harness.credentials.create({
      ...credential,
      aal3: { at: START, approvedBy: 'nobody', first: true },
    });
    expect((await harness.stepUp(key)).factor).toMatchObject({ deviceBound: false, aal: 2 });
  });
});
