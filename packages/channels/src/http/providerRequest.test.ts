import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { isCheckpointError } from '@checkpoint/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type HttpReply,
  type LoopbackServer,
  startHttpServer,
} from '../testing/startHttpServer.js';
import { providerRequest } from './providerRequest.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function serve(...replies: Array<HttpReply | 'hang'>): Promise<LoopbackServer> {
  const queue = [...replies];
  server = await startHttpServer(() => queue.shift() ?? { status: 200, body: { ok: true } });
  return server;
}

function call(url: string, overrides: { retries?: number; timeoutMs?: number } = {}) {
  return providerRequest({
    label: 'Example',
    reasonPrefix: 'example',
    destination: '+*********00',
    url,
    headers: { 'content-type': 'application/json' },
    body: '{}',
    timeoutMs: overrides.timeoutMs ?? 2_000,
    retries: overrides.retries ?? 2,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('providerRequest', () => {
  it('retries a 5xx and returns the answer that follows', async () => {
    const { url, requests } = await serve({ status: 500 }, { status: 503 });
    const answer = await call(url);
    expect(answer).toMatchObject({ status: 200, json: { ok: true }, attempts: 3 });
    expect(requests).toHaveLength(3);
  });

  it('returns the last 5xx once the retries are spent', async () => {
    const { url, requests } = await serve({ status: 502 }, { status: 502 }, { status: 502 });
    const answer = await call(url, { retries: 1 });
    expect(answer).toMatchObject({ status: 502, attempts: 2 });
    expect(requests).toHaveLength(2);
  });

  it('retries a 429 after the Retry-After it asks for', async () => {
    const { url, requests } = await serve({ status: 429, headers: { 'retry-after': '0' } });
    expect(await call(url)).toMatchObject({ status: 200, attempts: 2 });
    expect(requests).toHaveLength(2);
  });

  it('does not wait for a Retry-After longer than a code is worth', async () => {
    const { url, requests } = await serve({ status: 429, headers: { 'retry-after': '120' } });
    expect(await call(url)).toMatchObject({ status: 429, attempts: 1, retryAfterMs: 120_000 });
    expect(requests).toHaveLength(1);
  });

  it('never retries a 4xx', async () => {
    const { url, requests } = await serve({ status: 400, body: { code: 1 } });
    expect(await call(url)).toMatchObject({ status: 400, json: { code: 1 }, attempts: 1 });
    expect(requests).toHaveLength(1);
  });

  it('fails a request that gets no answer as channel_unavailable, without retrying it', async () => {
    const { url, requests } = await serve('hang', 'hang');
    const error = await rejection(call(url, { timeoutMs: 100 }));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['example:timeout']);
    expect(requests).toHaveLength(1);
  });

  it('retries network errors, then fails as channel_unavailable', async () => {
    // A port that was free a moment ago: connections are refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await rejection(call(`http://127.0.0.1:${port}/`, { retries: 1 }));
    expect(isCheckpointError(error) && error.code).toBe('channel_unavailable');
    expect(isCheckpointError(error) && error.reasons).toEqual(['example:network']);
    expect(String((error as Error).message)).toContain('after 2 attempts');
  });

  it('keeps a non-JSON body out of the parsed answer', async () => {
    const { url } = await serve({ status: 502, body: '<html>Bad gateway</html>' });
    expect(await call(url, { retries: 0 })).toMatchObject({ status: 502, json: undefined });
  });
});
