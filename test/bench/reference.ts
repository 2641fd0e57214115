import type { Redis } from 'ioredis';
// The bench compares against our own script's size, so it reads the source directly.
import { CHECK } from '../../packages/redis/src/store/lua.js';

const BODY = `
local value = redis.call('GET', KEYS[1])
return {1, value}
`;

/**
 * The reference limit: a bare ioredis EVALSHA of a Lua script as long as RedisStore's check
 * script (padded with a comment), reading one key and returning it, as the check does — the
 * least a one-round-trip check can cost.
 */
export function referenceScript(redis: Redis): (key: string) => Promise<unknown> {
  const padding = Math.max(0, CHECK.length - BODY.length - 4);
  const lua = `--[[${'x'.repeat(padding)}]]${BODY}`;
  if (!('benchReferenceBuffer' in redis))
    redis.defineCommand('benchReference', { numberOfKeys: 1, lua });
  const command = (redis as unknown as { benchReferenceBuffer: (key: string) => Promise<unknown> })
    .benchReferenceBuffer;
  return (key) => command.call(redis, key);
}
