// Forms whose action is guarded by a checkpoint. They post JSON; a step-up challenge keeps the
// payload in sessionStorage, runs the step-up page, and the form is sent again on return —
// the grant approves exactly that payload, once.
import { parseJson, postJson, say, text } from './lib.js';

const RESUME_KEY = 'acme:resume';
const status = document.querySelector('[data-result]');

/**
 * @param {HTMLFormElement} form
 * @param {Record<string, string>} fields
 */
async function send(form, fields) {
  const action = form.dataset['action'] ?? '';
  const answer = await postJson(action, fields);
  if (answer.status === 401 && answer.body['error'] === 'step_up_required') {
    sessionStorage.setItem(RESUME_KEY, JSON.stringify({ form: form.id, fields }));
    const back = encodeURIComponent(`${location.pathname}?resume=1`);
    location.assign(`/step-up?checkpoint=${text(answer.body['checkpoint'], '')}&returnTo=${back}`);
    return;
  }
  if (answer.status !== 200) {
    say(status, text(answer.body['message'], `Refused (${answer.status}).`), true);
    return;
  }
  const download = form.dataset['download'];
  if (download !== undefined && answer.body['data'] !== undefined) {
    const blob = new Blob([JSON.stringify(answer.body['data'], null, 2)], {
      type: 'application/json',
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = download;
    link.click();
  }
  say(status, text(answer.body['message'], 'Done.'));
}

for (const form of document.querySelectorAll('form[data-action]')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const target = /** @type {HTMLFormElement} */ (event.currentTarget);
    /** @type {Record<string, string>} */
    const fields = {};
    for (const [name, value] of new FormData(target)) {
      if (typeof value === 'string') fields[name] = value;
    }
    void send(target, fields);
  });
}

// Back from a step-up: send the same payload again (and only once).
const saved = new URLSearchParams(location.search).has('resume')
  ? sessionStorage.getItem(RESUME_KEY)
  : null;
sessionStorage.removeItem(RESUME_KEY);
if (saved !== null) {
  const { form: id, fields } = /** @type {{ form: string, fields: Record<string, string> }} */ (
    parseJson(saved)
  );
  const form = document.getElementById(id);
  if (form instanceof HTMLFormElement) void send(form, fields);
}
