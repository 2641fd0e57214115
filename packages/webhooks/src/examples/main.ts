import { webhooksQuickstart } from './quickstart.js';

await webhooksQuickstart();
