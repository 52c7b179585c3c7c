// The suite never builds the page: `cargo xtask test` (and `cargo xtask build`) do. Fail early and clearly if the
// build output is missing instead of timing out on a blank page.
import fs from 'node:fs';
import { distIndex, chromiumPath } from './provider.mjs';

export default async function globalSetup() {
  if (!fs.existsSync(distIndex)) {
    throw new Error(
      `\n\n  dist/index.html is missing (${distIndex}).\n` +
        '  The browser suite tests the built page and does not build it itself.\n' +
        '  Run `cargo xtask build` first (or `cargo xtask test`, which builds and then runs this suite).\n',
    );
  }
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `\n\n  Chromium not found at ${chromiumPath}. Install it (\`apt-get install chromium\`) or set CHROMIUM_PATH.\n`,
    );
  }
}
