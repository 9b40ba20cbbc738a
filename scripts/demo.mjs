// `npm run demo`: installs and builds what is missing, then starts the demo.
import { ensureBuilt, ensureInstalled } from './setup.mjs';

ensureInstalled();
ensureBuilt();
await import('../demo/server.mjs');
