import { describe, expect, it } from 'vitest';
import { MemoryCredentialRepository } from './MemoryCredentialRepository.js';
import type { StoredCredential } from './StoredCredential.js';

function credential(id: string, userId: string): StoredCredential {
  return {
    id,
    userId,
    publicKey: Uint8Array.of(1, 2, 3),
    counter: 0,
    transports: ['usb'],
    deviceType: 'singleDevice',
    backedUp: false,
    aaguid: '00000000-0000-0000-0000-000000000000',
    createdAt: 1,
  };
}

describe('MemoryCredentialRepository', () => {
  it('stores a credential id once, for whichever user registers it first', async () => {
    const repository = new MemoryCredentialRepository();
    expect(await repository.create(credential('c1', 'u_ada'))).toBe(true);
    expect(await repository.create(credential('c1', 'u_bob'))).toBe(false);
    expect(await repository.findById('c1')).toMatchObject({ userId: 'u_ada' });
    expect(await repository.findById('c2')).toBeNull();
  });

  it('lists a user’s credentials and nobody else’s', async () => {
    const repository = new MemoryCredentialRepository();
    await repository.create(credential('c1', 'u_ada'));
    await repository.create(credential('c2', 'u_bob'));
    await repository.create(credential('c3', 'u_ada'));
    expect((await repository.listByUser('u_ada')).map((c) => c.id)).toEqual(['c1', 'c3']);
  });

  it('hands out copies, so a caller cannot change what it holds', async () => {
    const repository = new MemoryCredentialRepository();
    const original = credential('c1', 'u_ada');
    await repository.create(original);
    original.counter = 99;
    const read = await repository.findById('c1');
    if (read === null) throw new TypeError('c1 was stored');
    read.publicKey[0] = 42;
    read.transports.push('nfc');
    expect(await repository.findById('c1')).toMatchObject({
      counter: 0,
      publicKey: Uint8Array.of(1, 2, 3),
      transports: ['usb'],
    });
  });

  it('keeps the larger counter when updates race, and records the use', async () => {
    const repository = new MemoryCredentialRepository();
    await repository.create(credential('c1', 'u_ada'));
    await repository.updateCounter({ id: 'c1', counter: 7, backedUp: true, usedAt: 10 });
    await repository.updateCounter({ id: 'c1', counter: 6, backedUp: true, usedAt: 11 });
    expect(await repository.findById('c1')).toMatchObject({
      counter: 7,
      backedUp: true,
      lastUsedAt: 11,
    });
  });

  it('flags and deletes credentials', async () => {
    const repository = new MemoryCredentialRepository();
    await repository.create(credential('c1', 'u_ada'));
    await repository.flag('c1', { reason: 'counter', at: 5 });
    expect(await repository.findById('c1')).toMatchObject({
      flagged: { reason: 'counter', at: 5 },
    });
    expect(await repository.delete('c1')).toBe(true);
    expect(await repository.delete('c1')).toBe(false);
    expect(await repository.findById('c1')).toBeNull();
  });
});
