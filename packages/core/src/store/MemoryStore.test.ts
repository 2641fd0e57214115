import { describeStoreConformance } from '../testing/storeConformance.js';
import { MemoryStore } from './MemoryStore.js';

describeStoreConformance({
  name: 'MemoryStore',
  create: () => new MemoryStore(),
  dump: (store) => (store as MemoryStore).dump(),
  readsOptOutsWithCounters: true,
  createsWithCounters: true,
  checksCountersAtomically: true,
});
