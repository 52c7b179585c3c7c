#!/usr/bin/env node
// Benchmark of the sign-in page's first screen (not a test). Same method as the measurements of Logto 1.42's
// own page, so the two can be compared:
//
//  * headless Debian Chromium, every load cold: fresh browser context, CDP `Network.setCacheDisabled`;
//  * P0 = no throttling; P1 = CDP `Network.emulateNetworkConditions` latency 100 ms, 9 Mbit/s down, 1.5 Mbit/s up,
//    plus `Emulation.setCPUThrottlingRate` 4;
//  * every load starts with a real `/demo` → `/oidc/auth` → `/sign-in?app_id=demo-app` redirect (the provider's session
//    guard needs an interaction); times are measured from the start of the `/sign-in` document fetch;
//  * bytes = sum of CDP `Network.loadingFinished.encodedDataLength` of every request from the `/sign-in` document on,
//    until the network is quiet after the form is ready (the redirect hops before it are not counted), except the
//    lazy screens' chunks, which the page prefetches when idle after the form is ready: reported in their own column;
//    "of which bodies" leaves out the response headers, as the anchor's figure for Logto's page does: the goals and
//    ratios use it;
//  * form ready = `input[name=identifier]` visible and enabled (MutationObserver + rAF poll in the page);
//  * FCP from the paint timeline;
//  * both engines: the strict CSP profile (wasm) and Logto's production CSP profile (JS build);
//  * conditions and engines scheduled round-robin so that noise on a shared machine spreads evenly;
//    medians and [min..max], never single runs.
//
// Usage: node end2end/bench.mjs [--runs 7] [--conditions P0,P1] [--engines wasm,js] [--json out.json] [--verbose]
//        npm run bench -- --runs 11
// Needs a built dist/ (`cargo xtask build`). Starts its own providers on ports 3941 (strict) and 3942 (logto);
// override with BENCH_PORT_STRICT / BENCH_PORT_LOGTO.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { CONDITIONS, median } from './bench-common.mjs';
import {
  LAZY_ASSET,
  chromiumArgs,
  chromiumPath,
  distIndex,
  providerArgs,
  providerLauncher,
  readinessUrl,
  repoRoot,
} from './provider.mjs';

// ---------------------------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const opts = { runs: Number(process.env.BENCH_RUNS || 7), conditions: ['P0', 'P1'], engines: ['wasm', 'js'], json: null, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--runs' || a === '-n') opts.runs = Number(next());
    else if (a === '--conditions') opts.conditions = next().split(',');
    else if (a === '--engines') opts.engines = next().split(',');
    else if (a === '--json') opts.json = next();
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs must be a positive integer');
  return opts;
}


const ENGINES = {
  wasm: { engine: 'wasm', csp: 'strict', port: Number(process.env.BENCH_PORT_STRICT || 3941) },
  js: { engine: 'js', csp: 'logto', port: Number(process.env.BENCH_PORT_LOGTO || 3942) },
};

// Logto 1.42's own page, as measured for the anchor: `bytes` are encoded response bodies (no headers), so the goals
// compare them with our bodies (the "of which bodies" column).
const LOGTO = {
  bytes: 420_482,
  formReady: { P0: 1_177, P1: 3_494 },
  fcp: { P0: 1_253, P1: 3_589 },
};
// Per engine, against Logto's page: first-screen bytes and form ready on P1 (issue 12), FCP on P1.
const GOALS = {
  wasm: { bytes: 1 / 3, formReadyP1: 0.35, fcpP1: 0.5 },
  js: { bytes: 1 / 2, formReadyP1: 0.45, fcpP1: 0.5 },
};
const share = (x) => (x === 1 / 3 ? '1/3' : x === 1 / 2 ? 'half' : `${x}×`);

// ---------------------------------------------------------------------------------------------------------------
// Providers

const children = [];

function stopProviders() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM'); // its own process group: cargo and the provider it runs
      } catch {
        /* already gone */
      }
    }
  }
}
process.on('exit', stopProviders);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopProviders();
    process.exit(130);
  });
}

async function isUp(port) {
  try {
    const res = await fetch(readinessUrl(port), { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function startProvider({ port, csp }) {
  if (await isUp(port)) {
    if (process.env.BENCH_REUSE) {
      console.error(`bench: reusing the server already on port ${port} (BENCH_REUSE is set)`);
      return;
    }
    throw new Error(`port ${port} is already serving; stop that server, pick other ports (BENCH_PORT_*) or set BENCH_REUSE=1`);
  }
  const { argv, how } = providerLauncher();
  const args = providerArgs({ port, csp });
  console.error(`bench: starting provider (${csp} CSP) on 127.0.0.1:${port} via ${how}`);
  const child = spawn(argv[0], [...argv.slice(1), ...args], { cwd: repoRoot, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const deadline = Date.now() + 600_000; // `cargo run` may compile first
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`provider (${csp}) exited with ${child.exitCode}:\n${stderr}`);
    if (await isUp(port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`provider (${csp}) did not answer ${readinessUrl(port)} within 10 minutes:\n${stderr}`);
}

// ---------------------------------------------------------------------------------------------------------------
// One cold load

// Runs in every document before its scripts: reports when the form is ready (visible + enabled identifier).
const FORM_READY_SCRIPT = () => {
  if (location.pathname !== '/sign-in') return;
  let done = false;
  const ready = () => {
    const el = document.querySelector('input[name=identifier]');
    if (!el || el.disabled) return false;
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const check = () => {
    if (done || !ready()) return;
    done = true;
    const t = performance.now();
    observer.disconnect();
    window.__benchFormReady({ t, engine: document.documentElement.dataset.engine || null });
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  const poll = () => {
    check();
    if (!done) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
};

async function oneLoad(browser, engineSpec, cond, verbose) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    let resolveReady;
    const formReady = new Promise((r) => (resolveReady = r));
    await page.exposeBinding('__benchFormReady', (_src, data) => resolveReady(data));
    await page.addInitScript(FORM_READY_SCRIPT);

    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (cond.throttle) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: cond.latency,
        downloadThroughput: cond.down,
        uploadThroughput: cond.up,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cond.cpu });
    }

    const requests = new Map();
    let docStart = null; // CDP monotonic seconds
    let docTiming = null;
    let lastActivity = Date.now();
    let inFlight = 0;
    cdp.on('Network.requestWillBeSent', (e) => {
      lastActivity = Date.now();
      const url = new URL(e.request.url);
      if (docStart === null && e.type === 'Document' && url.pathname === '/sign-in') docStart = e.timestamp;
      const previous = requests.get(e.requestId);
      if (previous && !previous.done) inFlight -= 1; // a redirect hop reuses the id
      requests.set(e.requestId, {
        url: e.request.url,
        method: e.request.method,
        type: e.type,
        start: e.timestamp,
        counted: docStart !== null && /^https?:/.test(e.request.url),
        bytes: 0,
        headerBytes: 0,
        done: false,
      });
      inFlight += 1;
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = requests.get(e.requestId);
      if (!r) return;
      r.status = e.response.status;
      r.headerBytes = e.response.encodedDataLength || 0;
      r.encoding = e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || '';
      if (e.type === 'Document' && new URL(e.response.url).pathname === '/sign-in') docTiming = e.response.timing;
    });
    cdp.on('Network.loadingFinished', (e) => {
      lastActivity = Date.now();
      const r = requests.get(e.requestId);
      if (!r || r.done) return;
      r.bytes = e.encodedDataLength;
      r.done = true;
      inFlight -= 1;
    });
    cdp.on('Network.loadingFailed', (e) => {
      lastActivity = Date.now();
      const r = requests.get(e.requestId);
      if (!r || r.done) return;
      r.failed = e.errorText;
      r.done = true;
      inFlight -= 1;
    });

    const base = `http://127.0.0.1:${engineSpec.port}`;
    await page.goto(`${base}/demo`, { waitUntil: 'commit', timeout: 60_000 });
    const ready = await Promise.race([
      formReady,
      new Promise((_, reject) => setTimeout(() => reject(new Error('form not ready within 90 s')), 90_000)),
    ]);
    if (new URL(page.url()).pathname !== '/sign-in') throw new Error(`landed on ${page.url()}, not /sign-in`);

    // FCP and navigation timing of the /sign-in document, in its own clock (ms since its time origin).
    let timing;
    for (let i = 0; i < 100; i++) {
      timing = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {
          fetchStart: nav?.fetchStart ?? 0,
          redirectEnd: nav?.redirectEnd ?? 0,
          responseEnd: nav?.responseEnd ?? 0,
          fcp: fcp ? fcp.startTime : null,
        };
      });
      if (timing.fcp !== null) break;
      await page.waitForTimeout(50);
    }
    // Let the network settle (late assets, favicon probe), then count.
    const settleDeadline = Date.now() + 10_000;
    while (Date.now() < settleDeadline && (inFlight > 0 || Date.now() - lastActivity < 500)) {
      await new Promise((r) => setTimeout(r, 100));
    }

    // The /sign-in fetch start in the page clock is the navigation entry's fetchStart (after the redirect hops).
    // Cross-check against the CDP clock: the document's responseReceived timing.requestTime is the same instant
    // on the CDP monotonic clock as requestWillBeSent's timestamp.
    const start = timing.fetchStart;
    // The lazy screens' chunks and stylesheet, fetched when the browser is idle after the form is ready, are not the
    // first screen's.
    const isLazy = (r) => LAZY_ASSET.test(new URL(r.url).pathname);
    const chunks = [...requests.values()].filter((r) => r.counted && isLazy(r));
    const counted = [...requests.values()].filter((r) => r.counted && !isLazy(r));
    const result = {
      condition: cond.name,
      engine: engineSpec.engine,
      engineSeen: ready.engine,
      bytes: counted.reduce((s, r) => s + (r.bytes || 0), 0),
      bodyBytes: counted.reduce((s, r) => s + Math.max(0, (r.bytes || 0) - (r.headerBytes || 0)), 0),
      requests: counted.length,
      prefetchedBytes: chunks.reduce((s, r) => s + (r.bytes || 0), 0),
      wasmFetched: counted.some((r) => new URL(r.url).pathname.endsWith('.wasm')),
      formReady: ready.t - start,
      fcp: timing.fcp === null ? null : timing.fcp - start,
      clockSkewMs: docStart !== null && docTiming ? Math.round((docTiming.requestTime - docStart) * 1000) : null,
      failed: counted.filter((r) => r.failed).map((r) => `${r.method} ${r.url} (${r.type}) ${r.failed}`),
      files: verbose
        ? counted.map((r) => ({ method: r.method, url: new URL(r.url).pathname, type: r.type, status: r.status ?? '---', bytes: r.bytes, encoding: r.encoding ?? '', failed: r.failed }))
        : undefined,
    };
    return result;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const cell = (xs, unit = '') => {
  const v = xs.filter((x) => x !== null && Number.isFinite(x));
  if (!v.length) return 'n/a';
  return `${fmtInt(median(v))}${unit} [${fmtInt(Math.min(...v))}..${fmtInt(Math.max(...v))}]`;
};
const ratio = (ours, theirs) => (ours / theirs).toFixed(2) + '×';

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r, j) => {
      const line = '| ' + r.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
      return j === 0 ? line + '\n|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|' : line;
    })
    .join('\n');
}

function report(results, opts) {
  const rows = [['engine (CSP)', 'cond', 'loads', 'bytes (encodedDataLength)', 'of which bodies', 'requests', 'form ready ms', 'FCP ms', 'later screens, prefetched']];
  const ratios = [['engine', 'body bytes / Logto', 'form ready / Logto (P0)', 'form ready / Logto (P1)', 'FCP / Logto (P0)', 'FCP / Logto (P1)']];
  const goals = [];
  for (const engine of opts.engines) {
    const med = {};
    for (const cond of opts.conditions) {
      const rs = results.filter((r) => r.engine === engine && r.condition === cond && !r.error);
      if (!rs.length) continue;
      med[cond] = {
        bytes: median(rs.map((r) => r.bytes)),
        bodyBytes: median(rs.map((r) => r.bodyBytes)),
        formReady: median(rs.map((r) => r.formReady)),
        fcp: median(rs.filter((r) => r.fcp !== null).map((r) => r.fcp)),
      };
      rows.push([
        `${engine} (${ENGINES[engine].csp})`,
        cond,
        rs.length,
        cell(rs.map((r) => r.bytes)),
        cell(rs.map((r) => r.bodyBytes)),
        cell(rs.map((r) => r.requests)),
        cell(rs.map((r) => r.formReady)),
        cell(rs.map((r) => r.fcp)),
        cell(rs.map((r) => r.prefetchedBytes)),
      ]);
    }
    const anyBytes = med.P0?.bodyBytes ?? med.P1?.bodyBytes;
    ratios.push([
      engine,
      anyBytes !== undefined ? ratio(anyBytes, LOGTO.bytes) : 'n/a',
      med.P0 ? ratio(med.P0.formReady, LOGTO.formReady.P0) : 'n/a',
      med.P1 ? ratio(med.P1.formReady, LOGTO.formReady.P1) : 'n/a',
      med.P0 && Number.isFinite(med.P0.fcp) ? ratio(med.P0.fcp, LOGTO.fcp.P0) : 'n/a',
      med.P1 && Number.isFinite(med.P1.fcp) ? ratio(med.P1.fcp, LOGTO.fcp.P1) : 'n/a',
    ]);
    const ok = (b) => (b ? 'met' : 'NOT met');
    const goal = GOALS[engine];
    if (anyBytes !== undefined) {
      goals.push(`${engine}: first-screen body bytes ≤ ${share(goal.bytes)} of Logto's (${fmtInt(LOGTO.bytes * goal.bytes)} B): ${ok(anyBytes / LOGTO.bytes <= goal.bytes)}`);
    }
    if (med.P1) {
      goals.push(`${engine}: form ready on P1 ≤ ${share(goal.formReadyP1)} of Logto's: ${ok(med.P1.formReady / LOGTO.formReady.P1 <= goal.formReadyP1)}`);
      if (Number.isFinite(med.P1.fcp)) goals.push(`${engine}: FCP on P1 ≤ ${share(goal.fcpP1)} of Logto's: ${ok(med.P1.fcp / LOGTO.fcp.P1 <= goal.fcpP1)}`);
    }
  }
  console.log(`\nSign-in first screen, ${opts.runs} cold loads per cell, medians [min..max] (headless ${chromiumPath})\n`);
  console.log(table(rows));
  console.log(`\nAgainst Logto 1.42's page (bytes ${fmtInt(LOGTO.bytes)}; form ready P0 ${fmtInt(LOGTO.formReady.P0)} ms, P1 ${fmtInt(LOGTO.formReady.P1)} ms; FCP P0 ${fmtInt(LOGTO.fcp.P0)} ms, P1 ${fmtInt(LOGTO.fcp.P1)} ms):\n`);
  console.log(table(ratios));
  console.log('\nGoals: ' + (goals.length ? '\n  ' + goals.join('\n  ') : 'n/a'));
  const mismatched = results.filter((r) => !r.error && r.engineSeen !== r.engine);
  if (mismatched.length) console.log(`\nWARNING: ${mismatched.length} load(s) ran another engine than expected: ${[...new Set(mismatched.map((r) => `${r.engine}→${r.engineSeen}`))].join(', ')}`);
  const failedAssets = results.filter((r) => r.failed?.length);
  if (failedAssets.length) console.log(`\nWARNING: failed requests during loads: ${[...new Set(failedAssets.flatMap((r) => r.failed))].join('; ')}`);
  const errors = results.filter((r) => r.error);
  if (errors.length) console.log(`\nERRORS in ${errors.length} load(s):\n  ${[...new Set(errors.map((r) => `${r.engine}/${r.condition}: ${r.error}`))].join('\n  ')}`);
  const skews = results.map((r) => r.clockSkewMs).filter((x) => x !== null);
  if (skews.length) console.log(`\n(clock check: /sign-in requestWillBeSent vs its timing.requestTime, median ${median(skews)} ms)`);
  return errors.length;
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(distIndex)) {
    throw new Error(`dist/index.html is missing (${distIndex}); run \`cargo xtask build\` first`);
  }
  for (const e of opts.engines) if (!ENGINES[e]) throw new Error(`unknown engine ${e}`);
  for (const c of opts.conditions) if (!CONDITIONS[c]) throw new Error(`unknown condition ${c}`);

  for (const e of opts.engines) await startProvider(ENGINES[e]);
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  const results = [];
  try {
    // Warm-up load per engine (not recorded): first-run costs of the provider and the browser binary.
    for (const e of opts.engines) await oneLoad(browser, ENGINES[e], CONDITIONS.P0, false).catch(() => {});
    const total = opts.runs * opts.conditions.length * opts.engines.length;
    let n = 0;
    for (let run = 0; run < opts.runs; run++) {
      for (const c of opts.conditions) {
        for (const e of opts.engines) {
          n += 1;
          let r;
          try {
            r = await oneLoad(browser, ENGINES[e], CONDITIONS[c], opts.verbose);
          } catch (err) {
            r = { condition: c, engine: e, error: String(err?.message ?? err).split('\n')[0] };
          }
          results.push(r);
          const line = r.error
            ? `error: ${r.error}`
            : `${fmtInt(r.bytes)} B, ${r.requests} req, form ready ${fmtInt(r.formReady)} ms, FCP ${r.fcp === null ? 'n/a' : fmtInt(r.fcp)} ms, engine ${r.engineSeen}`;
          console.error(`bench: [${String(n).padStart(String(total).length)}/${total}] ${e} ${c}: ${line}`);
          if (opts.verbose && r.files) for (const f of r.files) console.error(`         ${f.method.padEnd(4)} ${f.status} ${String(f.bytes).padStart(8)} ${f.encoding.padEnd(4)} ${f.url} [${f.type}]${f.failed ? ` FAILED ${f.failed}` : ''}`);
        }
      }
    }
  } finally {
    await browser.close();
    stopProviders();
  }
  const errors = report(results, opts);
  if (opts.json) {
    fs.writeFileSync(opts.json, JSON.stringify({ logto: LOGTO, runs: opts.runs, results }, null, 2));
    console.log(`\nraw results: ${opts.json}`);
  }
  process.exitCode = errors ? 1 : 0;
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  stopProviders();
  process.exit(1);
});
