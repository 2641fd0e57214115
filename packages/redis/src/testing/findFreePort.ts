import { createServer } from 'node:net';

// Linux hands out outgoing connections' source ports from 32768 up (ip_local_port_range), so
// ports picked below it are not taken from under a server that restarts on the same port.
const LOW = 10_000;
const EPHEMERAL_START = 32_768;
// A cluster node also listens on its port + 10000 (the cluster bus).
const CLUSTER_BUS_OFFSET = 10_000;

/**
 * Finds a loopback port that is free right now (and, for a cluster node, whose bus port is free
 * too). Another process can still take it before redis-server binds: callers retry on that.
 *
 * @internal
 * @example const port = await findFreePort({ clusterBus: true })
 */
export async function findFreePort({
  host = '127.0.0.1',
  clusterBus = false,
}: {
  host?: string;
  /** @default false */
  clusterBus?: boolean;
} = {}): Promise<number> {
  const high = EPHEMERAL_START - (clusterBus ? CLUSTER_BUS_OFFSET : 0);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = LOW + Math.floor(Math.random() * (high - LOW));
    if (!(await canBind(host, port))) continue;
    if (clusterBus && !(await canBind(host, port + CLUSTER_BUS_OFFSET))) continue;
    return port;
  }
  throw new Error(`found no free port on ${host} between ${LOW} and ${high} in 100 tries`);
}

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}
