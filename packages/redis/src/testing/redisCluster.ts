import { execFile } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { type RedisServerHandle, startRedisServer } from './redisServer.js';
import { sendCommand } from './sendCommand.js';

const run = promisify(execFile);

/** Options for {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /**
   * Number of master nodes (no replicas). `redis-cli --cluster create` needs at least 3.
   * @default 3
   */
  masters?: number;
}

/** A running Redis Cluster of private `redis-server` processes on loopback. */
export interface RedisClusterHandle {
  /** Seed nodes for ioredis: `new Cluster(cluster.nodes)`. */
  readonly nodes: Array<{ host: string; port: number }>;
  /** Stops every node and removes their data directories. */
  stop(): Promise<void>;
}

const HASH_SLOTS = 16_384;
const CREATE_TIMEOUT_MS = 30_000;
const CONVERGE_TIMEOUT_MS = 30_000;

/**
 * Starts a Redis Cluster of `masters` nodes, assigns all 16384 slots with
 * `redis-cli --cluster create`, and resolves once every node reports `cluster_state:ok`.
 *
 * @see https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/
 * @example
 * const cluster = await startRedisCluster();
 * const client = new Cluster(cluster.nodes);
 * // …
 * await cluster.stop();
 */
export async function startRedisCluster({
  masters = 3,
}: RedisClusterOptions = {}): Promise<RedisClusterHandle> {
  if (!Number.isInteger(masters) || masters < 3) {
    throw new TypeError(
      `startRedisCluster: masters must be an integer of at least 3 (what redis-cli --cluster create accepts), got ${String(masters)}`,
    );
  }
  const started = await Promise.allSettled(
    Array.from({ length: masters }, () =>
      startRedisServer({
        // Relative to each server's own --dir, so every node has its own nodes.conf.
        args: [
          ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
          ...['--cluster-node-timeout', '2000'],
        ],
      }),
    ),
  );
  const servers = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    await createCluster(servers);
    await waitForClusterOk(servers);
  } catch (error) {
    await stop();
    throw new Error(`could not start a ${masters}-master Redis Cluster`, { cause: error });
  }
  return { nodes: servers.map(({ host, port }) => ({ host, port })), stop };
}

async function createCluster(servers: readonly RedisServerHandle[]): Promise<void> {
  const addresses = servers.map(({ host, port }) => `${host}:${port}`);
  try {
    await run(
      'redis-cli',
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      { timeout: CREATE_TIMEOUT_MS, killSignal: 'SIGKILL' },
    );
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`redis-cli --cluster create failed:\n${stdout}${stderr}`, { cause: error });
  }
}

/** Polls CLUSTER INFO on every node until all agree the cluster is whole. */
async function waitForClusterOk(servers: readonly RedisServerHandle[]): Promise<void> {
  const expected = [
    'cluster_state:ok',
    `cluster_slots_assigned:${HASH_SLOTS}`,
    `cluster_slots_ok:${HASH_SLOTS}`,
    `cluster_known_nodes:${servers.length}`,
  ];
  const deadline = Date.now() + CONVERGE_TIMEOUT_MS;
  for (;;) {
    const infos = await Promise.all(
      servers.map(({ host, port }) =>
        sendCommand({ host, port, args: ['CLUSTER', 'INFO'] }).catch((error: unknown) =>
          String(error),
        ),
      ),
    );
    const lagging = infos.findIndex((info) => {
      const lines = new Set(info.split(/\r?\n/));
      return !expected.every((line) => lines.has(line));
    });
    if (lagging === -1) return;
    if (Date.now() > deadline) {
      throw new Error(
        `cluster not ok after ${CONVERGE_TIMEOUT_MS} ms; CLUSTER INFO of node ${servers[lagging]?.port ?? '?'}:\n${infos[lagging] ?? ''}`,
      );
    }
    await delay(50);
  }
}
