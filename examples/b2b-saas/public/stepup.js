// The step-up page: a passkey, a code by SMS/WhatsApp, from the authenticator app or a recovery
// code, through the step-up router's JSON routes; back to where the user came from once the
// checkpoint is satisfied.
import { startAuthentication } from '@simplewebauthn/browser';
import { cooldown, listenForSmsCode, postJson, say, text } from './lib.js';

const card = /** @type {HTMLElement | null} */ (document.querySelector('.stepup'));
const checkpoint = card?.dataset['checkpoint'] ?? '';
const returnTo = card?.dataset['returnTo'] ?? '/';
const result = document.getElementById('stepup-result');
const otpForm = /** @type {HTMLFormElement | null} */ (document.getElementById('otp-step'));
const resend = /** @type {HTMLButtonElement | null} */ (document.getElementById('otp-resend'));
const factorForm = /** @type {HTMLFormElement | null} */ (document.getElementById('factor-step'));
const api = `/auth/step-up/${encodeURIComponent(checkpoint)}`;
/** Which of the user's own factors the factor form checks: 'totp' or 'recovery-code'. */
let factorKind = '';
/** @type {{ id: string, channel: string } | undefined} */
let pending;

/** @param {Record<string, unknown>} body */
function finish(body) {
  if (body['satisfied'] === true) {
    location.assign(text(body['returnTo'], returnTo));
  } else {
    say(result, 'Confirmed, but this needs one more factor.', true);
    setTimeout(() => location.reload(), 1500);
  }
}

async function withPasskey() {
  try {
    const options = await postJson(`${api}/webauthn/options`);
    const response = await startAuthentication({
      optionsJSON:
        /** @type {import('@simplewebauthn/browser').PublicKeyCredentialRequestOptionsJSON} */ (
          /** @type {unknown} */ (options.body)
        ),
    });
    const verified = await postJson(`${api}/webauthn/verify`, { response, returnTo });
    if (verified.status === 200) finish(verified.body);
    else
      say(
        result,
        `The passkey was not accepted (${text(verified.body['error'], 'refused')}).`,
        true,
      );
  } catch (failure) {
    say(
      result,
      `No passkey was used (${failure instanceof Error ? failure.name : 'error'}).`,
      true,
    );
  }
}

/** @param {string} channel */
async function sendCode(channel) {
  const sent = await postJson(`${api}/otp/start`, { channel });
  if (sent.status !== 202) {
    say(result, text(sent.body['message'], 'No code could be sent.'), true);
    if (typeof sent.body['retryAfter'] === 'number' && resend !== null) {
      cooldown(resend, Date.now() + sent.body['retryAfter'] * 1000);
    }
    return;
  }
  pending = { id: text(sent.body['id'], ''), channel };
  if (otpForm === null) return;
  if (factorForm !== null) factorForm.hidden = true;
  otpForm.hidden = false;
  say(
    document.getElementById('otp-sent'),
    `We sent a code by ${text(sent.body['channel'], channel)}.`,
  );
  const input = /** @type {HTMLInputElement} */ (otpForm.elements.namedItem('code'));
  input.focus();
  listenForSmsCode(input, () => otpForm.requestSubmit());
  if (resend !== null) cooldown(resend, Date.now() + 30_000);
}

async function verifyCode() {
  if (pending === undefined || otpForm === null) return;
  const code = /** @type {HTMLInputElement} */ (otpForm.elements.namedItem('code')).value.trim();
  const verified = await postJson(`${api}/otp/verify`, { id: pending.id, code, returnTo });
  if (verified.status === 200 && verified.body['status'] === 'approved') {
    finish(verified.body);
  } else {
    const left = verified.body['remainingAttempts'];
    say(
      result,
      `That code was not accepted (${text(verified.body['status'], text(verified.body['error'], 'refused'))})${typeof left === 'number' ? `, ${left} attempts left` : ''}.`,
      true,
    );
  }
}

/** @param {string} kind 'totp' or 'recovery-code' */
function askForFactorCode(kind) {
  if (factorForm === null) return;
  factorKind = kind;
  if (otpForm !== null) otpForm.hidden = true;
  factorForm.hidden = false;
  say(
    document.getElementById('factor-label'),
    kind === 'totp' ? 'Code from your authenticator app' : 'Recovery code',
  );
  const input = /** @type {HTMLInputElement} */ (factorForm.elements.namedItem('code'));
  input.inputMode = kind === 'totp' ? 'numeric' : 'text';
  input.autocomplete = kind === 'totp' ? 'one-time-code' : 'off';
  input.value = '';
  input.focus();
}

async function verifyFactorCode() {
  if (factorForm === null || factorKind === '') return;
  const code = /** @type {HTMLInputElement} */ (factorForm.elements.namedItem('code')).value.trim();
  const verified = await postJson(`${api}/${factorKind}/verify`, { code, returnTo });
  if (verified.status === 200 && verified.body['status'] === 'approved') {
    finish(verified.body);
  } else if (verified.status === 429) {
    say(result, `Too many codes tried. Wait ${text(verified.body['retryAfter'], '60')} s.`, true);
  } else {
    say(
      result,
      `That code was not accepted (${text(verified.body['status'], text(verified.body['error'], 'refused'))}).`,
      true,
    );
  }
}

factorForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  void verifyFactorCode();
});

otpForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  void verifyCode();
});

resend?.addEventListener('click', () => {
  if (pending !== undefined) void sendCode(pending.channel);
});

for (const button of document.querySelectorAll('button[data-method]')) {
  const element = /** @type {HTMLButtonElement} */ (button);
  element.addEventListener('click', () => {
    const method = element.dataset['method'];
    if (method === 'webauthn') void withPasskey();
    else if (method === 'totp' || method === 'recovery-code') askForFactorCode(method);
    else void sendCode(element.dataset['channel'] ?? 'sms');
  });
}
