import { factorStoreConformance } from '../testing/factorStoreConformance.js';
import { MemoryFactorStore } from './MemoryFactorStore.js';

factorStoreConformance('MemoryFactorStore', () => new MemoryFactorStore());
