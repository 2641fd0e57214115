// An authenticator's own claims never make it AAL3: only an attestation that chains to a root
// listed for its model (FIDO metadata, or a tenant's approval), of hardware-protected keys, bound
// from an AAL3 session or with an out-of-band approval.
import { describe, expect, it, vi } from 'vitest';
import {
  approveAll,
  blobWith,
  fido,
  loadedMetadata,
  SECURITY_KEY,
  SOFTWARE_MODEL,
} from '../fixtures/attested.js';
import { attestedHarness, createHarness, START } from '../fixtures/harness.js';
import { createFidoMetadata } from '../metadata/createFidoMetadata.js';
import { createTestMetadata } from '../testing/createTestMetadata.js';
import { metadataBlob, metadataEntry } from '../testing/metadataBlob.js';
import { testCertificate } from '../testing/testCertificate.js';

const IN_HOUSE = '9d3df6ba-282f-11ed-a261-0242ac120002';

describe('verifyRegistration: what attestation proves', () => {
  it('binds a packed attestation chained to the metadata’s root for a hardware model at AAL3 (approved)', async () => {
    const harness = await attestedHarness();
    const key = harness.securityKey();
    const credential = await harness.register(key);
    expect(credential).toMatchObject({
      deviceType: 'singleDevice',
      attested: {
        format: 'packed',
        aaguid: SECURITY_KEY,
        trust: 'metadata',
        keyProtection: ['hardware', 'secure_element'],
      },
      aal3: { at: START, approvedBy: 'help desk, ticket SEC-1', first: true },
    });
    expect((await harness.stepUp(key)).factor).toMatchObject({ deviceBound: true, aal: 3 });
  });

  it.each([
    ['none attestation', 'none'],
    ['self attestation (signed by the credential key itself)', 'self'],
  ] as const)('proves nothing about the same key with %s: AAL2 at most', async (_, attestation) => {
    const approve = vi.fn(approveAll);
    const harness = await attestedHarness({ approveAal3Enrolment: approve });
    const key = harness.securityKey();
    const credential = await harness.register(key, { overrides: { attestation } });
    expect(credential.attested).toBeUndefined();
    expect(credential.aal3).toBeUndefined();
    expect(approve).not.toHaveBeenCalled();
    const { factor } = await harness.stepUp(key);
    expect(factor).toMatchObject({ userVerified: true, deviceBound: false, aal: 2 });
  });

  it('proves nothing with an attestation that chains to a root nobody listed (accepted at AAL2, not refused)', async () => {
    const rogue = createTestMetadata({ authenticators: [{ aaguid: SECURITY_KEY }], name: 'Rogue' });
    const harness = await attestedHarness();
    const key = harness.securityKey({ attestation: rogue.attestation(SECURITY_KEY) });
    const credential = await harness.register(key);
    expect(credential).toMatchObject({ aaguid: SECURITY_KEY, deviceType: 'singleDevice' });
    expect(credential.attested).toBeUndefined();
    expect((await harness.stepUp(key)).factor).toMatchObject({ deviceBound: false, aal: 2 });
  });

  it('proves nothing when one model’s attestation claims another model’s AAGUID', async () => {
    // A genuine attestation key of the software model, signing a statement that says SECURITY_KEY.
    const harness = await attestedHarness();
    const liar = harness.securityKey({ attestation: fido.attestation(SOFTWARE_MODEL) });
    // The certificate names its own AAGUID: the library refuses the mismatch outright.
    await expect(harness.register(liar)).rejects.toMatchObject({
      reasons: ['webauthn:verification'],
    });
  });

  it('records a proven software model but keeps it at AAL2', async () => {
    const harness = await attestedHarness();
    const token = harness.securityKey({
      aaguid: SOFTWARE_MODEL,
      attestation: fido.attestation(SOFTWARE_MODEL),
    });
    const credential = await harness.register(token);
    expect(credential.attested).toMatchObject({ trust: 'metadata', keyProtection: ['software'] });
    expect(credential.aal3).toBeUndefined();
    expect((await harness.stepUp(token)).factor).toMatchObject({ deviceBound: false, aal: 2 });
  });

  it('keeps a proven hardware model that is synced (BE set) at AAL2', async () => {
    const harness = await attestedHarness();
    const synced = harness.securityKey({ backupEligible: true, backupState: true });
    const credential = await harness.register(synced);
    expect(credential.attested).toMatchObject({ trust: 'metadata' });
    expect(credential.aal3).toBeUndefined();
  });

  it('proves nothing while no metadata is loaded', async () => {
    const unloaded = createFidoMetadata({
      source: { read: () => Promise.resolve(fido.blob()) },
      roots: [fido.root.pem],
    });
    const harness = createHarness({ metadata: unloaded, approveAal3Enrolment: approveAll });
    const credential = await harness.register(harness.securityKey());
    expect(credential.attested).toBeUndefined();
    expect(credential.aal3).toBeUndefined();
  });
});

describe('verifyRegistration: status reports', () => {
  it.each([
    'REVOKED',
    'USER_VERIFICATION_BYPASS',
    'USER_KEY_REMOTE_COMPROMISE',
    'USER_KEY_PHYSICAL_COMPROMISE',
  ] as const)('refuses a model reported %s, storing nothing', async (status) => {
    const metadata = await loadedMetadata(
      blobWith({
        statusReports: [{ status: 'FIDO_CERTIFIED_L1' }, { status, effectiveDate: '2026-01-01' }],
      }),
    );
    const harness = createHarness({ metadata, approveAal3Enrolment: approveAll });
    await expect(harness.register(harness.securityKey())).rejects.toMatchObject({
      code: 'authentication_failed',
      reasons: ['webauthn:authenticator_status'],
    });
    expect(await harness.credentials.listByUser('u_ada')).toEqual([]);
  });

  it('treats a model whose attestation key leaked as unattested: AAL2, not refused', async () => {
    const metadata = await loadedMetadata(
      blobWith({ statusReports: [{ status: 'ATTESTATION_KEY_COMPROMISE' }] }),
    );
    const harness = createHarness({ metadata, approveAal3Enrolment: approveAll });
    const credential = await harness.register(harness.securityKey());
    expect(credential.attested).toBeUndefined();
    expect(credential.aal3).toBeUndefined();
  });

  it('ignores a report that takes effect later, and does not lift a compromise with a later certification', async () => {
    const future = await loadedMetadata(
      blobWith({ statusReports: [{ status: 'REVOKED', effectiveDate: '2027-06-01' }] }),
      () => START,
    );
    const harness = createHarness({ metadata: future, approveAal3Enrolment: approveAll });
    await expect(harness.register(harness.securityKey())).resolves.toMatchObject({
      aal3: { first: true },
    });

    const relisted = await loadedMetadata(
      blobWith({
        statusReports: [
          { status: 'USER_VERIFICATION_BYPASS', effectiveDate: '2025-01-01' },
          { status: 'FIDO_CERTIFIED_L2', effectiveDate: '2026-01-01' },
        ],
      }),
    );
    const other = createHarness({ metadata: relisted });
    await expect(other.register(other.securityKey())).rejects.toMatchObject({
      reasons: ['webauthn:authenticator_status'],
    });
  });
});

describe('verifyRegistration: models a tenant approves', () => {
  const maker = createTestMetadata({ authenticators: [{ aaguid: IN_HOUSE }], name: 'In-house' });
  const inHouseKey = { aaguid: IN_HOUSE, attestation: maker.attestation(IN_HOUSE) };
  const approving = {
    approvedAuthenticators: (tenantId: string | undefined) =>
      tenantId === 'bigcorp'
        ? [{ aaguid: IN_HOUSE, roots: [maker.attestationRoot.pem], description: 'Bigcorp key' }]
        : undefined,
    approveAal3Enrolment: approveAll,
  };

  it('asks for direct attestation and proves a model the tenant approves with its root', async () => {
    const harness = createHarness(approving);
    const creation = await harness.webauthn.registrationOptions({
      userId: 'u_ada',
      userName: 'ada@bigcorp.example',
      tenantId: 'bigcorp',
    });
    expect(creation.attestation).toBe('direct');
    const credential = await harness.register(harness.securityKey(inHouseKey), {
      tenantId: 'bigcorp',
    });
    expect(credential).toMatchObject({
      attested: {
        trust: 'tenant',
        aaguid: IN_HOUSE,
        keyProtection: [],
        description: 'Bigcorp key',
      },
      aal3: { first: true },
    });
  });

  it('proves nothing in a tenant that does not approve the model, or against roots of another model', async () => {
    const harness = createHarness(approving);
    const elsewhere = await harness.register(harness.securityKey(inHouseKey), { tenantId: 'acme' });
    expect(elsewhere.attested).toBeUndefined();

    const wrongRoots = createHarness({
      approvedAuthenticators: () => [{ aaguid: IN_HOUSE, roots: [fido.attestationRoot.pem] }],
      approveAal3Enrolment: approveAll,
    });
    const credential = await wrongRoots.register(wrongRoots.securityKey(inHouseKey));
    expect(credential.attested).toBeUndefined();
  });

  it('still honours the metadata’s status reports for a model the tenant approves', async () => {
    const metadata = await loadedMetadata(blobWith({ statusReports: [{ status: 'REVOKED' }] }));
    const harness = createHarness({
      metadata,
      approvedAuthenticators: () => [{ aaguid: SECURITY_KEY, roots: [fido.attestationRoot.pem] }],
    });
    await expect(harness.register(harness.securityKey())).rejects.toMatchObject({
      reasons: ['webauthn:authenticator_status'],
    });
  });

  it('refuses a tenant approval whose roots are not certificates, as a TypeError', async () => {
    const harness = createHarness({
      approvedAuthenticators: () => [{ aaguid: SECURITY_KEY, roots: ['-----BEGIN nonsense'] }],
    });
    await expect(harness.register(harness.securityKey())).rejects.toThrow(TypeError);
  });
});

describe('verifyRegistration: U2F attestation', () => {
  it('proves a U2F model the metadata names by its certificate key identifier', async () => {
    const mdsRoot = testCertificate({ subject: { CN: 'MDS Root' }, ca: true });
    const signer = testCertificate({ subject: { CN: 'MDS Signer' }, issuer: mdsRoot });
    const u2fRoot = testCertificate({
      subject: { C: 'US', O: 'U2F Maker', CN: 'U2F Root' },
      ca: true,
    });
    const leaf = testCertificate({
      subject: { C: 'US', O: 'U2F Maker', OU: 'Authenticator Attestation', CN: 'U2F Key' },
      issuer: u2fRoot,
    });
    const blob = metadataBlob({
      signer: [signer, mdsRoot],
      entries: [
        metadataEntry({
          attestationCertificateKeyIdentifiers: [leaf.keyIdentifier],
          attestationRoots: [u2fRoot],
          description: 'Test U2F key',
        }),
      ],
    });
    const metadata = createFidoMetadata({
      source: { read: () => Promise.resolve(blob) },
      roots: [mdsRoot.pem],
    });
    await metadata.refresh();
    const harness = createHarness({ metadata, approveAal3Enrolment: approveAll });
    const u2f = harness.authenticator({
      attestation: { format: 'fido-u2f', privateKey: leaf.privateKey, certificates: [leaf.der] },
    });
    const credential = await harness.register(u2f);
    expect(credential).toMatchObject({
      aaguid: '00000000-0000-0000-0000-000000000000',
      attested: {
        format: 'fido-u2f',
        keyIdentifier: leaf.keyIdentifier,
        trust: 'metadata',
        description: 'Test U2F key',
      },
      aal3: { first: true },
    });
    expect((await harness.stepUp(u2f)).factor).toMatchObject({ deviceBound: true, aal: 3 });
  });
});

describe('verifyRegistration: binding at AAL3', () => {
  it('keeps an AAL3-capable credential at AAL2 without an AAL3 session or an approval', async () => {
    const harness = await attestedHarness({ approveAal3Enrolment: () => undefined });
    const key = harness.securityKey();
    const credential = await harness.register(key);
    expect(credential.attested).toMatchObject({ trust: 'metadata' });
    expect(credential.aal3).toBeUndefined();
    expect((await harness.stepUp(key)).factor).toMatchObject({ deviceBound: false, aal: 2 });

    const noCallback = createHarness({ metadata: await loadedMetadata() });
    expect((await noCallback.register(noCallback.securityKey())).aal3).toBeUndefined();
  });

  it('binds from an AAL3 session without asking for an approval, and says whether it is the first', async () => {
    const approve = vi.fn(approveAll);
    const harness = await attestedHarness({ approveAal3Enrolment: approve });
    const first = await harness.register(harness.securityKey());
    expect(first.aal3).toMatchObject({ approvedBy: 'help desk, ticket SEC-1', first: true });
    expect(approve).toHaveBeenCalledWith({
      userId: 'u_ada',
      attestation: expect.objectContaining({ aaguid: SECURITY_KEY }) as unknown,
      first: true,
    });

    const creation = await harness.webauthn.registrationOptions({
      userId: 'u_ada',
      userName: 'ada',
    });
    const second = await harness.webauthn.verifyRegistration({
      userId: 'u_ada',
      response: harness.securityKey().register(creation),
      sessionAal: 3,
    });
    expect(second.aal3).toEqual({ at: START, approvedBy: 'aal3-session', first: false });
    expect(approve).toHaveBeenCalledTimes(1);
  });

  it('never binds at AAL3 when the approval store fails: store_unavailable, nothing stored', async () => {
    const harness = await attestedHarness({
      approveAal3Enrolment: () => Promise.reject(new Error('approvals database down')),
    });
    await expect(harness.register(harness.securityKey())).rejects.toMatchObject({
      code: 'store_unavailable',
    });
    expect(await harness.credentials.listByUser('u_ada')).toEqual([]);
  });

  it('refuses an approval that does not say who approved it, as a TypeError', async () => {
    const harness = await attestedHarness({ approveAal3Enrolment: () => true as never });
    await expect(harness.register(harness.securityKey())).rejects.toThrow(/approvedBy/);
  });

  it('refuses a sessionAal that is not a level', async () => {
    const harness = await attestedHarness();
    const creation = await harness.webauthn.registrationOptions({
      userId: 'u_ada',
      userName: 'ada',
    });
    await expect(
      harness.webauthn.verifyRegistration({
        userId: 'u_ada',
        response: harness.securityKey().register(creation),
        sessionAal: 4 as never,
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('asks for enterprise attestation when configured', async () => {
    const harness = await attestedHarness({ attestation: 'enterprise' });
    const creation = await harness.webauthn.registrationOptions({
      userId: 'u_ada',
      userName: 'ada',
    });
    expect(creation.attestation).toBe('enterprise');
  });
});
