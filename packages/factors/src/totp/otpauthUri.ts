import { generateURI } from 'otplib';
import QRCode from 'qrcode';
import type { TotpParameters } from './totpCode.js';

/**
 * @internal
 * The `otpauth://totp/…` URI authenticator apps import (Key Uri Format: issuer both as the label
 * prefix and as a parameter), and the same as a QR code in SVG, made here without any network.
 */
export async function enrolmentImage({
  issuer,
  accountName,
  secret,
  algorithm = 'sha1',
  digits = 6,
  period = 30,
}: TotpParameters & { issuer: string; accountName: string; secret: string }): Promise<{
  uri: string;
  qrSvg: string;
}> {
  const uri = generateURI({ issuer, label: accountName, secret, algorithm, digits, period });
  // Error correction M (15 %) keeps the image small for a ~100-character URI.
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { uri, qrSvg };
}
