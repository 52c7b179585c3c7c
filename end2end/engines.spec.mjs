// Issue 3: the same page under each CSP profile. Runs in the `strict`, `logto` and `none` projects; the project's
// metadata says which profile its provider serves and which engine must run.
//   strict → wasm build; logto (Logto's production CSP, no 'wasm-unsafe-eval') → JS build, zero CSP violations;
//   none → works (wasm expected, since nothing forbids it).
import { test, expect, USERS, startSignIn, fillCredentials, expectSignedIn } from './fixtures.mjs';

const { alice } = USERS;

function watchAssets(page, onlyFromDocument = () => true) {
  const assets = [];
  page.on('request', (req) => {
    if (!onlyFromDocument(req.frame().url())) return;
    const url = new URL(req.url());
    if (url.pathname.startsWith('/assets/') || /\.(wasm|js|css)$/.test(url.pathname)) assets.push(url.pathname);
  });
  return assets;
}

test('password sign-in with the engine this CSP allows', async ({ page }, testInfo) => {
  const { csp, engine: expected } = testInfo.project.metadata;
  const assets = watchAssets(page);
  const heads = [];
  page.on('request', (req) => {
    if (req.method() === 'HEAD') heads.push(new URL(req.url()).pathname);
  });
  let landingCsp;
  page.on('response', (res) => {
    if (res.request().isNavigationRequest() && new URL(res.url()).pathname === '/sign-in') {
      landingCsp = res.headers()['content-security-policy'] ?? null;
    }
  });

  const f = await startSignIn(page);

  // The provider serves the profile this project is meant to test.
  if (csp === 'none') expect(landingCsp, 'no CSP header').toBeNull();
  else expect(landingCsp, 'a CSP header').toBeTruthy();
  if (csp === 'strict') expect(landingCsp).toContain("'wasm-unsafe-eval'");
  if (csp === 'logto') {
    expect(landingCsp).not.toContain("'wasm-unsafe-eval'");
    expect(landingCsp).not.toContain("'unsafe-eval'");
  }

  const engine = await page.locator('html').getAttribute('data-engine');
  testInfo.annotations.push({ type: 'engine', description: `${csp}: ${engine}` });
  expect(['wasm', 'js']).toContain(engine);
  if (expected) expect(engine).toBe(expected);
  const wasmFetched = assets.some((p) => p.endsWith('.wasm'));
  if (engine === 'wasm') expect(wasmFetched, 'the wasm engine fetched a .wasm module').toBe(true);
  if (engine === 'js') expect(wasmFetched, 'the JS engine did not download the .wasm module').toBe(false);

  expect(heads, 'the engine is chosen without a request of its own (the host\'s hint)').toEqual([]);
  const hintMeta = page.locator('meta[name="sign-in-engine"]');
  const hint = (await hintMeta.count()) ? await hintMeta.getAttribute('content') : null;
  expect(hint, 'the provider hints wasm exactly when its CSP allows it').toBe(csp === 'logto' ? null : 'wasm');

  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);
  // Zero CSP violations and console errors are asserted by the shared fixture at teardown.
});

// Not run under the Logto profile (playwright.config.mjs), whose engine is already the JS one.
test('?engine=js forces the JS build, which signs in too', async ({ page }) => {
  // Only what the forced document fetched (startSignIn lands once without the parameter first).
  const assets = watchAssets(page, (docUrl) => docUrl.includes('engine=js'));
  const f = await startSignIn(page, { query: 'engine=js' });
  await expect(page.locator('html')).toHaveAttribute('data-engine', 'js');
  expect(assets.some((p) => p.endsWith('.wasm')), 'no .wasm module fetched').toBe(false);
  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);
});
