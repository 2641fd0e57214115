// The code forms of login, sign-up and reset: WebOTP autofill and the resend cooldown.
import { cooldown, listenForSmsCode } from './lib.js';

const input = /** @type {HTMLInputElement | null} */ (
  document.querySelector('[data-otp-form] input[name="code"]')
);
if (input !== null) listenForSmsCode(input, () => input.form?.requestSubmit());

for (const button of document.querySelectorAll('button[data-resend-at]')) {
  cooldown(
    /** @type {HTMLButtonElement} */ (button),
    Number(/** @type {HTMLElement} */ (button).dataset['resendAt']),
  );
}
