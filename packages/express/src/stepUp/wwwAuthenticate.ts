/**
 * The RFC 9470 step-up challenge header: `Bearer error="insufficient_user_authentication",
 * error_description="…", acr_values="…", max_age="…"`. Quotes and backslashes in values are
 * escaped (RFC 9110 quoted-string).
 *
 * @example wwwAuthenticate({ acrValues: ['phrh'], maxAge: 300, description: 'billing_change needs AAL3' })
 * @see RFC 9470 §3
 */
export function wwwAuthenticate({
  acrValues,
  maxAge,
  description,
}: {
  acrValues: readonly string[];
  maxAge?: number;
  description?: string;
}): string {
  const parts = ['error="insufficient_user_authentication"'];
  if (description !== undefined) parts.push(`error_description="${quote(description)}"`);
  if (acrValues.length > 0) parts.push(`acr_values="${quote(acrValues.join(' '))}"`);
  if (maxAge !== undefined) parts.push(`max_age="${Math.max(0, Math.floor(maxAge))}"`);
  return `Bearer ${parts.join(', ')}`;
}

function quote(value: string): string {
  return value.replace(/[\\"]/g, (character) => `\\${character}`).replace(/[\r\n]/g, ' ');
}
