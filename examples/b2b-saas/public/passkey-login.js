// Passwordless sign-in with a passkey (a discoverable credential): no email, no password.
import { startAuthentication } from '@simplewebauthn/browser';
import { postJson, say, text } from './lib.js';

const button = /** @type {HTMLButtonElement | null} */ (document.getElementById('passkey-login'));
const error = document.getElementById('passkey-error');
const tenant = /** @type {HTMLSelectElement | null} */ (document.getElementById('passkey-tenant'));

async function signIn() {
  if (button === null) return;
  try {
    const options = await postJson('/login/passkey/options', { tenant: tenant?.value });
    const response = await startAuthentication({
      optionsJSON:
        /** @type {import('@simplewebauthn/browser').PublicKeyCredentialRequestOptionsJSON} */ (
          /** @type {unknown} */ (options.body)
        ),
    });
    const result = await postJson('/login/passkey', {
      tenant: tenant?.value,
      response,
      returnTo: button.dataset['returnTo'],
    });
    if (result.status === 200) {
      location.assign(text(result.body['returnTo'], '/'));
    } else {
      say(error, 'That passkey was not accepted.', true);
    }
  } catch (failure) {
    say(error, `No passkey was used (${failure instanceof Error ? failure.name : 'error'}).`, true);
  }
}

button?.addEventListener('click', () => void signIn());
