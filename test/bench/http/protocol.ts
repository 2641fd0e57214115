// What the bench's main thread and its server thread tell each other.

/** A user of the login bench: the server thread knows them, the load loop logs them in. */
export interface BenchUser {
  id: string;
  username: string;
  password: string;
  phone: string;
}

/** `workerData` of the server thread. */
export interface ServerData {
  redisUrl: string;
  /** Every key the servers write starts with it: verifications, counters, sessions. */
  prefix: string;
  secret: string;
  /** The key the bare endpoint's one Redis call reads. */
  referenceKey: string;
  users: BenchUser[];
}

/** Ports on 127.0.0.1 of the servers. */
export interface ServerPorts {
  /** The bare Express JSON endpoint with one Redis call: `POST /limit`. */
  limit: number;
  /** `otpRouter` at `/otp`. */
  otp: number;
  /** The same otpRouter on a checkpoint without pumping guards (`guards: []`), for comparison. */
  otpUnguarded: number;
  /** Password + OTP login: `POST /login/password`, then `POST /login/otp`. */
  login: number;
}

export type ToMain =
  | { type: 'ready'; ports: ServerPorts }
  /** A code the login app's channel "delivered": the load loop reads it as a phone would. */
  | { type: 'code'; id: string; code: string }
  /** The server thread's event-loop busy time so far, in milliseconds (`eventLoopUtilization`). */
  | { type: 'busy'; activeMs: number }
  | { type: 'closed' };

export type ToServer = { type: 'clear' } | { type: 'busy' } | { type: 'close' };
