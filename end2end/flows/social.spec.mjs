// Social sign-in (docs/experience-api.md, Social sign-in) through the mock IdP of the reference provider: the button on
// /sign-in, the callback (`/callback/:connectorId` → `/callback/social/:id`), state checks, cancel, the in-app-browser
// fallback bundle, new users (register + username), and linking to an existing account found by email.
import { test, expect, recordApi, PUT_EXPERIENCE, createUser, expectScreenAnnounced } from '../fixtures.mjs';
import { axeViolations } from '../axe.mjs';
import {
  SOCIAL,
  AUTH_URI,
  VERIFY,
  uniqueEmail,
  recordDocuments,
  atIdp,
  chooseUsername,
  acceptTermsQuestion,
  expectSignedInAs,
  expectNotice,
  createSocialUser,
  openSignIn,
  accountToLink,
  toLinkQuestion,
} from './social-helpers.mjs';
import { codeSentBy, expectCodeScreen, freshUsername, registerByEmail, typeCode } from './identifier-helpers.mjs';

const NOT_CONFIRMED = "That sign-in couldn't be confirmed. Please start again.";
const CANCELLED = 'Sign-in with the provider was cancelled.';

function allowNewUserErrors(guard) {
  guard.allow(/status of 404/, 'identification answers 404 user.identity_not_exist for a new social identity; Chromium logs it');
  guard.allow(/status of 422/, 'identification answers 422 user.missing_profile (username) under flows.json; Chromium logs it');
}

/** /demo → /sign-in → "Continue with Mock Social" → mock IdP. */
async function viaSocialButton(page) {
  await openSignIn(page);
  const button = page.locator('a.button_social');
  await expect(button).toHaveText(/Continue with Mock Social/);
  await button.click();
  await page.waitForURL(/\/mock-idp\/authorize/);
}

/** The state the page sent with authorization-uri (as the provider received it). */
function sentState(api) {
  const call = api.calls.find((c) => c.key === AUTH_URI('social', SOCIAL.connectorId));
  expect(call, 'authorization-uri was called').toBeTruthy();
  return JSON.parse(call.body).state;
}

test('round trip, new user: social button → IdP → /continue/username → signed in; register calls sent', async ({ page, guard }) => {
  allowNewUserErrors(guard);
  const api = recordApi(page);
  const email = uniqueEmail('new');
  const name = 'Nova Newcomer';
  const username = `nova${Date.now()}`;

  await viaSocialButton(page);
  await atIdp(page, { email, name });
  // flows.json: ManualRegistrationOnly — the new account waits for the terms, asked on the callback screen.
  await expect(page.getByRole('dialog').getByRole('link', { name: /terms/i })).toBeVisible();
  expect(api.count('PUT /api/experience/interaction-event'), 'nothing registered before the answer').toBe(0);
  await acceptTermsQuestion(page);
  await chooseUsername(page, username);
  await expectSignedInAs(page, name, username);

  const keys = api.keys();
  expect(keys.slice(0, 3)).toEqual([PUT_EXPERIENCE, AUTH_URI('social', SOCIAL.connectorId), VERIFY('social', SOCIAL.connectorId)]);
  const verify = api.calls.find((c) => c.key === VERIFY('social', SOCIAL.connectorId));
  const verifyBody = JSON.parse(verify.body);
  expect(verifyBody.connectorData).toMatchObject({ code: expect.stringMatching(/^mock-code-/) });
  expect(verifyBody.verificationId).toEqual(expect.any(String));
  expect(keys, 'switched to registration').toContain('PUT /api/experience/interaction-event');
  const event = api.calls.find((c) => c.key === 'PUT /api/experience/interaction-event');
  expect(JSON.parse(event.body)).toEqual({ interactionEvent: 'Register' });
  const profile = api.calls.find((c) => c.key === 'POST /api/experience/profile');
  expect(JSON.parse(profile.body)).toEqual({ type: 'username', value: username });
  expect(keys.at(-1)).toBe('POST /api/experience/submit');
  for (const call of api.calls) expect((await call.headers)['logto-app-id'], call.key).toBe('demo-app');
});

test('round trip, returning user: social button → IdP → signed in without any extra step', async ({ page, browser, guard, baseURL }) => {
  const user = await createSocialUser({ browser, guard, baseURL });
  const api = recordApi(page);
  const { documents } = recordDocuments(page);

  await viaSocialButton(page);
  await atIdp(page, { email: user.email, name: user.name });
  await expectSignedInAs(page, user.name, user.username);

  expect(api.keys()).toEqual([
    PUT_EXPERIENCE,
    AUTH_URI('social', SOCIAL.connectorId),
    VERIFY('social', SOCIAL.connectorId),
    'POST /api/experience/identification',
    'POST /api/experience/submit',
  ]);
  const authAnswer = JSON.parse((await api.calls[1].response) ?? 'null');
  const verifyBody = JSON.parse(api.calls[2].body);
  if (authAnswer) expect(verifyBody.verificationId, 'verify uses the verification id of authorization-uri').toBe(authAnswer.verificationId);
  expect(verifyBody.connectorData.redirectUri).toBe(`${new URL(baseURL).origin}/callback/${SOCIAL.connectorId}`);
  expect(documents, 'the callback went through /callback/:connectorId').toContain(`/callback/${SOCIAL.connectorId}`);
  expect(documents).not.toContain('/continue/username');
});

test('state mismatch: a tampered state in the IdP redirect is rejected, back on /sign-in, no verify call', async ({ page }) => {
  const api = recordApi(page);
  await viaSocialButton(page);
  const state = sentState(api);

  // The IdP answers /mock-idp/approve with a redirect to /callback/…?code&state: swap the state.
  let tampered = null;
  await page.route('**/mock-idp/approve?**', async (route) => {
    const res = await route.fetch({ maxRedirects: 0 });
    const location = new URL(res.headers()['location'], route.request().url());
    expect(location.searchParams.get('state')).toBe(state);
    location.searchParams.set('state', `${state}x`);
    tampered = location.toString();
    await route.fulfill({ status: res.status(), headers: { ...res.headers(), location: tampered } });
  });
  await atIdp(page);
  expect(tampered, 'the IdP redirect was intercepted').toBeTruthy();

  await page.waitForURL(/\/sign-in(\?|$)/);
  await expectNotice(page, NOT_CONFIRMED);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  expect(api.keys().filter((k) => /\/verify$|identification|submit/.test(k)), 'never proceeded').toEqual([]);
});

test('new user declines the terms: back on /sign-in with a message, no account made', async ({ page, guard }) => {
  allowNewUserErrors(guard);
  const api = recordApi(page);
  await viaSocialButton(page);
  await atIdp(page, { email: uniqueEmail('decline'), name: 'Dee Clines' });
  await page.getByRole('dialog').getByRole('button', { name: /cancel/i }).click();
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expectNotice(page, 'Accept the terms to continue');
  expect(api.count('PUT /api/experience/interaction-event')).toBe(0);
});

test('IdP cancel: back on /sign-in with the cancel message', async ({ page }) => {
  const api = recordApi(page);
  await viaSocialButton(page);
  await atIdp(page, { action: 'cancel' });
  await page.waitForURL(/\/sign-in(\?|$)/);
  expect(new URL(page.url()).searchParams.get('app_id')).toBe('demo-app');
  await expectNotice(page, CANCELLED);
  await expect(page.locator('a.button_social')).toBeVisible();
  expect(api.count(VERIFY('social', SOCIAL.connectorId))).toBe(0);
});

test('in-app browser: sessionStorage lost before the callback → recovered from the localStorage fallback bundle', async ({
  page,
  browser,
  guard,
  baseURL,
}) => {
  const user = await createSocialUser({ browser, guard, baseURL });
  const api = recordApi(page);
  await page.goto(`/demo?direct_sign_in=social:${SOCIAL.target}`);
  await page.waitForURL(/\/mock-idp\/authorize/);
  const state = sentState(api);
  const authAnswer = JSON.parse((await api.calls.find((c) => c.key === AUTH_URI('social', SOCIAL.connectorId)).response) ?? 'null');

  // The IdP is same-origin here, so its storage is the page's.
  const before = await page.evaluate((s) => {
    const bundle = localStorage.getItem(`logto:redirect-context:fallback:${s}`);
    const session = sessionStorage.length;
    sessionStorage.clear();
    return { bundle, session, after: sessionStorage.length };
  }, state);
  expect(before.session, 'the page had stored state in sessionStorage').toBeGreaterThan(0);
  expect(before.after).toBe(0);
  expect(before.bundle, 'the fallback bundle is in localStorage').toBeTruthy();
  expect(JSON.parse(before.bundle)).toMatchObject({ state, connectorId: SOCIAL.connectorId, appId: 'demo-app' });

  await atIdp(page, { email: user.email, name: user.name });
  await expectSignedInAs(page, user.name, user.username);
  const verify = api.calls.find((c) => c.key === VERIFY('social', SOCIAL.connectorId));
  expect(verify, 'verify was sent').toBeTruthy();
  if (authAnswer) expect(JSON.parse(verify.body).verificationId).toBe(authAnswer.verificationId);
  const leftover = await page.evaluate((s) => localStorage.getItem(`logto:redirect-context:fallback:${s}`), state);
  expect(leftover, 'the bundle is consumed').toBeNull();
  // The bundle carries the app id (docs/experience-api.md, Social sign-in): the calls after the recovery must still
  // send it.
  const headers = await Promise.all(api.calls.map(async (c) => `${c.key}: ${(await c.headers)['logto-app-id'] ?? '(none)'}`));
  expect(headers.filter((h) => !h.endsWith(': demo-app')), 'every call after the recovery sends Logto-App-Id: demo-app').toEqual([]);
});

test('existing account by email: "Link your accounts?" → Link and continue → signed in to that account', async ({ page, request, guard }) => {
  guard.allow(/status of 404/, 'identification answers 404 user.identity_not_exist with relatedUser; Chromium logs it');
  const owner = await accountToLink(request, 'Lk', 'Link Owner');
  const api = recordApi(page);
  await toLinkQuestion(page, owner);
  await expectScreenAnnounced(page, 'Link your accounts?');
  await expect(page.locator('main')).toContainText(owner.primaryEmail);
  // The question has its own route (Logto's /social/link/:connectorId), so a reload keeps it.
  await page.reload();
  await expect(page.locator('h1')).toHaveText('Link your accounts?');
  const link = page.getByRole('button', { name: 'Link and continue' });
  await expect(link).toBeEnabled();

  expect((await axeViolations(page)).summary, 'axe on the link question').toEqual([]);

  await link.click();
  await expectSignedInAs(page, owner.name, owner.username);

  const identification = api.calls.find((c) => c.key === 'POST /api/experience/identification');
  const answer = JSON.parse((await identification.response) ?? 'null');
  if (answer) {
    expect(answer).toMatchObject({ code: 'user.identity_not_exist', data: { relatedUser: { type: 'email', value: owner.primaryEmail } } });
  }
  expect(api.keys().at(-1)).toBe('POST /api/experience/submit');
  test.info().annotations.push({ type: 'link calls', description: api.keys().join(' → ') });

  // Linked: the same identity now signs in to that account without the question.
  await page.context().clearCookies();
  await viaSocialButton(page);
  await atIdp(page, { email: owner.primaryEmail, name: 'Owner Social' });
  await expectSignedInAs(page, owner.name, owner.username);
});

test('existing account by email: "Create a new account instead" waits for the terms; giving that email then offers to link the identity to it (bind and continue)', async ({ page, request, guard }) => {
  guard.allow(/status of (404|422)/, 'user.identity_not_exist with relatedUser, then user.missing_profile for the new account; Chromium logs them');
  const owner = await registerByEmail(page, request);
  // A new visit: no cookies, and no terms accepted earlier in this tab (registration ticked the box).
  await page.context().clearCookies();
  await page.goto('/sign-in');
  await page.evaluate(() => sessionStorage.clear());
  const api = recordApi(page);
  await viaSocialButton(page);
  await atIdp(page, { email: owner.email, name: 'Separate Person' });
  await page.waitForURL(/\/social\/link\//);
  await page.getByRole('button', { name: /new account instead|separate account/i }).click();
  const terms = page.getByRole('dialog');
  await expect(terms.getByRole('heading', { level: 2 })).toHaveText(/terms/i);
  expect(api.count('PUT /api/experience/interaction-event'), 'nothing registered before the answer').toBe(0);
  await terms.getByRole('button', { name: /accept/i }).click();
  // A new account: the provider leaves the email to its owner and asks for one.
  await page.waitForURL(/\/continue\/email/);
  const event = api.calls.find((c) => c.key === 'PUT /api/experience/interaction-event');
  expect(JSON.parse(event.body)).toEqual({ interactionEvent: 'Register' });
  expect(api.calls.some((c) => c.key === 'POST /api/experience/identification' && JSON.parse(c.body).linkSocialIdentity)).toBe(false);

  // Giving the owner's email, proven by a code, offers "bind and continue": the identity joins that account.
  await page.locator('input[name=identifier]').fill(owner.email);
  const message = await codeSentBy(request, owner.email, () => page.locator('button[type=submit]').click());
  await expectCodeScreen(page, /continue/);
  await typeCode(page, message.code);
  const offer = page.getByRole('alertdialog');
  await expect(offer).toContainText(owner.email);
  await expect((await axeViolations(page)).summary, 'axe on the bind offer').toEqual([]);
  await offer.getByRole('button', { name: 'Link and continue' }).click();
  await expectSignedInAs(page, owner.name, owner.username);
  const keys = api.keys();
  expect(keys.slice(keys.lastIndexOf('PUT /api/experience/interaction-event'))).toEqual([
    'PUT /api/experience/interaction-event',
    'POST /api/experience/identification',
    'POST /api/experience/profile',
    'POST /api/experience/submit',
  ]);
  expect(JSON.parse(api.calls.findLast((c) => c.key === 'POST /api/experience/profile').body)).toMatchObject({ type: 'social' });

  // Next time the social sign-in goes straight to that account.
  await page.context().clearCookies();
  await viaSocialButton(page);
  await atIdp(page, { email: owner.email, name: 'Separate Person' });
  await expectSignedInAs(page, owner.name, owner.username);
});
