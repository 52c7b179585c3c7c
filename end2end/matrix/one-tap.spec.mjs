// Google One Tap on (cells `one-tap`: strict CSP, wasm engine, the stand-in for Google's script an outside script the
// policy names; `one-tap-js`: Logto's CSP, JS engine, same-origin stand-in). The prompt is offered on /sign-in and
// /register with the tenant's settings, and only there; its credential comes back through /callback/:connectorId
// and signs a new person up (terms, username) and a returning one in; a credential whose CSRF cookie does not match
// is refused. An app that ran One Tap itself passes the credential on its sign-in request (external One Tap).
import { test, expect, recordApi, PUT_EXPERIENCE, POST_IDENTIFICATION, POST_SUBMIT } from '../fixtures.mjs';
import { BREAKAGES, allowBrokenAnswers, breakEachWay } from '../broken-answers.mjs';
import { expectNoAxeViolations } from '../axe.mjs';
import { VERIFY, chooseUsername, expectNotice, expectSignedInAs, uniqueEmail } from '../flows/social-helpers.mjs';
import { tenantSettings, resetProvider, acceptTermsQuestion, submitButton } from './helpers.mjs';

const NOT_CONFIRMED = "That sign-in couldn't be confirmed. Please start again.";

let oneTap;
test.beforeAll(async ({ request }) => {
  oneTap = (await tenantSettings(request)).googleOneTap;
  expect(oneTap.isEnabled).toBe(true);
});
test.beforeEach(async ({ request }) => {
  await resetProvider(request);
});

const prompt = (page) => page.getByRole('dialog', { name: /with Google$/ });

async function openSignIn(page) {
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
}

/** In the prompt: pick the account and continue (Google then posts the credential to the page). */
async function continueAs(page, email, name) {
  const dialog = prompt(page);
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Google account').fill(email);
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Continue' }).click();
}

function allowNewPersonErrors(guard) {
  guard.allow(/status of 404/, 'identification answers 404 user.identity_not_exist for a new Google identity');
  guard.allow(/status of 422/, 'identification answers 422 user.missing_profile (username) under flows.json');
}

/** A new person through One Tap: the terms (asked before an account is made), a username, signed in. */
async function signUpThroughOneTap(page, { email, name, username }) {
  await openSignIn(page);
  await continueAs(page, email, name);
  await acceptTermsQuestion(page);
  await chooseUsername(page, username);
  await expectSignedInAs(page, name, username);
}

test("sign-in and register offer the prompt with the tenant's settings; other screens take it away", async ({ page, baseURL }) => {
  const scripts = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url())));
  await openSignIn(page);
  await expect(prompt(page)).toHaveAccessibleName(`Sign in to ${new URL(baseURL).host} with Google`);
  const onload = page.locator('#g_id_onload');
  await expect(onload).toHaveAttribute('data-client_id', oneTap.clientId);
  await expect(onload).toHaveAttribute('data-login_uri', `${baseURL}/callback/${oneTap.connectorId}`);
  await expect(onload).toHaveAttribute('data-auto_select', 'false');
  await expect(onload).toHaveAttribute('data-cancel_on_tap_outside', 'true');
  await expect(onload).toHaveAttribute('data-itp_support', 'true');
  await expect(onload).toHaveAttribute('data-context', 'signin');
  const gsi = scripts.filter((url) => url.pathname === '/gsi/client');
  expect(gsi, "Google's script, once").toHaveLength(1);
  expect(gsi[0].searchParams.get('hl'), "in the page's language").toBe('en');
  // Strict CSP: from the provider's other loopback name, an outside script the policy names. Logto's: its own.
  const outside = gsi[0].origin !== new URL(baseURL).origin;
  expect(outside).toBe(test.info().project.name === 'one-tap');
  await expectNoAxeViolations(page, test.info(), 'sign-in-with-one-tap');

  await page.getByRole('link', { name: 'Create account' }).click();
  await page.waitForURL(/\/register/);
  await expect(page.locator('#g_id_onload')).toHaveAttribute('data-context', 'signup');
  await expect(prompt(page)).toHaveAccessibleName(/^Sign up to /);
  await expect(page.locator('#g_id_onload')).toHaveCount(1);
  // Closed by the person: gone, and the form still works.
  await prompt(page).getByRole('button', { name: 'Close' }).click();
  await expect(prompt(page)).toHaveCount(0);

  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL(/\/sign-in/);
  await expect(prompt(page)).toBeVisible();
  await page.locator('input[name=identifier]').fill('pat');
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in\/password/);
  await expect(page.locator('#g_id_onload'), 'the password step offers no One Tap').toHaveCount(0);
  await expect(prompt(page)).toHaveCount(0);
  await expect(page.locator('script[src*="/gsi/client"]')).toHaveCount(0);
});

test('a new person: One Tap → the terms → a username → signed in; the credential verified without a verification id', async ({ page, guard }) => {
  allowNewPersonErrors(guard);
  const api = recordApi(page);
  const person = { email: uniqueEmail('tap'), name: 'Tapio Newcomer', username: `tapio${Date.now()}` };
  await signUpThroughOneTap(page, person);

  const keys = api.keys();
  expect(keys.slice(0, 3)).toEqual([PUT_EXPERIENCE, VERIFY('social', oneTap.connectorId), POST_IDENTIFICATION]);
  expect(JSON.parse(api.calls[0].body)).toEqual({ interactionEvent: 'SignIn' });
  const verify = JSON.parse(api.calls[1].body);
  expect(verify, 'One Tap verifies without a verification id').not.toHaveProperty('verificationId');
  expect(verify.connectorData).toMatchObject({
    credential: expect.stringMatching(/^stand-in-credential\./),
    g_csrf_token: expect.stringMatching(/^[0-9a-f]{32}$/),
  });
  const event = api.calls.find((c) => c.key === 'PUT /api/experience/interaction-event');
  expect(JSON.parse(event.body)).toEqual({ interactionEvent: 'Register' });
  expect(keys.at(-1)).toBe(POST_SUBMIT);
});

test('a returning person: One Tap signs in with no other step', async ({ page, browser, guard, baseURL }) => {
  allowNewPersonErrors(guard);
  const person = { email: uniqueEmail('back'), name: 'Bea Returning', username: `bea${Date.now()}` };
  await signUpThroughOneTap(page, person);

  const context = await browser.newContext({ baseURL });
  const again = await context.newPage();
  const api = recordApi(again);
  await openSignIn(again);
  await continueAs(again, person.email, person.name);
  await expectSignedInAs(again, person.name, person.username);
  expect(api.keys()).toEqual([PUT_EXPERIENCE, VERIFY('social', oneTap.connectorId), POST_IDENTIFICATION, POST_SUBMIT]);
  await context.close();
});

test('a credential whose CSRF cookie does not match is refused: back on sign-in with a message, nothing verified', async ({ page, baseURL }) => {
  const api = recordApi(page);
  await openSignIn(page);
  // Google's cookie is replaced between its post and the page that checks it.
  await page.route(`**/callback/${oneTap.connectorId}*`, async (route) => {
    if (route.request().method() === 'POST') {
      await page.context().addCookies([{ name: 'g_csrf_token', value: 'tampered', url: baseURL }]);
    }
    await route.continue();
  });
  await continueAs(page, uniqueEmail('csrf'), 'Mallory');
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expectNotice(page, NOT_CONFIRMED);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  expect(api.count(VERIFY('social', oneTap.connectorId)), 'nothing sent to verify').toBe(0);
});

/** Google's answer to `email` picking an account in an app's own One Tap (the stand-in issues it). */
async function credentialFor(request, email, name) {
  const res = await request.post('/one-tap-stand-in/credential', { data: { clientId: oneTap.clientId, email, name } });
  expect(res.ok()).toBe(true);
  return (await res.json()).credential;
}

const LANDING_COOKIE = '_logto_google_one_tap_credential';

test("external One Tap: the app's credential on its sign-in request signs a returning person in, no prompt, no round trip to Google", async ({ page, browser, request, guard, baseURL }) => {
  allowNewPersonErrors(guard);
  const person = { email: uniqueEmail('ext'), name: 'Eli External', username: `eli${Date.now()}` };
  await signUpThroughOneTap(page, person);

  const context = await browser.newContext({ baseURL });
  const again = await context.newPage();
  const api = recordApi(again);
  const credential = await credentialFor(request, person.email, person.name);
  await again.goto(`/demo?google_one_tap_credential=${encodeURIComponent(credential)}`);
  await expectSignedInAs(again, person.name, person.username);

  const keys = api.keys();
  expect(keys.filter((k) => k.includes('authorization-uri')), 'no round trip to Google').toEqual([]);
  expect(keys.slice(-3)).toEqual([VERIFY('social', oneTap.connectorId), POST_IDENTIFICATION, POST_SUBMIT]);
  const verify = JSON.parse(api.calls.find((c) => c.key === VERIFY('social', oneTap.connectorId)).body);
  expect(verify, 'verified without a verification id').not.toHaveProperty('verificationId');
  expect(verify.connectorData.credential, "the app's credential, from the landing's cookie").toBe(credential);
  expect(verify.connectorData).not.toHaveProperty('g_csrf_token');
  expect((await context.cookies()).map((c) => c.name), 'the landing cookie is used once').not.toContain(LANDING_COOKIE);
  await context.close();
});

test('external One Tap: a credential Google never issued is refused: back on sign-in with a message', async ({ page, guard }) => {
  guard.allow(/status of 401/, 'verify refuses the forged credential (401 connector.invalid_auth_code)');
  await page.goto('/demo?google_one_tap_credential=forged.credential');
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expectNotice(page, 'The sign-in provider did not accept that authorization code.');
  await expect(page.locator('input[name=identifier]')).toBeEditable();
});

test('a Google connector with One Tap off: no prompt, and nothing of Google is loaded', async ({ page }) => {
  await openSignIn(page);
  // The same tenant, its boot data saying One Tap is off (on a second visit: a redirect's answer cannot be replaced).
  await page.route(/\/sign-in(\?|$)/, async (route) => {
    const response = await route.fetch();
    const on = /("googleOneTap":\{[^}]*"isEnabled":)true/;
    const html = await response.text();
    expect(html).toMatch(on);
    await route.fulfill({ response, body: html.replace(on, '$1false') });
  });
  const signIn = page.url();
  // Nothing of the first visit (One Tap on) may still be loading when the second starts.
  await page.goto('about:blank');
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto(signIn);
  await expect(page.getByRole('link', { name: 'Continue with Google' })).toBeVisible();
  // The social group, which reads googleOneTap, comes with the other groups once the page is idle.
  await expect.poll(() => requested.some((path) => path.startsWith('/assets/split-social-'))).toBe(true);
  await page.waitForLoadState('networkidle');
  expect(requested.filter((path) => path.startsWith('/gsi/')), "Google's script").toEqual([]);
  await expect(page.locator('#g_id_onload')).toHaveCount(0);
  await expect(prompt(page)).toHaveCount(0);
});

// One Tap's settings, on a visit the server did not render for (ui_locales), come from a second settings call of their
// own. Every breakage of that call (end2end/broken-answers.mjs) leaves the page working without the prompt; the next
// visit with an answer has it.
test("One Tap's settings out of reach (a visit booted without SSR): every broken answer leaves sign-in working, without the prompt", async ({ page, guard }) => {
  allowBrokenAnswers(guard);
  await openSignIn(page);
  const landing = new URL(page.url());
  landing.searchParams.set('ui_locales', 'en');
  let breakage = null;
  let calls = 0;
  let broken = 0;
  await page.route((url) => url.pathname === '/api/.well-known/sign-in-exp', (route) => {
    calls += 1;
    // The boot's own call goes through; One Tap's (the second of each visit) is broken.
    if (!breakage || calls % 2 === 1) return route.fallback();
    broken += 1;
    if (breakage.abort) return route.abort(breakage.abort);
    if (breakage.stall) return undefined; // never answered: the page must not wait for it
    return route.fulfill(breakage.answer);
  });
  for (const b of BREAKAGES) {
    breakage = b;
    calls = 0;
    const before = broken;
    await page.goto('about:blank');
    await page.goto(landing.toString());
    await expect(page.locator('input[name=identifier]'), b.name).toBeEditable();
    await expect.poll(() => broken, `${b.name}: One Tap's settings call was made`).toBe(before + 1);
    await expect(page.getByRole('link', { name: 'Continue with Google' }), b.name).toBeVisible();
    await expect(page.locator('#g_id_onload'), b.name).toHaveCount(0);
    await expect(prompt(page), b.name).toHaveCount(0);
  }
  breakage = null;
  await page.goto(landing.toString());
  await expect(prompt(page), 'with an answer, the prompt').toBeVisible();
  await page.locator('input[name=identifier]').fill('pat');
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in\/password/);
});

// Broken answers after the credential (#14; end2end/broken-answers.mjs): the callback starts a sign-in, verifies the
// credential, identifies and submits; each of these calls gets every breakage in turn. The callback then says what
// went wrong with "Try again" (the credential is kept: the provider never saw the broken call), and the retry signs the
// returning person in; after the verification, from the call that failed (the credential is verified once).
const EA = '/api/experience';
const ONE_TAP_CALLS = [
  { name: 'PUT experience', call: () => ({ method: 'PUT', path: EA, reads: false }) },
  { name: 'verification', call: () => ({ method: 'POST', path: `${EA}/verification/social/${oneTap.connectorId}/verify`, reads: true }) },
  { name: 'identification', call: () => ({ method: 'POST', path: `${EA}/identification`, reads: false }), afterVerification: true },
  { name: 'submit', call: () => ({ method: 'POST', path: `${EA}/submit`, reads: true }), afterVerification: true },
];

for (const { name, call: callOf, afterVerification } of ONE_TAP_CALLS) {
  test(`after the One Tap credential, ${name}: every broken answer shows a message, and "Try again" signs in`, async ({
    page,
    browser,
    guard,
    baseURL,
  }) => {
    allowBrokenAnswers(guard);
    allowNewPersonErrors(guard);
    const call = callOf();
    const person = { email: uniqueEmail('tapbrk'), name: 'Tess Broken', username: `tess${Date.now()}` };
    // The person signs up in a context of their own, so this page's sign-in is a returning person's.
    const context = await browser.newContext({ baseURL, locale: 'en-US' });
    try {
      const first = await context.newPage();
      await guard.watch(first);
      await signUpThroughOneTap(first, person);
    } finally {
      await context.close();
    }

    await page.clock.install();
    const api = recordApi(page);
    await openSignIn(page);
    const retry = page.getByRole('button', { name: 'Try again' });
    await breakEachWay(page, call, {
      attempt: (i) => (i === 0 ? continueAs(page, person.email, person.name) : retry.click()),
      ready: () => expect(retry).toBeEnabled(),
      kept: () => expect(page).toHaveURL(/\/callback\//),
    });
    await retry.click();
    await expectSignedInAs(page, person.name, person.username);
    if (afterVerification) expect(api.count(VERIFY('social', oneTap.connectorId)), 'the credential was verified once').toBe(1);
  });
}
