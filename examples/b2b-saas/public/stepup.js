// The step-up page: a passkey, a code by SMS/WhatsApp, from the authenticator app or a recovery
// code, through the step-up router's JSON routes; back to where the user came from once the
// checkpoint is satisfied. A step-up approves the action it named when it started — in the
// code's message, in the passkey challenge, or (app and recovery codes) at `POST …/begin`, which
// this page calls before the code is typed — so the page shows that action, and when another
// one took its place meanwhile it says so and goes nowhere.
import { startAuthentication } from '@simplewebauthn/browser';
import { cooldown, getJson, listenForSmsCode, postJson, say, text } from './lib.js';

const card = /** @type {HTMLElement | null} */ (document.querySelector('.stepup'));
const checkpoint = card?.dataset['checkpoint'] ?? '';
const returnTo = card?.dataset['returnTo'] ?? '/';
const result = document.getElementById('stepup-result');
const approvingLine = document.querySelector('.approving');
const approvingText = document.getElementById('approving');
const otpForm = /** @type {HTMLFormElement | null} */ (document.getElementById('otp-step'));
const resend = /** @type {HTMLButtonElement | null} */ (document.getElementById('otp-resend'));
const factorForm = /** @type {HTMLFormElement | null} */ (document.getElementById('factor-step'));
const api = `/auth/step-up/${encodeURIComponent(checkpoint)}`;

const CHANGED_AFTER_CODE =
  'The action changed after this code was sent; nothing new was approved. Try again.';
const CHANGED_AFTER_START =
  'The action changed after this step-up began; nothing new was approved. Try again.';

/** Which of the user's own factors the factor form checks: 'totp' or 'recovery-code'. */
let factorKind = '';
/** The attempt `begin` fixed for the factor form: it goes with the code. */
let attempt = '';
/** @type {{ id: string, channel: string } | undefined} */
let pending;

/**
 * Shows the action a step-up approves (or none).
 * @param {unknown} summary
 */
function showApproving(summary) {
  if (approvingLine === null || approvingText === null) return;
  approvingText.textContent = typeof summary === 'string' ? summary : '';
  approvingLine.toggleAttribute('hidden', typeof summary !== 'string');
}

/**
 * A step-up just started: shows the action the server fixed for it, and warns when that is not
 * what the page showed (another tab or request changed it since the page loaded).
 * @param {unknown} summary
 */
function startedFor(summary) {
  const shown = approvingLine?.hasAttribute('hidden') === false ? approvingText?.textContent : '';
  const fixed = typeof summary === 'string' ? summary : '';
  showApproving(summary);
  say(
    result,
    shown === fixed
      ? ''
      : 'What this step-up approves changed since the page loaded: read it again.',
    shown !== fixed,
  );
}

/** Back to the choice of methods: any step-up under way is spent or abandoned. */
function startOver() {
  pending = undefined;
  attempt = '';
  factorKind = '';
  if (otpForm !== null) otpForm.hidden = true;
  if (factorForm !== null) factorForm.hidden = true;
}

/**
 * Handles an approved proof: back to the action when the checkpoint is satisfied, a message when
 * the action changed after the step-up began (the factor counted, no action was approved), or a
 * reload when one more factor is needed.
 * @param {Record<string, unknown>} body
 * @param {string} changed what to say when the action changed
 */
function finish(body, changed) {
  if (body['satisfied'] === true) {
    location.assign(text(body['returnTo'], returnTo));
  } else if (body['reason'] === 'action_changed' || body['reason'] === 'action_unconfirmed') {
    startOver();
    say(
      result,
      body['reason'] === 'action_changed'
        ? changed
        : 'This step-up timed out before it was confirmed; nothing was approved. Try again.',
      true,
    );
    // What a new step-up would approve now.
    void getJson(api).then((status) => {
      if (status.status === 200) showApproving(status.body['approving']);
    });
  } else {
    say(result, 'Confirmed, but this needs one more factor.', true);
    setTimeout(() => location.reload(), 1500);
  }
}

async function withPasskey() {
  startOver();
  try {
    const options = await postJson(`${api}/webauthn/options`);
    const response = await startAuthentication({
      optionsJSON:
        /** @type {import('@simplewebauthn/browser').PublicKeyCredentialRequestOptionsJSON} */ (
          /** @type {unknown} */ (options.body)
        ),
    });
    const verified = await postJson(`${api}/webauthn/verify`, { response, returnTo });
    if (verified.status === 200) finish(verified.body, CHANGED_AFTER_START);
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
  startOver();
  pending = { id: text(sent.body['id'], ''), channel };
  // The message names the action fixed now; the page names the same one.
  startedFor(sent.body['approving']);
  if (otpForm === null) return;
  otpForm.hidden = false;
  say(
    document.getElementById('otp-sent'),
    `We sent a code by ${text(sent.body['channel'], channel)}.`,
  );
  const input = /** @type {HTMLInputElement} */ (otpForm.elements.namedItem('code'));
  input.value = '';
  input.focus();
  listenForSmsCode(input, () => otpForm.requestSubmit());
  if (resend !== null) cooldown(resend, Date.now() + 30_000);
}

async function verifyCode() {
  if (pending === undefined || otpForm === null) return;
  const code = /** @type {HTMLInputElement} */ (otpForm.elements.namedItem('code')).value.trim();
  const verified = await postJson(`${api}/otp/verify`, { id: pending.id, code, returnTo });
  if (verified.status === 200 && verified.body['status'] === 'approved') {
    finish(verified.body, CHANGED_AFTER_CODE);
  } else {
    const left = verified.body['remainingAttempts'];
    say(
      result,
      `That code was not accepted (${text(verified.body['status'], text(verified.body['error'], 'refused'))})${typeof left === 'number' ? `, ${left} attempts left` : ''}.`,
      true,
    );
  }
}

/**
 * Starts a step-up with the user's own factor: `begin` fixes the action it approves — the one
 * shown — before the code is typed; the code goes with the attempt it answered.
 * @param {string} kind 'totp' or 'recovery-code'
 */
async function askForFactorCode(kind) {
  if (factorForm === null) return;
  const begun = await postJson(`${api}/begin`);
  const id = begun.body['attempt'];
  if (begun.status !== 201 || typeof id !== 'string') {
    say(
      result,
      text(begun.body['message'], `The step-up could not start (${begun.status}).`),
      true,
    );
    return;
  }
  startOver();
  attempt = id;
  factorKind = kind;
  startedFor(begun.body['approving']);
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
  const verified = await postJson(`${api}/${factorKind}/verify`, { code, attempt, returnTo });
  if (verified.status === 200 && verified.body['status'] === 'approved') {
    finish(verified.body, CHANGED_AFTER_START);
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
    else if (method === 'totp' || method === 'recovery-code') void askForFactorCode(method);
    else void sendCode(element.dataset['channel'] ?? 'sms');
  });
}
