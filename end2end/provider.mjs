// How the browser suite and the benchmark start the reference provider.
//
// The provider is started from the built binary (`target/debug/reference-provider`, or under $CARGO_TARGET_DIR) when that binary is at least as
// new as the provider's and the core's sources, else through `cargo run -q -p reference-provider --` (which builds
// it first). `E2E_PROVIDER_BIN=/path/to/binary` forces a given binary.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distIndex = path.join(repoRoot, 'dist', 'index.html');
/** What the lazy screens load (`cargo xtask build`): their chunks in either engine and their stylesheet. The page
 * prefetches them once the first screen is up; benchmarks count them apart, tests block them to break a screen. */
export const LAZY_ASSET = /\/assets\/((split|chunk)-[^/]+\.wasm(\.js)?|later-[^/]+\.css)$/;
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newestMtime(p) {
  let newest = 0;
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** The program and leading arguments that start the provider, plus a note on which one was chosen. */
export function providerLauncher() {
  if (process.env.E2E_PROVIDER_BIN) {
    return { argv: [process.env.E2E_PROVIDER_BIN], how: `E2E_PROVIDER_BIN=${process.env.E2E_PROVIDER_BIN}`, slow: false };
  }
  const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(repoRoot, process.env.CARGO_TARGET_DIR) : path.join(repoRoot, 'target');
  const bin = path.join(targetDir, 'debug', 'reference-provider');
  if (fs.existsSync(bin)) {
    const binTime = fs.statSync(bin).mtimeMs;
    const srcTime = Math.max(
      newestMtime(path.join(repoRoot, 'provider', 'src')),
      newestMtime(path.join(repoRoot, 'provider', 'Cargo.toml')),
      newestMtime(path.join(repoRoot, 'core', 'src')),
      newestMtime(path.join(repoRoot, 'Cargo.lock')),
    );
    if (binTime >= srcTime) return { argv: [bin], how: path.relative(repoRoot, bin), slow: false };
  }
  return { argv: ['cargo', 'run', '-q', '-p', 'reference-provider', '--'], how: 'cargo run -p reference-provider', slow: true };
}

/** Arguments for one provider instance. */
export function providerArgs({ port, csp, config = 'provider/config/default.json', hostname = '127.0.0.1', set = [] }) {
  const overrides = set.flatMap((change) => ['--set', change]);
  return ['--host', hostname, '--port', String(port), '--dist', 'dist', '--config', config, '--csp', csp, ...overrides];
}

function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A shell command line (for Playwright's `webServer.command`). */
export function providerCommand(opts) {
  const { argv } = providerLauncher();
  // `exec`: the shell becomes the provider, so the signal that stops the web server stops the provider (a shell in
  // between would leave it running, holding its port, after the test run).
  return `exec ${[...argv, ...providerArgs(opts)].map(shellQuote).join(' ')}`;
}

/** A URL that answers 200 once the provider is serving. */
export function readinessUrl(port) {
  return `http://127.0.0.1:${port}/api/.well-known/sign-in-exp`;
}
