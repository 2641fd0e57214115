export { factorStoreConformance } from './factorStoreConformance.js';
