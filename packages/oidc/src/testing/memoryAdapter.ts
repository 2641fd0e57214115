import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

/**
 * @internal oidc-provider storage for one test IdP: a Map per model, with expiry and `consumed`
 * marks (a used authorization code is found again, marked, so the provider refuses its reuse).
 * Unlike the provider's built-in development adapter it is private to the IdP and says nothing.
 */
export function memoryAdapter(): AdapterFactory {
  const entries = new Map<string, Entry>();
  return (model): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    const live = (id: string): AdapterPayload | undefined => {
      const entry = entries.get(key(id));
      if (entry === undefined) return undefined;
      if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
        entries.delete(key(id));
        return undefined;
      }
      return entry.payload;
    };
    const findBy = (field: 'userCode' | 'uid', value: string) => {
      for (const [name, entry] of entries) {
        if (name.startsWith(`${model}:`) && entry.payload[field] === value) return entry.payload;
      }
      return undefined;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        entries.set(key(id), {
          payload,
          expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
        });
      },
      find: async (id) => live(id),
      findByUid: async (uid) => findBy('uid', uid),
      findByUserCode: async (userCode) => findBy('userCode', userCode),
      consume: async (id) => {
        const payload = live(id);
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        entries.delete(key(id));
      },
      revokeByGrantId: async (grantId) => {
        for (const [name, entry] of entries) {
          if (entry.payload.grantId === grantId) entries.delete(name);
        }
      },
    };
  };
}
