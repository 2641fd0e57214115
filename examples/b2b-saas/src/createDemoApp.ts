import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Channel, createCheckpoint } from '@checkpoint/core';
import { createStepUp, errorHandler, metricsHandler } from '@checkpoint/express';
import { createFactors } from '@checkpoint/factors';
import { metricsAuditLog, redactingLogger } from '@checkpoint/observability';
import { createSso } from '@checkpoint/oidc';
import { MFA_LOGIN, startTestIdp } from '@checkpoint/oidc/testing';
import {
  OtpStrategy,
  pendingUserId,
  RecoveryCodeStrategy,
  TotpStrategy,
  WebAuthnStrategy,
} from '@checkpoint/passport';
import {
  createFidoMetadata,
  createWebAuthn,
  type FidoMetadata,
  MemoryCredentialRepository,
} from '@checkpoint/webauthn';
import express, { type Express } from 'express';
import session from 'express-session';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { DemoContext } from './DemoContext.js';
import { Aal3Approvals } from './data/Aal3Approvals.js';
import { Activity } from './data/Activity.js';
import { demoAccounts, type DemoAccount, seedAccounts } from './data/demoAccounts.js';
import { demoTenants } from './data/tenants.js';
import { type User, Users } from './data/Users.js';
import { dashboardRoutes } from './dashboard/dashboardRoutes.js';
import { type Backends, memoryBackends, redisBackends } from './infra/backends.js';
import { DevInbox } from './infra/DevInbox.js';
import { announceFactorEvent } from './infra/factorNotices.js';
import { sameOriginOnly, securityHeaders } from './http/security.js';
import { loginRoutes } from './routes/auth/loginRoutes.js';
import { resetRoutes } from './routes/auth/resetRoutes.js';
import { signupRoutes } from './routes/auth/signupRoutes.js';
import { ssoRoutes } from './routes/auth/ssoRoutes.js';
import { apiKeyRoutes } from './routes/console/apiKeyRoutes.js';
import { auditRoutes } from './routes/console/auditRoutes.js';
import { billingRoutes } from './routes/console/billingRoutes.js';
import { dataExportRoutes } from './routes/console/dataExportRoutes.js';
import { homeRoutes } from './routes/console/homeRoutes.js';
import { membersRoutes } from './routes/console/membersRoutes.js';
import { securityRoutes } from './routes/console/securityRoutes.js';
import { devInboxRoutes } from './routes/devInboxRoutes.js';
import { resendHandler } from './routes/otpFlow.js';
import { stepUpPageRoutes } from './routes/stepUpPage.js';
import { countStepUps } from './http/countStepUps.js';
import { seedTraffic } from './seed/seedTraffic.js';

const DEV_SECRET = 'acme-console-dev-only-secret-0123456789abcdef';

/** Options of {@link createDemoApp}. */
export interface DemoAppOptions {
  /** Port on `host`; 0 picks a free one. @default 0 */
  port?: number;
  /** Address to listen on. Loopback only by default. @default '127.0.0.1' */
  host?: string;
  /** Redis for stores, audit log, BullMQ timers and sessions; in-process memory when unset. */
  redisUrl?: string | undefined;
  /** Prefix of every Redis key. @default 'acme-demo:' */
  redisPrefix?: string;
  /** Checkpoint's secret (≥ 32 bytes). @default a development secret, refused in production */
  secret?: string | undefined;
  /** Development mode: the dev inbox, /metrics, the development secret. @default NODE_ENV !== 'production' */
  development?: boolean;
  /** Real channels (Twilio, WhatsApp, SMTP). @default the dev inbox's outbox channels (development only) */
  channels?: Channel[];
  /** Run scripted traffic at start so the dashboard has data. @default true */
  seed?: boolean;
  /** One line per event worth printing (never a code). @default console.log */
  log?: (line: string) => void;
  /**
   * A FIDO metadata BLOB file (downloaded from https://mds3.fidoalliance.org/), so that real
   * security keys prove their model at passkey enrolment; checked against the FIDO root, loaded
   * at start and re-read daily. @default none: only development's approved model counts at AAL3
   */
  fidoMetadataFile?: string | undefined;
}

/** A running Acme Console. */
export interface DemoApp {
  app: Express;
  /** `http://localhost:PORT` — `localhost`, not 127.0.0.1: WebAuthn refuses IP origins. */
  url: string;
  /** The demo IdP's issuer (panva's oidc-provider, in this process). */
  idpIssuer: string;
  /** What the demo "sent" (development). */
  inbox: DevInbox;
  accounts: readonly DemoAccount[];
  /** 'memory' or 'redis'. */
  backend: Backends['kind'];
  close(): Promise<void>;
}

const browserEsm = join(
  dirname(dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser'))),
  'esm',
);
const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

/**
 * Starts Acme Console: Checkpoint's OTP, step-up, passkeys, authenticator apps, recovery codes,
 * remembered browsers and SSO wired into one Express app, with the demo IdP beside it. Listens
 * first (the WebAuthn origin and the IdP's redirect URIs need the port), then builds the routes.
 *
 * @example
 * const demo = await createDemoApp({ port: 3000 });
 * console.log(`open ${demo.url}`);
 */
export async function createDemoApp(options: DemoAppOptions = {}): Promise<DemoApp> {
  const {
    port = 0,
    host = '127.0.0.1',
    redisUrl,
    redisPrefix = 'acme-demo:',
    development = process.env['NODE_ENV'] !== 'production',
    seed = true,
    log = (line: string) => console.log(line),
  } = options;
  const secret = options.secret ?? (development ? DEV_SECRET : undefined);
  if (secret === undefined) {
    throw new TypeError('createDemoApp: outside development pass { secret } (CHECKPOINT_SECRET)');
  }
  if (!development && options.channels === undefined) {
    throw new TypeError(
      'createDemoApp: outside development pass real { channels } (the inbox is development only)',
    );
  }

  let handle: express.Handler = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server: Server = createServer((req, res) =>
    handle(req as express.Request, res as express.Response, () => {}),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  const cleanups: Array<() => Promise<void>> = [closeServer];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const idp = await startTestIdp({
      login: MFA_LOGIN,
      redirectUris: [`${url}/sso/callback`, `${url}/auth/step-up/sso/callback`],
    });
    cleanups.push(() => idp.close());
    const backends =
      redisUrl === undefined ? memoryBackends() : await redisBackends(redisUrl, redisPrefix);
    cleanups.push(() => backends.close());

    const now = () => Date.now();
    const inbox = new DevInbox(now, log);
    const auditLog = metricsAuditLog(backends.auditLog);
    const checkpoint = createCheckpoint({
      secret,
      channels: options.channels ?? inbox.channels(),
      store: backends.store,
      auditLog,
      ...(backends.scheduler === undefined ? {} : { scheduler: backends.scheduler }),
      logger: redactingLogger({
        debug: () => {},
        info: () => {},
        warn: (fields, message) => console.warn(message, fields),
        error: (fields, message) => console.error(message, fields),
      }),
      // The last line of each SMS is `@localhost #123456`: WebOTP (and Safari) fill the code.
      message: { appName: 'Acme Console', webOtpDomain: new URL(url).hostname },
    });
    cleanups.push(() => checkpoint.close());

    const tenantList = demoTenants(idp.issuer, development);
    for (const tenant of tenantList) {
      await checkpoint.configure(tenant.id, { channels: ['sms', 'whatsapp', 'email'] });
    }
    const tenants = new Map(tenantList.map((tenant) => [tenant.id, tenant]));
    const users = new Users();
    const accounts = seedAccounts(users, idp.issuer);

    // A passkey counts at AAL3 only when its attestation proves a hardware model (FIDO metadata,
    // or a model the tenant approves) and it was bound from an AAL3 session or with an IT
    // admin's out-of-band approval. In development Acme's IT has approved Ada's first one.
    const approvals = new Aal3Approvals();
    const ada = accounts.find((account) => account.email === 'ada@acme.example');
    if (development && ada !== undefined) {
      approvals.approve({
        tenantId: 'acme',
        userId: ada.id,
        approvedBy: 'Acme IT (demo seed): Ada’s first security key',
      });
    }
    let metadata: FidoMetadata | undefined;
    if (options.fidoMetadataFile !== undefined) {
      metadata = createFidoMetadata({ source: { file: options.fidoMetadataFile } });
      await metadata.refresh();
      const stop = metadata.startRefreshing({
        onError: (error) => log(`FIDO metadata not refreshed: ${error.message}`),
      });
      cleanups.push(() => Promise.resolve(stop()));
    }
    const credentials = new MemoryCredentialRepository();
    const webauthn = createWebAuthn({
      rpID: new URL(url).hostname,
      rpName: 'Acme Console',
      origins: [url],
      store: backends.store,
      credentials,
      ...(metadata === undefined ? {} : { metadata }),
      approvedAuthenticators: (tenantId) => tenants.get(tenantId ?? '')?.approvedAuthenticators,
      approveAal3Enrolment: (candidate) => approvals.take(candidate),
    });
    const idpConfig = {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
    };
    const idps = Object.fromEntries(tenantList.map((tenant) => [tenant.id, idpConfig]));
    const ssoOptions = { idps, store: backends.store, allowInsecureRequests: true }; // http:// IdP: demo only
    const sso = createSso({ ...ssoOptions, redirectUri: `${url}/sso/callback` });
    const activity = new Activity(now);

    // Authenticator apps, recovery codes and remembered browsers. Keys are derived from the same
    // secret; code guesses are counted in Checkpoint's Store. The device cookie is `Secure` except
    // in development over plain http (the demo's http://localhost).
    const factors = createFactors({
      secret,
      checkpoint,
      store: backends.factorStore,
      totp: { issuer: 'Acme Console' },
      devices: { secure: !(development && url.startsWith('http:')) },
      auditLog,
      onEvent: (event) => announceFactorEvent(event, users, inbox),
    });

    const stepUp = createStepUp({
      checkpoint,
      destination: (_req, userId) => users.get(userId)?.phone,
      tenantPolicy: (req) =>
        tenants.get(req.session.checkpoint?.tenantId ?? '')?.policy ?? { id: 'default' },
      tenantId: (req) => req.session.checkpoint?.tenantId,
      appName: 'Acme Console',
      webauthn,
      factors,
      userName: (_req, userId) => users.get(userId)?.email ?? userId,
      sso: createSso({ ...ssoOptions, redirectUri: `${url}/auth/step-up/sso/callback` }),
      ssoUserId: (subject) => users.bySsoKey(subject.key)?.id,
      notify: async (notice) => {
        const to =
          typeof notice.to === 'string' ? notice.to : (notice.to.phone ?? notice.to.email ?? '');
        inbox.notice(to, notice.text);
      },
      // The tenant's owners and admins stand in for its billing admins and security contacts.
      contacts: (_req, { tenantId }) =>
        users
          .inTenant(tenantId)
          .filter((member) => member.memberships[tenantId] !== 'member')
          .map((member) => ({ userId: member.id, to: member.email })),
    });

    const auth = new passport.Passport();
    auth.use(
      new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
        done(null, users.authenticate(email, password) ?? false);
      }),
    );
    auth.use(
      'otp-2fa',
      new SessionOtpStrategy(
        { checkpoint, purpose: 'login', subject: pendingUserId },
        (verification, done) => {
          done(null, users.get(verification.subject) ?? false);
        },
      ),
    );
    // A second factor from the user's own authenticator app or a recovery code, for the user
    // whose password this session just checked, in the workspace of the login flow.
    const factorLogin = {
      factors,
      userId: pendingUserId,
      tenantId: (req: express.Request) => req.session.flow?.tenantId ?? 'default',
    };
    const byId = (userId: string, done: (error: unknown, user?: User | false) => void) =>
      done(null, users.get(userId) ?? false);
    auth.use(new TotpStrategy(factorLogin, byId));
    auth.use(new RecoveryCodeStrategy(factorLogin, byId));
    // Passkeys are enrolled per workspace: a passkey login names the workspace it signs in to.
    const workspace = (req: express.Request) => {
      const tenant = (req.body as { tenant?: unknown } | undefined)?.tenant;
      return typeof tenant === 'string' && tenants.has(tenant) ? tenant : undefined;
    };
    auth.use(
      new WebAuthnStrategy({ webauthn, tenantId: workspace }, (userId, done) =>
        done(null, users.get(userId) ?? false),
      ),
    );
    auth.serializeUser((user, done) => done(null, (user as User).id));
    auth.deserializeUser((id: string, done) => done(null, users.get(id) ?? false));

    const ctx: DemoContext = {
      url,
      development,
      checkpoint,
      auditLog,
      stepUp,
      webauthn,
      credentials,
      factors,
      sso,
      auth,
      users,
      tenants,
      activity,
      inbox,
      billing: new Map([
        ['acme', { last4: '1881', plan: 'team' }],
        ['globex', { last4: '7310', plan: 'enterprise' }],
      ]),
      apiKeys: new Map(),
      now,
    };

    const app = express();
    app.set('trust proxy', 'loopback');
    app.disable('x-powered-by');
    app.use(securityHeaders(idp.issuer));
    app.use('/static/sw', express.static(browserEsm));
    app.use('/static', express.static(publicDir));
    app.use(sameOriginOnly(url));
    app.use(express.urlencoded({ extended: false, limit: '8kb' }));
    app.use(express.json({ limit: '16kb' }));
    app.use(
      session({
        name: 'acme.sid',
        secret,
        resave: false,
        saveUninitialized: false,
        cookie: { httpOnly: true, sameSite: 'lax', secure: url.startsWith('https:') },
        ...(backends.sessionStore === undefined ? {} : { store: backends.sessionStore }),
      }),
    );
    app.use(auth.session());
    app.use(stepUp.sessionGuard());
    app.use('/auth/step-up', countStepUps(activity), stepUp.router);
    app.post('/otp/resend', resendHandler(checkpoint, now));
    for (const routes of [
      homeRoutes,
      loginRoutes,
      signupRoutes,
      resetRoutes,
      ssoRoutes,
      stepUpPageRoutes,
      securityRoutes,
      membersRoutes,
      billingRoutes,
      apiKeyRoutes,
      auditRoutes,
      dataExportRoutes,
      dashboardRoutes,
    ]) {
      app.use(routes(ctx));
    }
    if (development) {
      app.use(devInboxRoutes(ctx));
      app.get('/metrics', metricsHandler(auditLog.registry)); // an internal port in production
    }
    app.use(errorHandler());

    if (seed) await seedTraffic(checkpoint, inbox);
    handle = app;
    return {
      app,
      url,
      idpIssuer: idp.issuer,
      inbox,
      accounts: demoAccounts(accounts),
      backend: backends.kind,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** OtpStrategy reading the verification id from the session's flow (never from the form). */
class SessionOtpStrategy extends OtpStrategy {
  override credentials(req: express.Request) {
    return {
      id: req.session.flow?.verificationId,
      code: (req.body as { code?: unknown } | undefined)?.code,
    };
  }
}
