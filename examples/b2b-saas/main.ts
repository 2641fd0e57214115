import { createDemoApp } from './src/createDemoApp.js';

// `pnpm demo`: Acme Console on http://localhost:3000 (PORT), in memory or on Redis (REDIS_URL);
// FIDO_MDS_FILE: a FIDO metadata BLOB, so that real security keys can count at AAL3.
const demo = await createDemoApp({
  port: Number(process.env['PORT'] ?? 3000),
  redisUrl: process.env['REDIS_URL'] || undefined,
  secret: process.env['CHECKPOINT_SECRET'],
  fidoMetadataFile: process.env['FIDO_MDS_FILE'] || undefined,
});

console.log(`\nAcme Console is running at ${demo.url}  (state: ${demo.backend})`);
console.log(`Demo IdP (oidc-provider): ${demo.idpIssuer}\n`);
console.log('Demo accounts — codes arrive in the dev inbox:', `${demo.url}/dev/inbox`);
console.table(
  demo.accounts.map((account) => ({
    email: account.email,
    password: account.password ?? '(SSO)',
    workspace: account.tenant,
    role: account.role,
    how: account.note,
  })),
);

const stop = () => {
  void demo.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
