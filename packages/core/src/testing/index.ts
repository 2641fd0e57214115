export { describeStoreConformance } from './storeConformance.js';
export type { StoreConformanceOptions } from './storeConformance.js';
export { ManualClock } from './ManualClock.js';
export { makeRecord, T0 } from './fixtures.js';
