import { readFile } from 'node:fs/promises';
import type { X509Certificate } from 'node:crypto';
import { type CheckpointError, isCheckpointError } from '@checkpoint/core';
import type { MetadataBLOBPayloadEntry } from '@simplewebauthn/server';
import { parseCertificate } from '../attestation/certificateChain.js';
import { metadataFailure } from '../errors/refusal.js';
import { FIDO_MDS_ROOTS } from './fidoRoots.js';
import { type MetadataBlob, verifyMetadataBlob } from './verifyMetadataBlob.js';

/**
 * Where a metadata BLOB is read from: a file the app downloads (a cron job, a deploy step), a URL
 * fetched at each refresh (`https://mds3.fidoalliance.org/`), or the app's own reader.
 *
 * @example const source: MetadataSource = { file: '/var/lib/acme/fido-mds.jwt' };
 * @see FIDO Metadata Service v3.0 §3.1.7
 */
export type MetadataSource = { file: string } | { url: string } | { read: () => Promise<string> };

/**
 * Options of {@link createFidoMetadata}.
 *
 * @example const options: FidoMetadataOptions = { source: { url: 'https://mds3.fidoalliance.org/' } };
 * @see FIDO Metadata Service v3.0 §3.2
 */
export interface FidoMetadataOptions {
  source: MetadataSource;
  /**
   * PEM certificates the BLOB's signing chain must lead to: the FIDO Alliance's by default, a
   * test root in tests.
   * @default FIDO_MDS_ROOTS
   */
  roots?: readonly string[];
  /** Milliseconds before a URL download is abandoned. @default 30_000 */
  timeoutMs?: number;
  /** Epoch milliseconds: certificate validity and `loadedAt`. @default Date.now */
  now?: () => number;
}

/**
 * The BLOB in use.
 *
 * @example const { no, nextUpdate } = metadata.current ?? {};
 */
export interface MetadataSummary {
  /** The BLOB's serial number; a refresh only ever moves it forward. */
  no: number;
  /** `YYYY-MM-DD`: when FIDO publishes the next BLOB. */
  nextUpdate: string;
  /** Epoch milliseconds of the refresh that loaded it. */
  loadedAt: number;
  /** How many authenticator models it describes. */
  entries: number;
}

/**
 * FIDO Metadata Service data for attestation checks, loaded only when the app says so: nothing
 * is fetched while a request is served.
 *
 * @example
 * await metadata.refresh(); // at start-up, before serving
 * const stop = metadata.startRefreshing({ onError: (err) => log.warn(err) });
 * @see FIDO Metadata Service v3.0
 */
export interface FidoMetadata {
  /**
   * Reads the source, verifies the BLOB (chain to `roots`, signature, a serial number not lower
   * than the one in use) and makes it current. Rejects with a `CheckpointError` whose reason is a
   * {@link MetadataFailure}, keeping the BLOB in use; a BLOB with the current serial number is
   * accepted and changes nothing.
   */
  refresh(): Promise<MetadataSummary>;
  /**
   * Calls `refresh` every `intervalSeconds` (default one day) on an unref'd timer, reporting each
   * failure to `onError`. Returns a function that stops it. Call `refresh` once yourself first.
   */
  startRefreshing(options: {
    onError: (error: CheckpointError) => void;
    intervalSeconds?: number;
  }): () => void;
  /** The BLOB in use; undefined until a refresh succeeded. */
  readonly current: MetadataSummary | undefined;
  /**
   * The entry for an authenticator model: by AAGUID (FIDO2), or by attestation certificate key
   * identifier (U2F, lower-case hex); undefined when the BLOB has none or none is loaded.
   */
  entryFor(model: {
    aaguid?: string;
    keyIdentifier?: string;
  }): MetadataBLOBPayloadEntry | undefined;
}

interface Loaded {
  summary: MetadataSummary;
  byAaguid: Map<string, MetadataBLOBPayloadEntry>;
  byKeyIdentifier: Map<string, MetadataBLOBPayloadEntry>;
}

/**
 * Creates the FIDO metadata an app hands to `createWebAuthn({ metadata })`. The BLOB is a JWT
 * signed by a certificate chain up to the FIDO Alliance root (or the `roots` given); it holds,
 * per authenticator model, the attestation roots, the key protection (hardware, secure element,
 * TEE or software) and the status reports (revoked, compromised keys, bypassable user
 * verification).
 *
 * @example
 * const metadata = createFidoMetadata({ source: { file: '/var/lib/acme/fido-mds.jwt' } });
 * await metadata.refresh();
 * const webauthn = createWebAuthn({ rpID, rpName, origins, store, credentials, metadata });
 * @see FIDO Metadata Service v3.0; NIST SP 800-63B rev 4 §2.3 (AAL3 needs a hardware-protected key)
 */
export function createFidoMetadata(options: FidoMetadataOptions): FidoMetadata {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createFidoMetadata needs options: { source, roots? }');
  }
  const { source, roots = FIDO_MDS_ROOTS, timeoutMs = 30_000, now = Date.now } = options;
  const read = readerOf(source, timeoutMs);
  const anchors = rootsOf(roots);
  let loaded: Loaded | undefined;
  let running: Promise<MetadataSummary> | undefined;

  async function load(): Promise<MetadataSummary> {
    let text: string;
    try {
      text = await read();
    } catch (error) {
      throw metadataFailure(
        'webauthn:metadata_source',
        'the metadata BLOB could not be read',
        error,
      );
    }
    const blob = verifyMetadataBlob(text, anchors, now());
    if (loaded !== undefined && blob.no <= loaded.summary.no) {
      if (blob.no === loaded.summary.no) return loaded.summary;
      // FIDO MDS §3.2: a BLOB numbered below the one in use is an old one, perhaps replayed to
      // hide a newer status report.
      throw metadataFailure(
        'webauthn:metadata_rollback',
        `the metadata BLOB no. ${blob.no} is older than the one in use (no. ${loaded.summary.no})`,
      );
    }
    loaded = index(blob, now());
    return loaded.summary;
  }

  const refresh = (): Promise<MetadataSummary> => {
    // One load at a time: a second caller shares the one under way.
    running ??= load().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    refresh,
    startRefreshing(refreshing) {
      const onError: unknown = refreshing?.onError;
      const intervalSeconds = refreshing?.intervalSeconds ?? 86_400;
      if (typeof onError !== 'function') {
        throw new TypeError(
          'startRefreshing needs { onError }: a function told of each failed refresh (the BLOB in use is kept)',
        );
      }
      if (!Number.isFinite(intervalSeconds) || intervalSeconds < 60) {
        throw new TypeError('startRefreshing intervalSeconds must be at least 60');
      }
      const report = onError as (error: CheckpointError) => void;
      const timer = setInterval(() => {
        refresh().catch((error: unknown) => {
          report(
            isCheckpointError(error)
              ? error
              : metadataFailure('webauthn:metadata_source', 'refresh failed', error),
          );
        });
      }, intervalSeconds * 1_000);
      timer.unref();
      return () => clearInterval(timer);
    },
    get current() {
      return loaded?.summary;
    },
    entryFor({ aaguid, keyIdentifier }) {
      if (loaded === undefined) return undefined;
      if (aaguid !== undefined && !/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(aaguid)) {
        return loaded.byAaguid.get(aaguid.toLowerCase());
      }
      return keyIdentifier === undefined
        ? undefined
        : loaded.byKeyIdentifier.get(keyIdentifier.toLowerCase());
    },
  };
}

function index(blob: MetadataBlob, at: number): Loaded {
  const byAaguid = new Map<string, MetadataBLOBPayloadEntry>();
  const byKeyIdentifier = new Map<string, MetadataBLOBPayloadEntry>();
  for (const entry of blob.entries) {
    if (entry.aaguid !== undefined) byAaguid.set(entry.aaguid.toLowerCase(), entry);
    for (const id of entry.attestationCertificateKeyIdentifiers ?? []) {
      byKeyIdentifier.set(id.toLowerCase(), entry);
    }
  }
  return {
    summary: {
      no: blob.no,
      nextUpdate: blob.nextUpdate,
      loadedAt: at,
      entries: blob.entries.length,
    },
    byAaguid,
    byKeyIdentifier,
  };
}

function readerOf(source: MetadataSource | undefined, timeoutMs: number): () => Promise<string> {
  if (typeof source === 'object' && source !== null) {
    if ('file' in source && typeof source.file === 'string') {
      return () => readFile(source.file, 'utf8');
    }
    if ('url' in source && typeof source.url === 'string' && /^https?:\/\//.test(source.url)) {
      const { url } = source;
      return async () => {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
        return response.text();
      };
    }
    if ('read' in source && typeof source.read === 'function') return source.read;
  }
  throw new TypeError(
    "createFidoMetadata needs source: { file: '/path/to/blob.jwt' }, { url: 'https://mds3.fidoalliance.org/' } or { read: async () => blob }",
  );
}

function rootsOf(roots: readonly string[]): X509Certificate[] {
  const given: unknown = roots;
  const parsed = Array.isArray(given)
    ? given.map((root: unknown) => (typeof root === 'string' ? parseCertificate(root) : null))
    : [];
  if (parsed.length === 0 || !parsed.every((root) => root !== null)) {
    throw new TypeError(
      'createFidoMetadata roots must be PEM certificates (the default, FIDO_MDS_ROOTS, is the FIDO Alliance’s)',
    );
  }
  return parsed;
}
