/**
 * Masks an E.164 number for logs and audit: country calling code and the last two digits stay.
 * @example maskPhone('+14155550100', '1') // '+1********00'
 */
export function maskPhone(e164: string, callingCode = ''): string {
  const digits = e164.replace(/^\+/, '');
  const national =
    callingCode && digits.startsWith(callingCode) ? digits.slice(callingCode.length) : digits;
  const hidden = Math.max(0, national.length - 2);
  return `+${callingCode}${'*'.repeat(hidden)}${national.slice(hidden)}`;
}

/**
 * Masks an email address: first letter of the local part, first letter of the domain, and the
 * top-level domain stay.
 * @example maskEmail('jane.doe@example.com') // 'j***@e***.com'
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}
