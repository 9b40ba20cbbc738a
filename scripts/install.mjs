// Installs the locked dependencies: what `.ci/run` does first on a clean clone.
import { ensureInstalled } from './setup.mjs';

ensureInstalled();
