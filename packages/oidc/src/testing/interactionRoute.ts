import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { TestLogin } from './TestLogin.js';

/**
 * @internal The test IdP's login page, decided by the test instead of a person. On a login
 * prompt it signs in as the submitted {@link TestLogin} (a JSON body; a GET uses the IdP's
 * default), or ends with the login's `error`, or with `unmet_authentication_requirements` when an
 * essential acr is asked that the login does not reach (OIDC Core §5.5.1.1: a failed
 * authentication). On a consent prompt it grants what the request still misses.
 */
export function interactionRoute(
  provider: Provider,
  defaultLogin: TestLogin,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    const submitted = req.method === 'POST' ? await readJson(req) : {};
    const login: TestLogin = { ...defaultLogin, ...submitted };
    if (details.prompt.name === 'login') {
      const essential = essentialAcrs(details.params['claims']);
      const error =
        login.error ??
        (essential !== undefined && !essential.includes(login.acr ?? '')
          ? 'unmet_authentication_requirements'
          : undefined);
      if (error !== undefined) {
        await provider.interactionFinished(req, res, { error, error_description: 'test login' });
        return;
      }
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

/** The values of an essential `acr` in a `claims` request parameter, if any. */
function essentialAcrs(claims: unknown): string[] | undefined {
  if (typeof claims !== 'string') return undefined;
  const parsed = JSON.parse(claims) as {
    id_token?: { acr?: { essential?: boolean; value?: string; values?: string[] } };
  };
  const acr = parsed.id_token?.acr;
  if (acr?.essential !== true) return undefined;
  return acr.values ?? (acr.value === undefined ? undefined : [acr.value]);
}

async function readJson(req: IncomingMessage): Promise<TestLogin> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text === '' ? {} : (JSON.parse(text) as TestLogin);
}
