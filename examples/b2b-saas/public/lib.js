// Helpers shared by the page scripts. Plain ES modules, no build step; types via JSDoc.

/**
 * POSTs JSON to a same-origin route and resolves with the status and the parsed answer.
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<{ status: number, body: Record<string, unknown> }>}
 */
export function postJson(path, body = {}) {
  return sendJson('POST', path, body);
}

/**
 * GETs a same-origin JSON route and resolves with the status and the parsed answer.
 * @param {string} path
 * @returns {Promise<{ status: number, body: Record<string, unknown> }>}
 */
export async function getJson(path) {
  return answerOf(await fetch(path, { headers: { accept: 'application/json' } }));
}

/**
 * Sends JSON with `method` to a same-origin route; resolves with the status and the parsed answer
 * (`{}` for an empty one, such as a 204).
 * @param {'POST' | 'DELETE'} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<{ status: number, body: Record<string, unknown> }>}
 */
export async function sendJson(method, path, body = {}) {
  const response = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return answerOf(response);
}

/**
 * @param {Response} response
 * @returns {Promise<{ status: number, body: Record<string, unknown> }>}
 */
async function answerOf(response) {
  /** @type {Record<string, unknown>} */
  const answer = response.headers.get('content-type')?.includes('json')
    ? /** @type {Record<string, unknown>} */ (await response.json())
    : {};
  return { status: response.status, body: answer };
}

/**
 * WebOTP as a progressive enhancement: when the browser supports it, the code from an SMS that
 * ends with `@<this host> #<code>` is filled in (and `onCode` runs) once the user allows it.
 * Browsers without it keep `autocomplete="one-time-code"` autofill.
 * @param {HTMLInputElement} input
 * @param {() => void} onCode
 * @returns {AbortController | undefined}
 */
export function listenForSmsCode(input, onCode) {
  if (!('OTPCredential' in window)) return undefined;
  const controller = new AbortController();
  const request = /** @type {CredentialRequestOptions} */ (
    /** @type {unknown} */ ({ otp: { transport: ['sms'] }, signal: controller.signal })
  );
  navigator.credentials
    .get(request)
    .then((credential) => {
      const code = /** @type {{ code?: string } | null} */ (/** @type {unknown} */ (credential))
        ?.code;
      if (typeof code === 'string' && input.value === '') {
        input.value = code;
        onCode();
      }
    })
    .catch(() => {}); // aborted, timed out or refused: the user types the code
  input.form?.addEventListener('submit', () => controller.abort());
  return controller;
}

/**
 * Disables a resend button until `until` (epoch ms), showing the seconds left on it.
 * @param {HTMLButtonElement} button
 * @param {number} until
 */
export function cooldown(button, until) {
  const label = button.dataset['label'] ?? button.textContent ?? 'Resend code';
  button.dataset['label'] = label;
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left <= 0) {
      button.disabled = false;
      button.textContent = label;
      return;
    }
    button.disabled = true;
    button.textContent = `${label} (${left} s)`;
    setTimeout(tick, 1000);
  };
  tick();
}

/**
 * Shows a message in the page's status element.
 * @param {Element | null} element
 * @param {string} text
 * @param {boolean} [error]
 */
export function say(element, text, error = false) {
  if (element === null) return;
  element.textContent = text;
  element.classList.toggle('error', error);
  element.removeAttribute('hidden');
}

/**
 * A string field of a JSON answer, or `fallback` (answers are read defensively).
 * @param {unknown} value
 * @param {string} fallback
 * @returns {string}
 */
export function text(value, fallback) {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

/**
 * `JSON.parse`, typed as what it is: unknown until checked.
 * @param {string} json
 * @returns {unknown}
 */
export function parseJson(json) {
  return JSON.parse(json);
}
