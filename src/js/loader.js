// Boot loader: picks the engine (WebAssembly, or the wasm2js translation for CSPs without 'wasm-unsafe-eval'),
// starts the app, or shows #boot-error. This file is the page's only <script src>; its one inline script is the
// direct sign-in fast path (direct-inline.js).
// `cargo xtask build` bundles it and minifies it with esbuild, which replaces the __UPPER__ identifiers below by
// literals (--define): the hashed /assets/ URLs, the wasm's import modules and the chunk manifest.
//
// Order: ?engine=js|wasm (testing aid) → <meta name="sign-in-engine" content="js|wasm">, which the host adds when
// its Content-Security-Policy allows WebAssembly → the JS engine. The CSP itself is a response header a script cannot
// read without another request, which would cost a round trip before the first byte of the engine: the host says.
/* global __GLUE_URL__, __WASM_URL__, __WASM_JS_URL__, __GLUE_MODULE__, __CHUNK_MODULE__, __CHUNKS__, __DIRECT_URL__ */
import { chunkLoaders } from './chunks.js';

const root = document.documentElement;

const isEngine = (v) => v === 'js' || v === 'wasm';

// Paint the provider's theme before the engine loads (docs/experience-api.md, Branding and custom content; Logto does
// it with an inline script, which our CSP forbids): `data-theme` and the main brand tone, from the SSR block.
// src/theme.rs stays the source of the full set (every tone, on-brand text, favicon, live updates) and overwrites both
// before the first screen renders. A dark theme without darkPrimaryColor needs colour maths, so it is left to theme.rs.
try {
  const text = (document.getElementById('logto-ssr')?.textContent || '').trim();
  const json = text.startsWith('Object.freeze(') ? text.slice('Object.freeze('.length, -1) : text;
  const color = JSON.parse(json)?.signInExperience?.data?.color;
  if (color) {
    const dark = !!color.isDarkModeEnabled && matchMedia('(prefers-color-scheme: dark)').matches;
    const brand = dark ? color.darkPrimaryColor : color.primaryColor;
    root.dataset.theme = dark ? 'dark' : 'light';
    if (/^#([\da-f]{3}){1,2}$/i.test(brand || '')) root.style.setProperty('--color-brand-default', brand);
  }
} catch {
  // No SSR data (placeholder left in place) or unreadable: theme.rs does it all.
}

function pickEngine() {
  const forced = new URLSearchParams(location.search).get('engine');
  if (isEngine(forced)) return forced;
  if (typeof WebAssembly !== 'object') return 'js';
  const hint = document.querySelector('meta[name="sign-in-engine"]');
  return hint && isEngine(hint.content) ? hint.content : 'js';
}

async function instantiateWasm(res, imports) {
  if (!res.ok) throw new Error('GET ' + res.url + ': ' + res.status);
  const streaming = (res.headers.get('content-type') || '').startsWith('application/wasm');
  const { instance } = streaming
    ? await WebAssembly.instantiateStreaming(res, imports)
    : await WebAssembly.instantiate(await res.arrayBuffer(), imports);
  return instance.exports;
}

const wasmChunk = async (url, imports) => instantiateWasm(await fetch(url, { credentials: 'same-origin' }), imports);

// The JS engine's modules (wasm2js) each export their instantiation: called with the imports, it returns the exports.
// Chunks also get the main module's `onMemoryGrow`, to follow its memory when it grows, and its i64 high-bits register.
function startJsEngine(module, glue) {
  let exports;
  const chunk = async (url, imports) =>
    (await import(url)).default({ ...imports, __w2j: { onMemoryGrow: module.onMemoryGrow, i64High: module.i64High } });
  const chunks = chunkLoaders(__CHUNKS__, 'js', () => exports, chunk);
  exports = module.default({ [__GLUE_MODULE__]: glue, [__CHUNK_MODULE__]: chunks });
  return exports;
}

async function boot() {
  let engine = pickEngine();
  // The engine downloads alongside the glue: the choice needs no request. (Handlers attached now, so that a failure
  // is not reported as unhandled before it is awaited below.)
  const wasmResponse = engine === 'wasm' ? fetch(__WASM_URL__, { credentials: 'same-origin' }) : null;
  const jsEngine = engine === 'js' ? import(__WASM_JS_URL__) : null;
  for (const pending of [wasmResponse, jsEngine]) pending?.catch(() => {});
  const glue = await import(__GLUE_URL__);
  let exports;
  if (engine === 'wasm') {
    try {
      const chunks = chunkLoaders(__CHUNKS__, 'wasm', () => exports, wasmChunk);
      exports = await instantiateWasm(await wasmResponse, { [__GLUE_MODULE__]: glue, [__CHUNK_MODULE__]: chunks });
    } catch (e) {
      console.warn('WebAssembly engine failed, using the JS engine', e);
      engine = 'js';
    }
  }
  if (!exports) exports = startJsEngine(await (jsEngine ?? import(__WASM_JS_URL__)), glue);
  glue.__wbg_set_wasm(exports);
  root.dataset.engine = engine;
  exports.__wbindgen_start();
}

function failed(e) {
  console.error('The sign-in page failed to start', e);
  root.dataset.engine = root.dataset.engine || 'none';
  const box = document.getElementById('boot-error');
  if (box) box.hidden = false;
}

// A direct sign-in URL (/direct/…) forwards to the identity provider without starting an engine. The inline copy in
// index.html (direct-inline.js) has normally started it already; a CSP that refused that copy leaves it to this
// module, fetched only then.
async function start() {
  if (root.dataset.direct === 'started') return;
  if (location.pathname.startsWith('/direct/')) {
    try {
      if ((await import(__DIRECT_URL__)).directSignIn()) return;
    } catch (e) {
      console.warn('Direct sign-in failed, starting the page', e);
    }
  }
  await boot();
}
start().catch(failed);
