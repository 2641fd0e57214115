import express from 'express';
import { Counter, Registry } from 'prom-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { metricsHandler } from './metricsHandler.js';

describe('metricsHandler', () => {
  it('serves the registry in the Prometheus text format, uncached', async () => {
    const registry = new Registry();
    const sends = new Counter({
      name: 'checkpoint_sends_total',
      help: 'Codes handed to a channel.',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
    sends.inc({ channel: 'sms', outcome: 'accepted' }, 3);
    const app = express();
    app.get('/metrics', metricsHandler(registry));
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(registry.contentType);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('# TYPE checkpoint_sends_total counter');
    expect(res.text).toContain('checkpoint_sends_total{channel="sms",outcome="accepted"} 3');
  });

  it('passes a failing registry to the error handler', async () => {
    const app = express();
    app.get(
      '/metrics',
      metricsHandler({
        contentType: 'text/plain',
        metrics: () => Promise.reject(new Error('collect failed')),
      }),
    );
    app.use(
      (error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        res.status(500).json({ error: error.message });
      },
    );
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'collect failed' });
  });

  it('refuses something that is not a registry', () => {
    expect(() => metricsHandler({} as never)).toThrow(TypeError);
  });
});
