import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** A user of the examples: a username, a scrypt password hash and a phone number. */
export interface DemoUser {
  id: string;
  username: string;
  phone: string;
  passwordSalt: string;
  passwordHash: string;
}

/** Makes a {@link DemoUser}, hashing the password (scrypt, random salt). */
export function demoUser(fields: {
  id: string;
  username: string;
  phone: string;
  password: string;
}): DemoUser {
  const passwordSalt = randomBytes(16).toString('base64url');
  return {
    id: fields.id,
    username: fields.username,
    phone: fields.phone,
    passwordSalt,
    passwordHash: scryptSync(fields.password, passwordSalt, 32).toString('base64url'),
  };
}

/** Compares in constant time. */
export function passwordMatches(user: DemoUser, password: string): boolean {
  const expected = Buffer.from(user.passwordHash, 'base64url');
  return timingSafeEqual(scryptSync(password, user.passwordSalt, 32), expected);
}
