import { consoleChannel } from '@checkpoint/core';
import { createApp } from './app.js';

// `pnpm --filter @checkpoint/express example`: codes are printed here instead of sent.
const port = Number(process.env['PORT'] ?? 3000);
createApp([consoleChannel({ name: 'sms' })]).listen(port, () => {
  console.log(`Try: curl -c jar -b jar -H 'Content-Type: application/json' \\
  -d '{"to":"ada","purpose":"login"}' http://localhost:${port}/otp/send`);
});
