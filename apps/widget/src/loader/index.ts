/** Entry of loader.js: starts the loader and swallows anything that goes wrong, so the host page never sees an error. */
import { startLoader } from './loader.js';

try {
  startLoader();
} catch {
  // A broken widget must never break the shop.
}
