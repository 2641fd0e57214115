import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';

/** A member's role in a tenant. */
export type Role = 'owner' | 'admin' | 'member';

/** An Acme Console user. SSO users have `ssoKey` (`issuer#sub`) and may have no password. */
export interface User {
  id: string;
  name: string;
  email: string;
  /** E.164; where login and step-up codes go. */
  phone: string;
  /** tenant id -> role. */
  memberships: Record<string, Role>;
  password?: PasswordHash;
  ssoKey?: string;
}

/** A scrypt password hash. */
export interface PasswordHash {
  salt: string;
  hash: string;
}

/** What a new account needs. */
export interface NewUser {
  name: string;
  email: string;
  phone: string;
  tenantId: string;
  role?: Role;
  /** A password, or its hash when it was taken earlier (a sign-up waiting for its phone). */
  password?: string | PasswordHash;
  ssoKey?: string;
}

/** A scrypt hash of a password with a random salt. */
export function hashPassword(password: string): PasswordHash {
  const salt = randomBytes(16).toString('base64url');
  return { salt, hash: scryptSync(password, salt, 32).toString('base64url') };
}

// Compared against when no account matches, so an unknown email costs the same scrypt as a known one.
const DUMMY = hashPassword('no-such-account');

/** The demo's user directory, in memory (a real app has a database). */
export class Users {
  private readonly byId = new Map<string, User>();

  create(fields: NewUser): User {
    if (this.byEmail(fields.email) !== undefined) {
      throw new Error(`an account with that email exists`);
    }
    const user: User = {
      id: `u_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
      name: fields.name,
      email: fields.email.toLowerCase(),
      phone: fields.phone,
      memberships: { [fields.tenantId]: fields.role ?? 'member' },
      ...(fields.password === undefined
        ? {}
        : {
            password:
              typeof fields.password === 'string' ? hashPassword(fields.password) : fields.password,
          }),
      ...(fields.ssoKey === undefined ? {} : { ssoKey: fields.ssoKey }),
    };
    this.byId.set(user.id, user);
    return user;
  }

  get(id: string | undefined): User | undefined {
    return id === undefined ? undefined : this.byId.get(id);
  }

  byEmail(email: string): User | undefined {
    const wanted = email.trim().toLowerCase();
    return [...this.byId.values()].find((user) => user.email === wanted);
  }

  bySsoKey(key: string): User | undefined {
    return [...this.byId.values()].find((user) => user.ssoKey === key);
  }

  inTenant(tenantId: string): User[] {
    return [...this.byId.values()].filter((user) => user.memberships[tenantId] !== undefined);
  }

  /** The user whose password this is, in constant time per attempt; undefined otherwise. */
  authenticate(email: string, password: string): User | undefined {
    const user = this.byEmail(email);
    const stored = user?.password ?? DUMMY;
    const matches = timingSafeEqual(
      scryptSync(password, stored.salt, 32),
      Buffer.from(stored.hash, 'base64url'),
    );
    return matches && user?.password !== undefined ? user : undefined;
  }

  setPassword(user: User, password: string): void {
    user.password = hashPassword(password);
  }

  setRole(user: User, tenantId: string, role: Role): void {
    user.memberships[tenantId] = role;
  }
}
