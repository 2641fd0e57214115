import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { TestLogin } from './TestLogin.js';

/**
 * @internal The test IdP's login page, decided by the test instead of a person. On a login
 * prompt it signs in as the submitted {@link TestLogin} (a JSON body; a GET uses the IdP's
 * default), or ends with the login's `error`, or with `unmet_authentication_requirements` when an
 * essential acr (or Entra authentication context) is asked that the login does not reach (OIDC
 * Core §5.5.1.1: a failed authentication); the contexts a login meets are kept in `contexts` by
 * the request's nonce. On a consent prompt it grants what the request still misses.
 */
export function interactionRoute(
  provider: Provider,
  defaultLogin: TestLogin,
  contexts: Map<string, string[]>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    const submitted = req.method === 'POST' ? await readJson(req) : {};
    const login: TestLogin = { ...defaultLogin, ...submitted };
    if (details.prompt.name === 'login') {
      const claims = details.params['claims'];
      const essentialAcr = essentialValues(claims, 'acr');
      const essentialContexts = essentialValues(claims, 'acrs');
      const unmet =
        (essentialAcr !== undefined && !essentialAcr.includes(login.acr ?? '')) ||
        (essentialContexts !== undefined &&
          !essentialContexts.some((id) => login.acrs?.includes(id) === true));
      const error = login.error ?? (unmet ? 'unmet_authentication_requirements' : undefined);
      if (error !== undefined) {
        await provider.interactionFinished(req, res, { error, error_description: 'test login' });
        return;
      }
      const nonce = details.params['nonce'];
      if (typeof nonce === 'string' && login.acrs !== undefined) contexts.set(nonce, login.acrs);
      await provider.interactionFinished(req, res, {
        login: {
          accountId: login.accountId ?? 'alice',
          ts: Math.floor(Date.now() / 1000) - (login.authAgeSeconds ?? 0),
          ...(login.acr === undefined ? {} : { acr: login.acr }),
          ...(login.amr === undefined ? {} : { amr: login.amr }),
        },
      });
      return;
    }
    const grant =
      details.grantId === undefined
        ? new provider.Grant({
            accountId: details.session?.accountId ?? '',
            clientId: String(details.params['client_id']),
          })
        : await provider.Grant.find(details.grantId);
    if (grant === undefined) throw new Error(`grant ${details.grantId ?? ''} vanished`);
    const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
    if (Array.isArray(missingOIDCScope)) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (Array.isArray(missingOIDCClaims)) grant.addOIDCClaims(missingOIDCClaims as string[]);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  };
}

/** The values of an essential `acr` or `acrs` in a `claims` request parameter, if any. */
function essentialValues(claims: unknown, name: 'acr' | 'acrs'): string[] | undefined {
  if (typeof claims !== 'string') return undefined;
  const parsed = JSON.parse(claims) as {
    id_token?: Record<string, { essential?: boolean; value?: string; values?: string[] } | null>;
  };
  const request = parsed.id_token?.[name];
  if (request?.essential !== true) return undefined;
  return request.values ?? (request.value === undefined ? undefined : [request.value]);
}

async function readJson(req: IncomingMessage): Promise<TestLogin> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text === '' ? {} : (JSON.parse(text) as TestLogin);
}
