import type { Cluster, Redis } from 'ioredis';

/**
 * @internal
 * How many times each command ran on the server (every master of a Cluster) since the last
 * {@link resetCommandStats}, from `INFO commandstats`: the Redis side of "how many commands did
 * that cost", observed on a real server instead of by spying on the client. `info` and `config`
 * (the bookkeeping itself) are left out. Use on a private server: a shared one counts others too.
 */
export async function commandStats(client: Redis | Cluster): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const node of nodesOf(client)) {
    for (const line of (await node.info('commandstats')).split('\n')) {
      const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
      if (match === null) continue;
      const [, name = '', calls = '0'] = match;
      if (name === 'info' || name.startsWith('config')) continue;
      counts[name] = (counts[name] ?? 0) + Number(calls);
    }
  }
  return counts;
}

/** @internal Zeroes the counters of {@link commandStats} (`CONFIG RESETSTAT` on every master). */
export async function resetCommandStats(client: Redis | Cluster): Promise<void> {
  for (const node of nodesOf(client)) await node.config('RESETSTAT');
}

function nodesOf(client: Redis | Cluster): Redis[] {
  return client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
}
