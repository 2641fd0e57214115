import { secondFactorDemo } from './secondFactorDemo.js';

await secondFactorDemo();
