// Passkey enrolment on the Security page. Adding an authenticator needs a fresh step-up
// (contact_change): a 401 challenge sends the browser to the step-up page and back here.
import { startRegistration } from '@simplewebauthn/browser';
import { postJson, say, text } from './lib.js';

const button = document.getElementById('add-passkey');
const result = document.getElementById('passkey-result');

if (new URLSearchParams(location.search).has('enrol')) {
  say(result, 'Confirmed. Now add your passkey.');
}

async function enrol() {
  const options = await postJson('/auth/step-up/passkeys/register/options');
  if (options.status === 401 && options.body['error'] === 'step_up_required') {
    const back = encodeURIComponent('/security?enrol=1');
    location.assign(`/step-up?checkpoint=${text(options.body['checkpoint'], '')}&returnTo=${back}`);
    return;
  }
  try {
    const response = await startRegistration({
      optionsJSON:
        /** @type {import('@simplewebauthn/browser').PublicKeyCredentialCreationOptionsJSON} */ (
          /** @type {unknown} */ (options.body)
        ),
    });
    const verified = await postJson('/auth/step-up/passkeys/register/verify', { response });
    if (verified.status === 201) {
      location.assign('/security?added=1');
    } else {
      say(
        result,
        `The passkey was not accepted (${text(verified.body['error'], 'refused')}).`,
        true,
      );
    }
  } catch (failure) {
    say(
      result,
      `No passkey was created (${failure instanceof Error ? failure.name : 'error'}).`,
      true,
    );
  }
}

button?.addEventListener('click', () => void enrol());
