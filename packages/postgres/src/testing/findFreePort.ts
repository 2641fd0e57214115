import { createServer } from 'node:net';

/** @internal A loopback port free right now, below the ephemeral range (the caller retries on a race). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    if (await canBind(host, port)) return port;
  }
  throw new Error(`found no free port on ${host} in 100 tries`);
}

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
