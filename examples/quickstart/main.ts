import { quickstart } from './quickstart.js';

await quickstart();
