import { quickstart } from './quickstart.js';

console.log(await quickstart());
