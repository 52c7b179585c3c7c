// Benchmark (a script, not a test) of the direct sign-in fast path (issue 4; docs/experience-api.md, Direct sign-in):
//
//   node end2end/bench-direct.mjs [--runs 7] [--port 3961] [--no-provider]
//
// Measures, in headless Chromium, the time from the start of the `/direct/social/mock-social` document request to
// the start of the request for the IdP's authorization URL (`/mock-idp/authorize`), both taken from CDP
// `Network.requestWillBeSent` timestamps (one monotonic clock per page). Next to it, in the same run and under the
// same conditions, the FLOOR: a minimal static page whose one external script makes the same two calls with plain
// `fetch` (`PUT /api/experience`, `POST …/social/mock-social-connector/authorization-uri`) and then
// `location.assign(authorizationUri)`; floor = its document request start → IdP request start.
//
// Two floors are measured:
// - "served": the floor page and script are files in a temporary copy of `dist/` that this script's own provider
//   serves (`--dist <copy>`): same server, same (throttled) network path as the real page. This is the reference.
// - "routed": the floor page and script are fulfilled by the browser's request interception (CDP Fetch with narrow
//   patterns, as `page.route` would, without intercepting the API calls): they are never fetched from the provider,
//   so this floor is optimistic (shown for comparison).
//
// Every run is a fresh browser context with the cache disabled and a fresh OIDC interaction through
// `/demo?direct_sign_in=social:mock-social`; for floor runs the `/direct/…` hop is answered by interception with a
// redirect to the floor page, so the redirect chain before the timed document is the same. Runs alternate
// page / floor (round robin, alternating which goes first). Profiles: emulated 100 ms latency, 9 Mbit/s down,
// 1.5 Mbit/s up; and no throttling. Prints median [min..max] of each and the ratio page / floor (target ≤ 1.3).
// A third floor comes from the page's own runs, as Logto's anchor was measured: the document's transfer (request
// start → loading finished) plus the PUT's and the POST's, back to back; printed as "ratio page / anchor floor".
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './bench-common.mjs';
import { chromiumArgs, chromiumPath, distIndex, repoRoot } from './provider.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(opt('runs', process.env.BENCH_RUNS || 7));
const PORT = Number(opt('port', 3961));
const ORIGIN = `http://127.0.0.1:${PORT}`;
const TARGET = 'mock-social';
const CONNECTOR = 'mock-social-connector';

const PROFILES = [
  { name: 'throttled (100 ms latency, 9 Mbit/s down, 1.5 Mbit/s up)', conditions: { offline: false, latency: 100, downloadThroughput: (9e6 / 8), uploadThroughput: (1.5e6 / 8) } },
  { name: 'no throttling', conditions: null },
];

const FLOOR_HTML = (script) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>floor</title><script src="${script}"></script></head><body></body></html>
`;
const FLOOR_JS = `(() => {
  const appId = new URLSearchParams(location.search).get('app_id') || 'demo-app';
  const headers = { 'Content-Type': 'application/json', 'Accept-Language': navigator.language || 'en', 'Logto-App-Id': appId };
  const state = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  fetch('/api/experience', { method: 'PUT', headers, body: JSON.stringify({ interactionEvent: 'SignIn' }), credentials: 'same-origin' })
    .then(() => fetch('/api/experience/verification/social/${CONNECTOR}/authorization-uri', {
      method: 'POST', headers, credentials: 'same-origin',
      body: JSON.stringify({ state, redirectUri: location.origin + '/callback/${CONNECTOR}' }),
    }))
    .then((res) => res.json())
    .then(({ authorizationUri }) => location.assign(authorizationUri));
})();
`;

// ---------------------------------------------------------------------------------------------------------------
// Provider (own instance, over a temporary copy of dist/ that also holds the "served" floor).

function prepareDist() {
  if (!fs.existsSync(distIndex)) throw new Error('dist/ is missing: run `cargo xtask build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-direct-dist-'));
  fs.cpSync(path.dirname(distIndex), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'bench-floor.html'), FLOOR_HTML('/bench-floor.js'));
  fs.writeFileSync(path.join(dir, 'bench-floor.js'), FLOOR_JS);
  return dir;
}

async function startProvider(dist) {
  const bin = process.env.E2E_PROVIDER_BIN || path.join(repoRoot, 'target', 'debug', 'reference-provider');
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: cargo build -p reference-provider`);
  const child = spawn(
    bin,
    ['--host', '127.0.0.1', '--port', String(PORT), '--dist', dist, '--config', 'provider/config/flows.json', '--csp', 'strict'],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`provider exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${ORIGIN}/api/.well-known/sign-in-exp`);
      if (res.ok) return { child, exited, pid: child.pid };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`provider did not answer on ${ORIGIN}: ${stderr}`);
}

// ---------------------------------------------------------------------------------------------------------------
// One measured run.

/** kind: 'page' | 'served' | 'routed'. Returns milliseconds from the timed document request to the IdP request. */
async function measure(browser, kind, conditions) {
  const context = await browser.newContext({ locale: 'en-US' });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (conditions) await cdp.send('Network.emulateNetworkConditions', conditions);

    const startPath = { page: `/direct/social/${TARGET}`, served: '/bench-floor.html', routed: '/bench-floor-routed.html' }[kind];
    let t0 = null;
    let resolveIdp;
    const idp = new Promise((r) => (resolveIdp = r));
    // For the anchor floor: when the document, the PUT and the authorization-uri POST were sent and finished.
    const timed = new Map(); // requestId → { what, sent, done }
    cdp.on('Network.requestWillBeSent', (e) => {
      const url = new URL(e.request.url);
      if (url.origin !== ORIGIN) return;
      if (t0 === null && url.pathname === startPath) {
        t0 = e.timestamp;
        timed.set(e.requestId, { what: 'document', sent: e.timestamp });
      }
      if (e.request.method === 'PUT' && url.pathname === '/api/experience') timed.set(e.requestId, { what: 'put', sent: e.timestamp });
      if (url.pathname.endsWith('/authorization-uri')) timed.set(e.requestId, { what: 'post', sent: e.timestamp });
      if (url.pathname === '/mock-idp/authorize') resolveIdp(e.timestamp);
    });
    // Finished: the body's end, or for a body-less answer (the PUT's 204) its headers.
    cdp.on('Network.responseReceived', (e) => {
      const entry = timed.get(e.requestId);
      if (entry && entry.done === undefined) entry.done = e.timestamp;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const entry = timed.get(e.requestId);
      if (entry) entry.done = e.timestamp;
    });

    if (kind !== 'page') {
      // Only the matching requests are paused; everything else goes straight to the (emulated) network.
      const patterns = [{ urlPattern: `${ORIGIN}/direct/*`, requestStage: 'Request' }];
      if (kind === 'routed') patterns.push({ urlPattern: `${ORIGIN}/bench-floor-routed*`, requestStage: 'Request' });
      await cdp.send('Fetch.enable', { patterns });
      cdp.on('Fetch.requestPaused', async (e) => {
        const url = new URL(e.request.url);
        const respond = (responseCode, headers, body = '') =>
          cdp.send('Fetch.fulfillRequest', {
            requestId: e.requestId,
            responseCode,
            responseHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })),
            body: Buffer.from(body).toString('base64'),
          });
        if (url.pathname.startsWith('/direct/')) {
          const floor = kind === 'served' ? '/bench-floor.html' : '/bench-floor-routed.html';
          await respond(302, { Location: `${floor}${url.search}`, 'Cache-Control': 'no-store' });
        } else if (url.pathname === '/bench-floor-routed.html') {
          await respond(200, { 'Content-Type': 'text/html; charset=utf-8' }, FLOOR_HTML('/bench-floor-routed.js'));
        } else if (url.pathname === '/bench-floor-routed.js') {
          await respond(200, { 'Content-Type': 'text/javascript; charset=utf-8' }, FLOOR_JS);
        } else {
          await cdp.send('Fetch.continueRequest', { requestId: e.requestId });
        }
      });
    }

    await page.goto(`${ORIGIN}/demo?direct_sign_in=social:${TARGET}`, { waitUntil: 'commit' });
    const t1 = await Promise.race([idp, new Promise((_, rej) => setTimeout(() => rej(new Error(`${kind}: no IdP request within 30 s (at ${page.url()})`)), 30_000))]);
    if (t0 === null) throw new Error(`${kind}: no ${startPath} request seen`);
    // Logto's anchor was measured this way: document received, then the two calls back to back, from the same load.
    await page.waitForTimeout(200); // CDP events of the calls may arrive after the IdP request's
    const span = (what) => {
      const done = [...timed.values()].find((t) => t.what === what && t.done);
      if (!done) throw new Error(`${kind}: no finished ${what} request (${JSON.stringify([...timed.values()])})`);
      return done.done - done.sent;
    };
    const anchor = kind === 'page' ? (span('document') + span('put') + span('post')) * 1000 : null;
    return { time: (t1 - t0) * 1000, anchor };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------

const fmt = (xs) => `${median(xs).toFixed(0).padStart(5)} ms [${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)}]`;

async function main() {
  const dist = prepareDist();
  const provider = await startProvider(dist);
  const stop = async () => {
    if (provider.child.exitCode === null) {
      process.kill(provider.pid, 'SIGTERM');
      await provider.exited;
    }
    fs.rmSync(dist, { recursive: true, force: true });
  };
  let browser;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
    console.log(`direct sign-in benchmark: ${RUNS} runs per profile, provider pid ${provider.pid} on ${ORIGIN}, Chromium ${browser.version()}`);
    console.log('time = /direct/social/mock-social (or floor) document request start → /mock-idp/authorize request start\n');
    const kinds = ['page', 'served', 'routed'];
    for (const profile of PROFILES) {
      // One warm-up of each kind (first-run effects of the browser and the provider), not counted.
      for (const kind of kinds) await measure(browser, kind, profile.conditions);
      const times = { page: [], served: [], routed: [] };
      const anchors = [];
      for (let i = 0; i < RUNS; i++) {
        const order = i % 2 ? [...kinds].reverse() : kinds;
        for (const kind of order) {
          const { time, anchor } = await measure(browser, kind, profile.conditions);
          times[kind].push(time);
          if (kind === 'page') anchors.push(time / anchor);
        }
      }
      console.log(`${profile.name}`);
      console.log(`  page (direct sign-in)       ${fmt(times.page)}   runs: ${times.page.map((t) => t.toFixed(0)).join(' ')}`);
      console.log(`  floor, served by provider   ${fmt(times.served)}   runs: ${times.served.map((t) => t.toFixed(0)).join(' ')}`);
      console.log(`  floor, fulfilled by route   ${fmt(times.routed)}   runs: ${times.routed.map((t) => t.toFixed(0)).join(' ')}`);
      const ratio = median(times.page) / median(times.served);
      const ratioRouted = median(times.page) / median(times.routed);
      console.log(`  ratio page / served floor   ${ratio.toFixed(2)}  (target ≤ 1.3: ${ratio <= 1.3 ? 'met' : 'NOT met'})`);
      console.log(`  ratio page / routed floor   ${ratioRouted.toFixed(2)}  (optimistic: its document and script come from interception, not from the provider)`);
      const anchorRatio = median(anchors);
      console.log(`  ratio page / anchor floor   ${anchorRatio.toFixed(2)}  (anchor floor = document end + PUT + POST of the same load, as Logto's was measured; target ≤ 1.2: ${anchorRatio <= 1.2 ? 'met' : 'NOT met'})\n`);
    }
  } finally {
    await browser?.close();
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
