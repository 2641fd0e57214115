// Forged, tampered or replayed metadata must never become the trust anchors: a BLOB is used only
// when its signature chains to the configured root, and never one older than the BLOB in use.
import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestMetadata } from '../testing/createTestMetadata.js';
import { metadataBlob, metadataEntry } from '../testing/metadataBlob.js';
import { testCertificate } from '../testing/testCertificate.js';
import { createFidoMetadata } from './createFidoMetadata.js';

const KEY = '2fc0579f-8113-47ea-b116-bb5a8db9202a';
const fido = createTestMetadata({ authenticators: [{ aaguid: KEY }] });

function loading(blob: string) {
  return createFidoMetadata({
    source: { read: () => Promise.resolve(blob) },
    roots: [fido.root.pem],
  }).refresh();
}

const part = (blob: string, index: number) => blob.split('.')[index] ?? '';
const json = (encoded: string) =>
  JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Record<string, unknown>;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('metadata BLOB trust', () => {
  it('refuses a BLOB signed under another root, with a typed error', async () => {
    const rogue = createTestMetadata({ authenticators: [{ aaguid: KEY }], name: 'Rogue' });
    await expect(loading(rogue.blob())).rejects.toMatchObject({
      name: 'CheckpointError',
      code: 'invalid_request',
      reasons: ['webauthn:metadata_chain'],
      message:
        'the metadata BLOB is not signed by a certificate that chains to the configured root',
    });
  });

  it('refuses a BLOB whose x5c names the configured root but is signed by another key', async () => {
    // The real chain in the header, the signature made by a key of the forger's own.
    const forger = testCertificate({ subject: { CN: 'Forger' } });
    const genuine = fido.blob();
    const header = json(part(genuine, 0));
    const payload = encode({ ...json(part(genuine, 1)), no: 99 });
    const forged = metadataBlob({ signer: [forger], entries: [], no: 99 });
    const blob = `${encode(header)}.${payload}.${part(forged, 2)}`;
    await expect(loading(blob)).rejects.toMatchObject({
      reasons: ['webauthn:metadata_signature'],
    });
  });

  it('refuses a genuine BLOB whose payload was changed after signing', async () => {
    const genuine = fido.blob();
    const payload = json(part(genuine, 1));
    const entries = payload['entries'] as { statusReports: unknown[] }[];
    // Hide a revocation: replace the status reports.
    const changed = {
      ...payload,
      entries: entries.map((entry) => ({
        ...entry,
        statusReports: [{ status: 'FIDO_CERTIFIED_L3' }],
      })),
    };
    const blob = `${part(genuine, 0)}.${encode(changed)}.${part(genuine, 2)}`;
    await expect(loading(blob)).rejects.toMatchObject({
      reasons: ['webauthn:metadata_signature'],
    });
  });

  it('refuses a BLOB whose header was changed after signing (here: its alg)', async () => {
    const genuine = fido.blob();
    const header = { ...json(part(genuine, 0)), alg: 'RS256' };
    const blob = `${encode(header)}.${part(genuine, 1)}.${part(genuine, 2)}`;
    await expect(loading(blob)).rejects.toMatchObject({
      reasons: ['webauthn:metadata_signature'],
    });
  });

  it.each([
    ['an empty file', ''],
    ['HTML from a captive portal', '<html><body>Sign in to Wi-Fi</body></html>'],
    ['a JWT with alg none', `${encode({ alg: 'none' })}.${encode({ no: 1 })}.`],
    ['a header without x5c', `${encode({ alg: 'ES256', x5u: 'https://evil.example/c' })}.e30.AA`],
    ['x5c that is not a certificate', `${encode({ alg: 'ES256', x5c: ['AAAA'] })}.e30.AA`],
  ])('refuses %s as metadata_format', async (_, blob) => {
    await expect(loading(blob)).rejects.toMatchObject({
      code: 'invalid_request',
      reasons: ['webauthn:metadata_format'],
    });
  });

  it.each([
    ['no serial number', { nextUpdate: '2099-01-01', entries: [] }],
    ['no nextUpdate', { no: 1, entries: [] }],
    ['entries that are not a list', { no: 1, nextUpdate: '2099-01-01', entries: {} }],
  ])('refuses a validly signed payload with %s as metadata_format', async (_, payload) => {
    const root = testCertificate({ subject: { CN: 'Root' }, ca: true });
    const signer = testCertificate({ subject: { CN: 'Signer' }, issuer: root });
    const header = { alg: 'ES256', x5c: [Buffer.from(signer.der).toString('base64')] };
    const signed = `${encode(header)}.${encode(payload)}`;
    const signature = sign('sha256', Buffer.from(signed), {
      key: signer.privateKey,
      dsaEncoding: 'ieee-p1363',
    }).toString('base64url');
    const metadata = createFidoMetadata({
      source: { read: () => Promise.resolve(`${signed}.${signature}`) },
      roots: [root.pem],
    });
    await expect(metadata.refresh()).rejects.toMatchObject({
      reasons: ['webauthn:metadata_format'],
    });
  });

  it('leaves out entries of the wrong shape rather than trusting them', async () => {
    const root = testCertificate({ subject: { CN: 'Root' }, ca: true });
    const signer = testCertificate({ subject: { CN: 'Signer' }, issuer: root });
    const good = metadataEntry({ aaguid: KEY, attestationRoots: [root] });
    const broken = { aaguid: 'f8a011f3-8c0a-4d15-8006-17111f9edc7d', statusReports: 'REVOKED' };
    const blob = metadataBlob({ signer: [signer, root], entries: [good, broken as never] });
    const metadata = createFidoMetadata({
      source: { read: () => Promise.resolve(blob) },
      roots: [root.pem],
    });
    await expect(metadata.refresh()).resolves.toMatchObject({ entries: 1 });
    expect(metadata.entryFor({ aaguid: 'f8a011f3-8c0a-4d15-8006-17111f9edc7d' })).toBeUndefined();
  });

  it('refuses an older BLOB than the one in use (a replay that hides a newer status report)', async () => {
    let blob = fido.blob({
      no: 7,
      authenticators: [{ aaguid: KEY, statusReports: [{ status: 'REVOKED' }] }],
    });
    const metadata = createFidoMetadata({
      source: { read: () => Promise.resolve(blob) },
      roots: [fido.root.pem],
    });
    await metadata.refresh();
    blob = fido.blob({ no: 6 });
    await expect(metadata.refresh()).rejects.toMatchObject({
      code: 'invalid_request',
      reasons: ['webauthn:metadata_rollback'],
    });
    expect(metadata.current?.no).toBe(7);
    expect(metadata.entryFor({ aaguid: KEY })?.statusReports[0]?.status).toBe('REVOKED');
  });
});
