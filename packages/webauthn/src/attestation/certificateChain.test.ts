import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_VIRTUAL_AUTHENTICATOR } from '../testing/chromium.js';
import { type TestCertificate, testCertificate } from '../testing/testCertificate.js';
import { chainsTo, parseCertificate } from './certificateChain.js';

const AT = Date.UTC(2026, 10, 22, 12);
const x509 = (...certificates: TestCertificate[]) =>
  certificates.map((certificate) => new X509Certificate(certificate.der));

const root = testCertificate({ subject: { C: 'US', O: 'Maker', CN: 'Maker Root' }, ca: true });
const intermediate = testCertificate({
  subject: { C: 'US', O: 'Maker', CN: 'Maker Batch CA' },
  issuer: root,
  ca: true,
});
const leaf = testCertificate({
  subject: { C: 'US', O: 'Maker', OU: 'Authenticator Attestation', CN: 'Maker Key' },
  issuer: intermediate,
});

describe('chainsTo', () => {
  it('follows a leaf through its intermediate to the root', () => {
    expect(chainsTo(x509(leaf, intermediate), x509(root), AT)).toBe(true);
    expect(chainsTo(x509(leaf, intermediate, root), x509(root), AT)).toBe(true);
  });

  it('stops at the first certificate an anchor issued: an intermediate can be the anchor', () => {
    expect(chainsTo(x509(leaf), x509(intermediate), AT)).toBe(true);
  });

  it('refuses a chain that leads to another root, or that skips its intermediate', () => {
    const stranger = testCertificate({ subject: { CN: 'Other Root' }, ca: true });
    expect(chainsTo(x509(leaf, intermediate), x509(stranger), AT)).toBe(false);
    expect(chainsTo(x509(leaf), x509(root), AT)).toBe(false);
  });

  it('refuses an intermediate that is not a CA', () => {
    const notCa = testCertificate({ subject: { CN: 'Leaf posing as CA' }, issuer: root });
    const below = testCertificate({ subject: { CN: 'Below' }, issuer: notCa });
    expect(chainsTo(x509(below, notCa), x509(root), AT)).toBe(false);
  });

  it('refuses a certificate whose name says the issuer but whose signature is another key’s', () => {
    const impostor = testCertificate({ subject: root.name, ca: true }); // same name, own key
    const forged = testCertificate({ subject: { CN: 'Forged' }, issuer: impostor });
    expect(chainsTo(x509(forged), x509(root), AT)).toBe(false);
  });

  it('refuses certificates, anchors included, outside their validity at the given time', () => {
    const expired = testCertificate({
      subject: { CN: 'Expired' },
      issuer: intermediate,
      notAfter: new Date(Date.UTC(2025, 0, 1)),
    });
    expect(chainsTo(x509(expired, intermediate), x509(root), AT)).toBe(false);
    const oldRoot = testCertificate({
      subject: { CN: 'Old Root' },
      ca: true,
      notAfter: new Date(Date.UTC(2025, 0, 1)),
    });
    const under = testCertificate({ subject: { CN: 'Under old root' }, issuer: oldRoot });
    expect(chainsTo(x509(under), x509(oldRoot), AT)).toBe(false);
    expect(chainsTo(x509(under), x509(oldRoot), Date.UTC(2024, 0, 1))).toBe(true);
  });

  it('accepts a chain that goes on past its anchor, as a cross-signed root does', () => {
    // The FIDO BLOB's x5c ends with GlobalSign Root R46 cross-signed by Root CA - R3.
    const newRoot = testCertificate({ subject: { CN: 'New Root' }, ca: true });
    const oldRoot = testCertificate({ subject: { CN: 'Old Root' }, ca: true });
    const crossSigned = testCertificate({
      subject: newRoot.name,
      issuer: oldRoot,
      ca: true,
      keyPair: newRoot,
    });
    const ca = testCertificate({ subject: { CN: 'Signing CA' }, issuer: newRoot, ca: true });
    const signer = testCertificate({ subject: { CN: 'BLOB signer' }, issuer: ca });
    const chain = x509(signer, ca, crossSigned);
    expect(chainsTo(chain, x509(newRoot), AT)).toBe(true);
    expect(chainsTo(chain, x509(oldRoot), AT)).toBe(true);
    expect(chainsTo(chain, x509(root), AT)).toBe(false);
  });

  it('accepts a pinned self-signed attestation certificate (not a CA) as an anchor', () => {
    // Chromium's virtual authenticator re-signs its batch certificate at every registration:
    // the bytes differ, the key and name do not.
    const pinned = parseCertificate(CHROMIUM_VIRTUAL_AUTHENTICATOR.attestationRoot);
    expect(pinned?.ca).toBe(false);
    expect(chainsTo(pinned === null ? [] : [pinned], pinned === null ? [] : [pinned], AT)).toBe(
      true,
    );
  });

  it('refuses an empty chain or no anchors', () => {
    expect(chainsTo([], x509(root), AT)).toBe(false);
    expect(chainsTo(x509(leaf, intermediate), [], AT)).toBe(false);
  });
});

describe('parseCertificate', () => {
  it('reads PEM, base64 DER and DER bytes, and gives null for anything else', () => {
    expect(parseCertificate(root.pem)?.subject).toContain('Maker Root');
    expect(parseCertificate(Buffer.from(root.der).toString('base64'))?.subject).toContain(
      'Maker Root',
    );
    expect(parseCertificate(root.der)?.subject).toContain('Maker Root');
    expect(parseCertificate('not a certificate')).toBeNull();
    expect(parseCertificate(new Uint8Array(8))).toBeNull();
  });
});
