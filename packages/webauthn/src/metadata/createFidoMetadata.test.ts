import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestMetadata } from '../testing/createTestMetadata.js';
import { metadataBlob, metadataEntry } from '../testing/metadataBlob.js';
import { testCertificate } from '../testing/testCertificate.js';
import { createFidoMetadata } from './createFidoMetadata.js';
import { FIDO_MDS_ROOTS } from './fidoRoots.js';

const KEY = '2fc0579f-8113-47ea-b116-bb5a8db9202a';
const fido = createTestMetadata({ authenticators: [{ aaguid: KEY, description: 'Test Key' }] });
const NOW = Date.UTC(2026, 10, 22, 12);
const fromText = (blob: string) => ({ read: () => Promise.resolve(blob) });

describe('createFidoMetadata', () => {
  it('loads nothing until refresh() is called, then describes the BLOB’s models', async () => {
    const read = vi.fn(() => Promise.resolve(fido.blob()));
    const metadata = createFidoMetadata({
      source: { read },
      roots: [fido.root.pem],
      now: () => NOW,
    });
    expect(read).not.toHaveBeenCalled();
    expect(metadata.current).toBeUndefined();
    expect(metadata.entryFor({ aaguid: KEY })).toBeUndefined();

    await expect(metadata.refresh()).resolves.toEqual({
      no: 1,
      nextUpdate: '2099-12-01',
      loadedAt: NOW,
      entries: 1,
    });
    expect(read).toHaveBeenCalledTimes(1);
    expect(metadata.entryFor({ aaguid: KEY.toUpperCase() })?.metadataStatement).toMatchObject({
      description: 'Test Key',
      keyProtection: ['hardware', 'secure_element'],
    });
    expect(metadata.entryFor({ aaguid: '00000000-0000-0000-0000-000000000000' })).toBeUndefined();
  });

  it('moves to a BLOB with a higher serial number, and keeps the one in use for the same number', async () => {
    let blob = fido.blob();
    const metadata = createFidoMetadata({
      source: { read: () => Promise.resolve(blob) },
      roots: [fido.root.pem],
    });
    await metadata.refresh();
    blob = fido.blob({
      no: 1,
      authenticators: [{ aaguid: KEY, statusReports: [{ status: 'REVOKED' }] }],
    });
    await expect(metadata.refresh()).resolves.toMatchObject({ no: 1 });
    expect(metadata.entryFor({ aaguid: KEY })?.statusReports[0]?.status).toBe('FIDO_CERTIFIED_L1');

    blob = fido.blob({
      no: 2,
      authenticators: [{ aaguid: KEY, statusReports: [{ status: 'REVOKED' }] }],
    });
    await expect(metadata.refresh()).resolves.toMatchObject({ no: 2 });
    expect(metadata.entryFor({ aaguid: KEY })?.statusReports[0]?.status).toBe('REVOKED');
  });

  it('finds U2F models by attestation certificate key identifier', async () => {
    const root = testCertificate({ subject: { CN: 'MDS Root' }, ca: true });
    const signer = testCertificate({ subject: { CN: 'MDS Signer' }, issuer: root });
    const u2fRoot = testCertificate({ subject: { CN: 'U2F Root' }, ca: true });
    const entry = metadataEntry({
      attestationCertificateKeyIdentifiers: ['AB12CD'],
      attestationRoots: [u2fRoot],
    });
    const metadata = createFidoMetadata({
      source: fromText(metadataBlob({ signer: [signer, root], entries: [entry] })),
      roots: [root.pem],
    });
    await metadata.refresh();
    expect(metadata.entryFor({ keyIdentifier: 'ab12cd' })).toEqual(entry);
    expect(
      metadata.entryFor({
        aaguid: '00000000-0000-0000-0000-000000000000',
        keyIdentifier: 'ab12cd',
      }),
    ).toEqual(entry);
  });

  it('shares one load between concurrent refreshes', async () => {
    const read = vi.fn(() => Promise.resolve(fido.blob()));
    const metadata = createFidoMetadata({ source: { read }, roots: [fido.root.pem] });
    const [a, b] = await Promise.all([metadata.refresh(), metadata.refresh()]);
    expect(a).toBe(b);
    expect(read).toHaveBeenCalledTimes(1);
  });

  describe('sources', () => {
    let directory: string | undefined;
    let server: Server | undefined;
    afterEach(async () => {
      if (directory !== undefined) await rm(directory, { recursive: true, force: true });
      server?.closeAllConnections();
      await new Promise((resolve) =>
        server === undefined ? resolve(undefined) : server.close(resolve),
      );
      directory = undefined;
      server = undefined;
    });

    it('reads a file the app downloaded', async () => {
      directory = await mkdtemp(join(tmpdir(), 'fido-mds-'));
      const file = join(directory, 'blob.jwt');
      await writeFile(file, `${fido.blob()}\n`);
      const metadata = createFidoMetadata({ source: { file }, roots: [fido.root.pem] });
      await expect(metadata.refresh()).resolves.toMatchObject({ no: 1, entries: 1 });
    });

    it('downloads from a URL at each refresh, and nowhere else', async () => {
      let served = 0;
      server = createServer((_req, res) => {
        served += 1;
        res.end(fido.blob({ no: served }));
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const metadata = createFidoMetadata({ source: { url }, roots: [fido.root.pem] });
      expect(served).toBe(0);
      await metadata.refresh();
      metadata.entryFor({ aaguid: KEY });
      expect(served).toBe(1);
      await expect(metadata.refresh()).resolves.toMatchObject({ no: 2 });
      expect(served).toBe(2);
    });

    it('fails as store_unavailable when the source cannot be read, keeping the BLOB in use', async () => {
      let fail = false;
      const metadata = createFidoMetadata({
        source: {
          read: () => (fail ? Promise.reject(new Error('ENOENT')) : Promise.resolve(fido.blob())),
        },
        roots: [fido.root.pem],
      });
      await metadata.refresh();
      fail = true;
      await expect(metadata.refresh()).rejects.toMatchObject({
        name: 'CheckpointError',
        code: 'store_unavailable',
        reasons: ['webauthn:metadata_source'],
      });
      expect(metadata.current?.no).toBe(1);
      expect(metadata.entryFor({ aaguid: KEY })).toBeDefined();

      const missing = createFidoMetadata({
        source: { file: '/nonexistent/blob.jwt' },
        roots: [fido.root.pem],
      });
      await expect(missing.refresh()).rejects.toMatchObject({
        reasons: ['webauthn:metadata_source'],
      });
    });
  });

  it('refreshes on a timer the app starts, reporting failures and stopping when told', async () => {
    vi.useFakeTimers();
    try {
      let blob = fido.blob();
      const metadata = createFidoMetadata({
        source: { read: () => Promise.resolve(blob) },
        roots: [fido.root.pem],
      });
      const errors: unknown[] = [];
      const stop = metadata.startRefreshing({
        intervalSeconds: 3_600,
        onError: (e) => errors.push(e),
      });
      expect(metadata.current).toBeUndefined();
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(metadata.current?.no).toBe(1);

      blob = 'not.a.blob';
      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(errors).toEqual([expect.objectContaining({ reasons: ['webauthn:metadata_format'] })]);
      expect(metadata.current?.no).toBe(1);

      stop();
      blob = fido.blob({ no: 5 });
      await vi.advanceTimersByTimeAsync(10 * 3_600_000);
      expect(metadata.current?.no).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('checks against the FIDO Alliance roots by default: a test BLOB is refused', async () => {
    expect(FIDO_MDS_ROOTS).toHaveLength(2);
    const metadata = createFidoMetadata({ source: fromText(fido.blob()) });
    await expect(metadata.refresh()).rejects.toMatchObject({
      code: 'invalid_request',
      reasons: ['webauthn:metadata_chain'],
    });
  });

  it.each([
    ['no options', undefined, /source/],
    ['no source', {}, /source/],
    ['a relative URL', { source: { url: 'mds3.fidoalliance.org' } }, /source/],
    ['a root that is not a certificate', { source: { file: 'x' }, roots: ['FIDO'] }, /roots/],
    ['no roots at all', { source: { file: 'x' }, roots: [] }, /roots/],
  ])('refuses %s with a TypeError that says what to pass', (_, options, message) => {
    expect(() => createFidoMetadata(options as never)).toThrow(TypeError);
    expect(() => createFidoMetadata(options as never)).toThrow(message);
  });

  it('refuses to start refreshing without an error callback or with a tiny interval', () => {
    const metadata = createFidoMetadata({ source: fromText(''), roots: [fido.root.pem] });
    expect(() => metadata.startRefreshing({} as never)).toThrow(/onError/);
    expect(() => metadata.startRefreshing({ onError: () => {}, intervalSeconds: 1 })).toThrow(
      /intervalSeconds/,
    );
  });
});
