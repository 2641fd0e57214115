export { startTestIdp } from './startTestIdp.js';
export type { LoginThroughOptions, TestIdp, TestIdpOptions } from './startTestIdp.js';
export { MFA_LOGIN, PASSWORD_LOGIN } from './TestLogin.js';
export type { TestLogin } from './TestLogin.js';
export { loginThrough } from './loginThrough.js';
export type { FollowLoginOptions } from './loginThrough.js';
export { CookieJar } from './CookieJar.js';
