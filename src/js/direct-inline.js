// The direct sign-in fast path as an inline script: `cargo xtask build` puts it in index.html right after the SSR
// data, so on a /direct/ URL the two Experience API calls start as soon as the document is parsed that far, before
// any external script arrives. It marks the document so that the loader does not start it again (the loader runs it
// itself where a CSP refuses this inline copy).
import { directSignIn } from './direct-sign-in.js';

try {
  if (directSignIn()) document.documentElement.dataset.direct = 'started';
} catch (e) {
  console.warn('Direct sign-in failed, starting the page', e);
}
