// The README's example apps, for the workspace's benches and cross-package tests.
export { passwordlessApp } from './passwordlessApp.js';
export type { PasswordlessAppOptions } from './passwordlessApp.js';
export { secondFactorApp } from './secondFactorApp.js';
export type { SecondFactorAppOptions } from './secondFactorApp.js';
export { demoUser, passwordMatches } from './users.js';
export type { DemoUser } from './users.js';
