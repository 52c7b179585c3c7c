// Direct sign-in (`direct_sign_in=social:<target>` / `sso:<connectorId>`; docs/experience-api.md, Direct sign-in): the
// browser goes from the OIDC request straight to the identity provider. No sign-in form is ever drawn, the app's engine
// is never downloaded, and the provider receives exactly the two calls. Unknown targets fall back with a notice.
import { test, expect } from '../fixtures.mjs';
import { recordApi, PUT_EXPERIENCE } from '../fixtures.mjs';
import {
  SOCIAL,
  SSO,
  AUTH_URI,
  VERIFY,
  installFormProbe,
  formProbe,
  recordDocuments,
  atIdp,
  expectSignedInAs,
  expectNotice,
  createSocialUser,
} from './social-helpers.mjs';

const UNKNOWN_TARGET = "That sign-in option isn't available here. Choose another way to sign in.";

test('direct social: /demo → /direct/social/mock-social → mock IdP with no form and no engine; two calls; returning user signed in', async ({
  page,
  browser,
  guard,
  baseURL,
}) => {
  const user = await createSocialUser({ browser, guard, baseURL });

  await installFormProbe(page);
  const api = recordApi(page);
  const { documents, engines } = recordDocuments(page);

  await page.goto(`/demo?direct_sign_in=social:${SOCIAL.target}`);
  await page.waitForURL(/\/mock-idp\/authorize/);

  // The route the browser took: the OIDC request, the direct path, then the IdP; no sign-in screen in between.
  expect(documents).toEqual(['/demo', '/oidc/auth', `/direct/social/${SOCIAL.target}`, '/mock-idp/authorize']);
  const probe = await formProbe(page);
  expect(probe.docs, 'the form probe watched the /direct/ document').toContain(`/direct/social/${SOCIAL.target}`);
  expect(probe.forms, 'no form and no identifier input ever appeared before the IdP').toEqual([]);
  expect(engines, 'the app engine (.wasm / .wasm.js) is not downloaded on the direct path').toEqual([]);

  // Exactly the two calls, with what Logto's page sends.
  expect(api.keys()).toEqual([PUT_EXPERIENCE, AUTH_URI('social', SOCIAL.connectorId)]);
  const [put, auth] = api.calls;
  expect(JSON.parse(put.body)).toEqual({ interactionEvent: 'SignIn' });
  const body = JSON.parse(auth.body);
  expect(Object.keys(body).sort()).toEqual(['redirectUri', 'state']);
  expect(body.redirectUri).toBe(`${new URL(baseURL).origin}/callback/${SOCIAL.connectorId}`);
  expect(body.state, 'state: ≥ 8 random bytes, base64url').toMatch(/^[A-Za-z0-9_-]{11,}$/);
  for (const call of api.calls) {
    const headers = await call.headers;
    expect(headers['logto-app-id'], `${call.key} sends Logto-App-Id`).toBe('demo-app');
    expect(headers['content-type'] ?? '', `${call.key} content type`).toMatch(/application\/json/);
  }
  // The IdP got the same state and redirect URI.
  const idp = new URL(page.url());
  expect(idp.searchParams.get('state')).toBe(body.state);
  expect(idp.searchParams.get('redirect_uri')).toBe(body.redirectUri);

  // A returning user: approve at the IdP and land on the client.
  await atIdp(page, { email: user.email, name: user.name });
  await expectSignedInAs(page, user.name, user.username);
  expect(api.count(VERIFY('social', SOCIAL.connectorId))).toBe(1);
  expect(api.count(AUTH_URI('social', SOCIAL.connectorId)), 'no second authorization-uri call').toBe(1);
  expect(api.count(PUT_EXPERIENCE), 'no second PUT /api/experience').toBe(1);
});

test('direct SSO: /demo?direct_sign_in=sso:acme-sso-connector → mock IdP with no form', async ({ page, baseURL }) => {
  await installFormProbe(page);
  const api = recordApi(page);
  const { documents, engines } = recordDocuments(page);

  await page.goto(`/demo?direct_sign_in=sso:${SSO.connectorId}`);
  await page.waitForURL(/\/mock-idp\/authorize/);
  await expect(page.locator('#connector-name')).toHaveText(SSO.name);

  expect(documents).toEqual(['/demo', '/oidc/auth', `/direct/sso/${SSO.connectorId}`, '/mock-idp/authorize']);
  const probe = await formProbe(page);
  expect(probe.docs).toContain(`/direct/sso/${SSO.connectorId}`);
  expect(probe.forms, 'no form and no identifier input ever appeared before the IdP').toEqual([]);
  expect(engines, 'the app engine is not downloaded on the direct path').toEqual([]);

  expect(api.keys()).toEqual([PUT_EXPERIENCE, AUTH_URI('sso', SSO.connectorId)]);
  const body = JSON.parse(api.calls[1].body);
  expect(body).toEqual({ state: expect.stringMatching(/^[A-Za-z0-9_-]{11,}$/), redirectUri: `${new URL(baseURL).origin}/callback/${SSO.connectorId}` });
  for (const call of api.calls) expect((await call.headers)['logto-app-id']).toBe('demo-app');
  expect(new URL(page.url()).searchParams.get('state')).toBe(body.state);
});

test('direct sign-in to an unknown target falls back to /sign-in with a notice', async ({ page }) => {
  await installFormProbe(page);
  const api = recordApi(page);
  const { documents } = recordDocuments(page);

  await page.goto('/demo?direct_sign_in=social:no-such-target');
  await page.waitForURL(/\/sign-in\?/);
  expect(new URL(page.url()).searchParams.get('app_id'), 'app_id is kept').toBe('demo-app');
  await expectNotice(page, UNKNOWN_TARGET);
  // A usable sign-in screen, not a dead end.
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  await expect(page.locator('a.button_social')).toBeVisible();

  expect(documents.slice(0, 4)).toEqual(['/demo', '/oidc/auth', '/direct/social/no-such-target', '/sign-in']);
  expect(api.keys().filter((k) => k.includes('authorization-uri')), 'no authorization-uri call').toEqual([]);
  expect(page.url()).not.toContain('/mock-idp/');
  // The probe works (it sees the sign-in form), and the /direct/ document itself never drew one.
  const probe = await formProbe(page);
  expect(probe.forms.some((f) => f.path === '/sign-in'), 'the form probe sees the /sign-in form').toBe(true);
  expect(probe.forms.filter((f) => f.path.startsWith('/direct/')), 'no form on the /direct/ document').toEqual([]);
});

test('direct sign-in to an unknown target with first_screen=register falls back to /register', async ({ page }) => {
  const { documents } = recordDocuments(page);
  await page.goto('/demo?direct_sign_in=sso:no-such-connector&first_screen=register');
  await page.waitForURL(/\/register\?/);
  expect(documents).toContain('/direct/sso/no-such-connector');
  expect(new URL(page.url()).searchParams.get('app_id')).toBe('demo-app');
  await expectNotice(page, UNKNOWN_TARGET);
  await expect(page.locator('form input[name=identifier]')).toBeEditable();
});

test('a direct sign-in whose fallback names another site falls back to our own /sign-in (no open redirect)', async ({ page, baseURL }) => {
  // The interaction's cookie comes from /demo; the hostile `fallback` is only in the /direct/ URL.
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in/);
  for (const fallback of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
    await page.goto(`/direct/social/no-such-target?fallback=${encodeURIComponent(fallback)}`);
    await page.waitForURL(/\/sign-in(\?|$)/);
    expect(new URL(page.url()).origin, fallback).toBe(new URL(baseURL).origin);
    await expectNotice(page, UNKNOWN_TARGET);
  }
});

test('the inline copy in index.html starts direct sign-in without the loader; without it, the loader does', async ({ page, guard }) => {
  guard.allow(/loader-[^/]+\.js/, 'the loader is refused on purpose; Chromium logs the failed load');
  // The loader never arrives: the inline script alone reaches the IdP.
  await page.route(/\/assets\/loader-[^/]+\.js$/, (route) => route.abort());
  await page.goto(`/demo?direct_sign_in=sso:${SSO.connectorId}`);
  await page.waitForURL(/\/mock-idp\/authorize/);
  await expect(page.locator('#connector-name')).toHaveText(SSO.name);
  await page.unroute(/\/assets\/loader-[^/]+\.js$/);

  // A host whose CSP refuses the inline script (here: a page without it): the loader takes the same path.
  await page.route(/\/direct\/sso\//, async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace(/<script>[^<]*<\/script>/, '');
    await route.fulfill({ response: res, body: html });
  });
  await page.goto(`/demo?direct_sign_in=sso:${SSO.connectorId}`);
  await page.waitForURL(/\/mock-idp\/authorize/);
  await expect(page.locator('#connector-name')).toHaveText(SSO.name);
});
