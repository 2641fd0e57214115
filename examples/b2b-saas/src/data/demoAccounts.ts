import { ssoUserKey } from '@checkpoint/oidc';
import type { User, Users } from './Users.js';

/** A demo account as printed at start and listed in the README. */
export interface DemoAccount {
  email: string;
  password?: string;
  phone: string;
  tenant: string;
  role: string;
  note: string;
}

const PASSWORDS: Record<string, string> = {
  'ada@acme.example': 'acme-demo-password',
  'bob@acme.example': 'bob-demo-password',
  'grace@globex.example': 'globex-demo-password',
};

/** Creates the demo's people: two Acme members, a Globex owner, and Alice who signs in by SSO. */
export function seedAccounts(users: Users, idpIssuer: string): User[] {
  const ada = users.create({
    name: 'Ada Lovelace',
    email: 'ada@acme.example',
    phone: '+14155550101',
    tenantId: 'acme',
    role: 'owner',
    password: PASSWORDS['ada@acme.example'] ?? '',
  });
  const bob = users.create({
    name: 'Bob Builder',
    email: 'bob@acme.example',
    phone: '+14155550102',
    tenantId: 'acme',
    password: PASSWORDS['bob@acme.example'] ?? '',
  });
  const grace = users.create({
    name: 'Grace Hopper',
    email: 'grace@globex.example',
    phone: '+14155550103',
    tenantId: 'globex',
    role: 'owner',
    password: PASSWORDS['grace@globex.example'] ?? '',
  });
  // The demo IdP signs everyone in as `alice`: one person, a member of both workspaces.
  const alice = users.create({
    name: 'Alice Example',
    email: 'alice@idp.example',
    phone: '+14155550104',
    tenantId: 'acme',
    role: 'admin',
    ssoKey: ssoUserKey(idpIssuer, 'alice'),
  });
  users.setRole(alice, 'globex', 'member');
  return [ada, bob, grace, alice];
}

/** The printable list: what to type where. */
export function demoAccounts(users: readonly User[]): DemoAccount[] {
  return users.map((user) => {
    const password = PASSWORDS[user.email];
    return {
      email: user.email,
      ...(password === undefined ? {} : { password }),
      phone: user.phone,
      tenant: Object.keys(user.memberships).join(', '),
      role: Object.values(user.memberships).join(', '),
      note: user.ssoKey === undefined ? 'password + code, or passkey' : 'SSO only (the demo IdP)',
    };
  });
}
