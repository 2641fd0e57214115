// The Security page's authenticator app, recovery codes and remembered browsers, on the step-up
// router's /factors routes. Enrolling or removing a factor needs a fresh step-up (factor_change):
// a 401 challenge sends the browser to the step-up page, and the action the user clicked runs
// again on return — once, and only when it was clicked here (kept in sessionStorage, never read
// from the URL, so a link cannot trigger it).
import { parseJson, say, sendJson, text } from './lib.js';

const RESUME_KEY = 'acme:factor-resume';
const API = '/auth/step-up/factors';
const totpResult = document.getElementById('totp-result');
const recoveryResult = document.getElementById('recovery-result');
const devicesResult = document.getElementById('devices-result');
const enrolment = document.getElementById('totp-enrolment');
const confirmForm = /** @type {HTMLFormElement | null} */ (document.getElementById('totp-confirm'));
/** The enrolment waiting for its first code. */
let enrolmentId = '';

/**
 * On a step-up challenge: remember the action, go to the step-up page, come back here.
 * @param {{ status: number, body: Record<string, unknown> }} answer
 * @param {string} action
 * @returns {boolean} whether the browser is leaving for the step-up page
 */
function steppedUp(answer, action) {
  if (answer.status !== 401 || answer.body['error'] !== 'step_up_required') return false;
  sessionStorage.setItem(RESUME_KEY, JSON.stringify({ action }));
  const checkpoint = encodeURIComponent(text(answer.body['checkpoint'], 'factor_change'));
  const back = encodeURIComponent('/security?resume=1');
  location.assign(`/step-up?checkpoint=${checkpoint}&returnTo=${back}`);
  return true;
}

/**
 * Base64 of the UTF-8 bytes of `svg`: the QR code goes into an <img> as a data: URL, where an
 * SVG document is only ever an image (no script, no markup in this page).
 * @param {string} svg
 * @returns {string}
 */
function base64(svg) {
  let binary = '';
  for (const byte of new TextEncoder().encode(svg)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** @param {Element} button */
async function enrolTotp(button) {
  const account = button instanceof HTMLElement ? (button.dataset['account'] ?? '') : '';
  const answer = await sendJson('POST', `${API}/totp`, { accountName: account });
  if (steppedUp(answer, 'totp-enrol')) return;
  const { id, secret, qrSvg } = answer.body;
  if (
    answer.status !== 201 ||
    typeof id !== 'string' ||
    typeof secret !== 'string' ||
    typeof qrSvg !== 'string'
  ) {
    say(totpResult, text(answer.body['message'], `Refused (${answer.status}).`), true);
    return;
  }
  enrolmentId = id;
  const image = /** @type {HTMLImageElement | null} */ (document.getElementById('totp-qr'));
  if (image !== null) image.src = `data:image/svg+xml;base64,${base64(qrSvg)}`;
  const key = document.getElementById('totp-secret');
  if (key !== null) key.textContent = secret;
  if (enrolment !== null) enrolment.hidden = false;
  if (button instanceof HTMLButtonElement) button.hidden = true;
  const input = confirmForm?.elements.namedItem('code');
  if (input instanceof HTMLInputElement) input.focus();
}

async function confirmTotp() {
  if (confirmForm === null || enrolmentId === '') return;
  const input = /** @type {HTMLInputElement} */ (confirmForm.elements.namedItem('code'));
  const answer = await sendJson('POST', `${API}/totp/confirm`, {
    id: enrolmentId,
    code: input.value.trim(),
  });
  if (steppedUp(answer, 'totp-enrol')) return;
  if (answer.status === 201) {
    location.assign('/security?done=totp-added');
    return;
  }
  const status = text(answer.body['status'], text(answer.body['error'], 'refused'));
  say(
    totpResult,
    status === 'failed'
      ? 'That code was not accepted: check the clock of the device and type the current code.'
      : `Not accepted (${status}).`,
    true,
  );
  input.select();
}

async function removeTotp() {
  const answer = await sendJson('DELETE', `${API}/totp`);
  if (steppedUp(answer, 'totp-remove')) return;
  if (answer.status === 204) location.assign('/security?done=totp-removed');
  else say(totpResult, text(answer.body['message'], `Refused (${answer.status}).`), true);
}

async function generateRecoveryCodes() {
  const answer = await sendJson('POST', `${API}/recovery-codes`);
  if (steppedUp(answer, 'recovery-codes')) return;
  const codes = answer.body['codes'];
  if (answer.status !== 201 || !Array.isArray(codes)) {
    say(recoveryResult, text(answer.body['message'], `Refused (${answer.status}).`), true);
    return;
  }
  const list = document.getElementById('recovery-codes');
  if (list !== null) {
    list.replaceChildren(
      ...codes.map((code) => {
        const item = document.createElement('li');
        const value = document.createElement('code');
        value.textContent = text(code, '');
        item.append(value);
        return item;
      }),
    );
  }
  const fresh = document.getElementById('recovery-new');
  if (fresh !== null) fresh.hidden = false;
  say(
    document.getElementById('recovery-status'),
    `${codes.length} unused, made just now. New ones replace them all.`,
  );
  say(recoveryResult, 'New recovery codes made: the previous ones no longer work.');
}

/** @param {string} id */
async function revokeDevice(id) {
  const answer = await sendJson('DELETE', `${API}/devices/${encodeURIComponent(id)}`);
  if (answer.status === 204) location.assign('/security?done=device-revoked');
  else say(devicesResult, text(answer.body['message'], `Refused (${answer.status}).`), true);
}

async function revokeAllDevices() {
  const answer = await sendJson('DELETE', `${API}/devices`);
  if (answer.status === 200) location.assign('/security?done=devices-revoked');
  else say(devicesResult, text(answer.body['message'], `Refused (${answer.status}).`), true);
}

/** @type {Record<string, (button: Element) => Promise<void>>} */
const ACTIONS = {
  'totp-enrol': enrolTotp,
  'totp-remove': removeTotp,
  'recovery-codes': generateRecoveryCodes,
};

/**
 * The action named `name`, when it is one of ours.
 * @param {unknown} name
 * @returns {((button: Element) => Promise<void>) | undefined}
 */
function actionNamed(name) {
  return typeof name === 'string' && Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
}

for (const button of document.querySelectorAll('button[data-factor-action]')) {
  button.addEventListener('click', () => {
    void actionNamed(/** @type {HTMLElement} */ (button).dataset['factorAction'])?.(button);
  });
}

confirmForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  void confirmTotp();
});

for (const button of document.querySelectorAll('button[data-revoke-device]')) {
  button.addEventListener('click', () => {
    void revokeDevice(/** @type {HTMLElement} */ (button).dataset['revokeDevice'] ?? '');
  });
}
document.getElementById('devices-revoke-all')?.addEventListener('click', () => {
  void revokeAllDevices();
});

// Back from a step-up: run the action the user clicked before it (and only once).
const saved = new URLSearchParams(location.search).has('resume')
  ? sessionStorage.getItem(RESUME_KEY)
  : null;
sessionStorage.removeItem(RESUME_KEY);
if (saved !== null) {
  const { action } = /** @type {{ action?: unknown }} */ (parseJson(saved));
  const run = actionNamed(action);
  const button = [...document.querySelectorAll('button[data-factor-action]')].find(
    (candidate) => /** @type {HTMLElement} */ (candidate).dataset['factorAction'] === action,
  );
  if (run !== undefined && button !== undefined) void run(button);
}
