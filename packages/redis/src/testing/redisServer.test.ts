import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedisServer } from './redisServer.js';
import type { RedisServerHandle } from './redisServer.js';

const servers: RedisServerHandle[] = [];
const clients: Redis[] = [];

async function start(args?: readonly string[]): Promise<RedisServerHandle> {
  const server = await startRedisServer(args === undefined ? {} : { args });
  servers.push(server);
  return server;
}

function connect(url: string, commandTimeout?: number): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: 1,
    ...(commandTimeout === undefined ? {} : { commandTimeout }),
  });
  clients.push(client);
  return client;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

describe('startRedisServer', () => {
  it('starts a server on a loopback url that answers PING, and stop() ends its process', async () => {
    const server = await start();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(server.host).toBe('127.0.0.1');
    expect(await connect(server.url).ping()).toBe('PONG');

    await server.stop();
    expect(isAlive(server.pid)).toBe(false);
  });

  it('applies extra arguments after its own defaults', async () => {
    const server = await start(['--maxmemory', '12mb']);
    expect(await connect(server.url).config('GET', 'maxmemory')).toEqual(['maxmemory', '12582912']);
  });

  it('keeps nothing on disk and never evicts', async () => {
    const server = await start();
    const client = connect(server.url);
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual([
      'maxmemory-policy',
      'noeviction',
    ]);
  });

  it('makes commands time out while paused and serves them again once resumed', async () => {
    const server = await start();
    const client = connect(server.url, 300);
    expect(await client.ping()).toBe('PONG');

    server.pause();
    await expect(client.ping()).rejects.toThrow(/timed out/i);

    server.resume();
    expect(await client.set('after-resume', '1')).toBe('OK');
    expect(await client.get('after-resume')).toBe('1');
  });

  it('ends a paused server on stop()', async () => {
    const server = await start();
    server.pause();
    await server.stop();
    expect(isAlive(server.pid)).toBe(false);
  });

  it('brings a killed server back on the same port with restart()', async () => {
    const server = await start();
    const { port, pid } = server;
    await server.kill();
    expect(isAlive(pid)).toBe(false);

    await server.restart();
    expect(server.port).toBe(port);
    expect(server.pid).not.toBe(pid);
    expect(await connect(server.url).ping()).toBe('PONG');
  });

  it('starts again after stop() when restarted', async () => {
    const server = await start();
    await server.stop();
    await server.restart();
    expect(await connect(server.url).ping()).toBe('PONG');
  });

  it('rejects with the server output when redis-server refuses its arguments', async () => {
    await expect(startRedisServer({ args: ['--no-such-directive', 'yes'] })).rejects.toThrow(
      /exited during startup[\s\S]*no-such-directive/,
    );
  });
});
