#!/usr/bin/env node
// Benchmark (a script, not a test) of moving on from /sign-in when the next screen's code was NOT prefetched:
//
//   node end2end/bench-next.mjs [--runs 5] [--engines wasm,js] [--conditions P1,P0]
//
// The lazy screens' chunks (`cargo xtask build`) are normally fetched while the browser is idle after the first
// screen. Here every chunk request is refused until the form is ready and the page has given up prefetching, so each
// step below has to fetch its chunk on demand, like a person who clicks before the prefetch is done. Per step, the
// time from the click to the next screen ready (its heading shown, no busy blank left), the bytes fetched meanwhile,
// and whether the card was ever empty (it may show the old screen, the busy blank or the new screen, nothing else).
//
// Steps (provider config mfa.json: identifier first, MFA mandatory):
//   register  /sign-in → "Create account" → /register        (main module: no chunk)
//   password  /sign-in → username → /sign-in/password        (the `codes` chunk)
//   after-password  /sign-in/password → password → the next step of this account (alice: /continue/email, the
//             `profile` chunk), measured after `password`
// `register` needs no chunk: it is the baseline for a client-side step under the same conditions.
// Conditions: P1 = 100 ms latency, 9/1.5 Mbit/s, CPU ×4 (as end2end/bench.mjs); P0 = none. Fresh context per run.
// Starts its own providers on ports 3971 (strict CSP: wasm engine) and 3972 (Logto's CSP: JS engine).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { CONDITIONS, median } from './bench-common.mjs';
import { LAZY_ASSET, chromiumArgs, chromiumPath, distIndex, providerArgs, providerLauncher, readinessUrl, repoRoot } from './provider.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(opt('runs', 5));
const ENGINES = opt('engines', 'wasm,js').split(',');
const CONDS = opt('conditions', 'P1,P0').split(',');
const PROFILES = { wasm: { port: 3971, csp: 'strict' }, js: { port: 3972, csp: 'logto' } };
const PASSWORD = 'Al1ce-Passw0rd!x';

if (!fs.existsSync(distIndex)) throw new Error('dist/ is missing: run `cargo xtask build` first');

const providers = [];
async function startProvider({ port, csp }) {
  const { argv } = providerLauncher();
  const child = spawn(argv[0], [...argv.slice(1), ...providerArgs({ port, csp, config: 'provider/config/mfa.json', hostname: 'localhost' })], {
    cwd: repoRoot,
    stdio: 'ignore',
  });
  providers.push(child);
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(readinessUrl(port).replace('127.0.0.1', 'localhost'))).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`provider on ${port} did not start`);
}

// Flags an empty card: `main` with no element child at any moment.
const EMPTY_CARD_WATCH = () => {
  window.__emptyCard = false;
  const check = () => {
    const main = document.querySelector('main');
    if (main && document.documentElement.dataset.engine && !main.firstElementChild) window.__emptyCard = true;
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true });
};

/** Resolves when the screen at a path starting with `path` (or, with `!path`, any path not starting with it) is up. */
async function ready(page, path) {
  await page.waitForFunction(
    (p) =>
      (p.startsWith('!') ? !location.pathname.startsWith(p.slice(1)) : location.pathname.startsWith(p)) &&
      document.querySelector('main h1') &&
      !document.querySelector('main .page_blank'),
    path,
    { timeout: 60_000, polling: 'raf' },
  );
}

async function oneRun(browser, engine, cond) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(EMPTY_CARD_WATCH);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const t = CONDITIONS[cond];
    if (t.throttle) {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: t.latency, downloadThroughput: t.down, uploadThroughput: t.up });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: t.cpu });
    }
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
    const refuse = (route) => route.abort('internetdisconnected');
    await page.route(LAZY_ASSET, refuse);
    await page.goto(`http://localhost:${PROFILES[engine].port}/demo`, { waitUntil: 'commit' });
    const identifier = page.locator('input[name=identifier]');
    await identifier.waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForTimeout(t.throttle ? 3000 : 1000); // the idle prefetch runs and fails
    await page.unroute(LAZY_ASSET, refuse);

    const step = async (name, act, path) => {
      await page.evaluate(() => (window.__emptyCard = false));
      const before = bytes;
      const start = Date.now();
      await act();
      await ready(page, path);
      return { name, ms: Date.now() - start, bytes: bytes - before, empty: await page.evaluate(() => window.__emptyCard) };
    };
    const out = [];
    out.push(await step('register', () => page.getByRole('link', { name: 'Create account' }).click(), '/register'));
    await page.goBack();
    await identifier.waitFor({ state: 'visible' });
    await identifier.fill('alice');
    out.push(await step('password', () => page.locator('main button[type=submit]').first().click(), '/sign-in/password'));
    await page.locator('input[type=password]').fill(PASSWORD);
    out.push(await step('after-password', () => page.locator('main button[type=submit]').first().click(), '!/sign-in'));
    const landed = new URL(page.url()).pathname;
    out[out.length - 1].name = `after-password (${landed})`;
    return out;
  } finally {
    await context.close();
  }
}


async function main() {
  for (const engine of ENGINES) await startProvider(PROFILES[engine]);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const results = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const cond of CONDS) {
        for (const engine of ENGINES) {
          const steps = await oneRun(browser, engine, cond);
          for (const s of steps) results.push({ engine, cond, ...s, step: s.name.split(' ')[0] });
          console.error(`run ${run + 1} ${engine} ${cond}: ${steps.map((s) => `${s.name} ${s.ms} ms ${s.bytes} B${s.empty ? ' EMPTY CARD' : ''}`).join(', ')}`);
        }
      }
    }
  } finally {
    await browser.close();
    for (const p of providers) p.kill();
  }
  console.log('\nTime from the click to the next screen ready, chunk not prefetched (median [min..max] of', RUNS, 'runs):\n');
  console.log('engine  cond  step            ms                      bytes fetched        empty card');
  for (const engine of ENGINES) {
    for (const cond of CONDS) {
      for (const step of ['register', 'password', 'after-password']) {
        const rs = results.filter((r) => r.engine === engine && r.cond === cond && r.step === step);
        if (!rs.length) continue;
        const ms = rs.map((r) => r.ms);
        const b = rs.map((r) => r.bytes);
        console.log(
          `${engine.padEnd(7)} ${cond.padEnd(5)} ${step.padEnd(15)} ${`${median(ms)} [${Math.min(...ms)}..${Math.max(...ms)}]`.padEnd(23)} ${String(median(b)).padEnd(20)} ${rs.some((r) => r.empty) ? 'YES' : 'never'}`,
        );
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  for (const p of providers) p.kill();
  process.exit(1);
});
