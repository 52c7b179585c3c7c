// The identifier, code, registration, reset, missing-profile, social, SSO and direct sign-in flows under each cell
// of the settings matrix built on flows.json (terms policy Manual in both engines, ManualRegistrationOnly,
// Automatic; sign-in mode SignIn). Each test reads the tenant's settings and asserts what they mean for a person:
// where the terms checkbox stands and what it holds back, where a callback asks the terms as a question, and
// whether a new account can be made at all. Every test starts from the users file (POST /admin/reset): this file is
// the only one its cell's provider serves.
import { test, expect, recordApi } from '../fixtures.mjs';
import {
  PAT,
  ERIN,
  ALICE,
  codeSentBy,
  expectCodeScreen,
  typeCode,
  expectSignedInAs,
  startDemo,
  freshEmail,
  freshUsername,
  showPasswordScreen,
  waitForUrlOrError,
  allowMissingProfile,
} from '../flows/identifier-helpers.mjs';
import { SOCIAL, SSO, uniqueEmail, recordDocuments, atIdp, chooseUsername, expectNotice, openSignIn } from '../flows/social-helpers.mjs';
import { tenantSettings, resetProvider, termsAsked, passTerms, acceptTermsQuestion, submitButton } from './helpers.mjs';

const NOT_REGISTERED = "No account uses that sign-in yet, and this application doesn't allow new accounts.";

let settings;
test.beforeAll(async ({ request }) => {
  settings = await tenantSettings(request);
});
test.beforeEach(async ({ request }) => {
  await resetProvider(request);
});

const canRegister = () => settings.signInMode !== 'SignIn';

/** /demo → /sign-in, the identifier typed and the terms passed; the identifier's next screen is the test's. */
async function enterIdentifier(page, value) {
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(value);
  await passTerms(page, settings, 'sign-in', () => submitButton(page).click());
  await submitButton(page).click();
}

/** The password form's account name for password managers: a hidden text input holding the identifier. */
async function expectAccountName(page, formClass, value) {
  const account = page.locator(`form.${formClass} input[autocomplete="username"]`);
  await expect(account).toHaveValue(value);
  await expect(account).toHaveAttribute('type', 'text');
  await expect(account).toHaveAttribute('aria-hidden', 'true');
  await expect(account).toHaveAttribute('tabindex', '-1');
}

test('password: identifier → /sign-in/password (a wrong password marks the field) → signed in', async ({ page, guard }) => {
  guard.allow(/status of 422/, 'a wrong password on purpose (session.invalid_credentials); Chromium logs it');
  await enterIdentifier(page, PAT.username);
  await page.waitForURL(/\/sign-in\/password/);
  await expect(page.locator('main')).toContainText(`Enter the password for ${PAT.username}`);
  await expectAccountName(page, 'signIn_form', PAT.username);
  const password = page.locator('input[name=password]');
  await password.fill(`${PAT.password}-wrong`);
  await submitButton(page).click();
  const message = page.locator('form .form_error[role=alert]');
  await expect(message).toBeVisible();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAttribute('aria-describedby', await message.getAttribute('id'));
  await expect(password).toBeFocused();
  await password.fill(PAT.password);
  await expect(password).not.toHaveAttribute('aria-invalid', /./);
  await expect(password).not.toHaveAttribute('aria-describedby', /./);
  await submitButton(page).click();
  await expectSignedInAs(page, PAT);
});

test('terms: a submit the terms hold back moves focus to the checkbox (sign-in and register)', async ({ page }) => {
  const onSignIn = termsAsked(settings, 'sign-in');
  const onRegister = termsAsked(settings, 'register') && canRegister();
  // Cells where no screen asks for the terms leave this test out (playwright.config.mjs, `without`).
  expect(onSignIn || onRegister, `a terms checkbox under ${settings.agreeToTermsPolicy}`).toBe(true);
  const box = page.locator('input[name=terms]');
  const identifier = page.locator('input[name=identifier]');
  if (onSignIn) {
    // The checkbox stands after the identifier form on /sign-in.
    await startDemo(page, '', /\/sign-in/);
    await identifier.fill(PAT.username);
    await identifier.press('Enter');
    await expect(page.locator('#terms-error')).toBeVisible();
    await expect(box).toBeFocused();
  }
  if (onRegister) {
    await startDemo(page, 'first_screen=register', /\/register/);
    await identifier.fill(freshEmail('mxf'));
    await identifier.press('Enter');
    await expect(page.locator('#terms-error')).toBeVisible();
    await expect(box).toBeFocused();
    // A wrong identifier is the first thing to fix: it gets the focus, ahead of the checkbox.
    await identifier.fill('not an address');
    await submitButton(page).click();
    await expect(identifier).toHaveAttribute('aria-invalid', 'true');
    await expect(identifier).toBeFocused();
  }
  expect(page.url(), 'still on the screen').toMatch(onRegister ? /\/register/ : /\/sign-in/);
});

test('phone code: identifier → code → signed in', async ({ page, request }) => {
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(PAT.phone);
  await passTerms(page, settings, 'sign-in', () => submitButton(page).click());
  await codeSentBy(request, PAT.phone, () => submitButton(page).click()).then(async (message) => {
    await expectCodeScreen(page, /sign-in/);
    await typeCode(page, message.code);
  });
  await expectSignedInAs(page, PAT);
});

test('register by email: code → username → password → signed in (or no registration in SignIn mode)', async ({ page, request, guard }) => {
  allowMissingProfile(guard); // also the 422 password.rejected provoked below
  if (!canRegister()) {
    await startDemo(page, '', /\/sign-in/);
    await expect(page.getByRole('link', { name: 'Create account' })).toHaveCount(0);
    await page.goto('/register');
    await page.waitForURL(/\/sign-in(\?|$)/);
    return;
  }
  const email = freshEmail('mx');
  const username = freshUsername();
  const password = 'Nw7-Passw0rd!kq';
  await startDemo(page, 'first_screen=register', /\/register/);
  await expect(page).toHaveTitle('Create your account');
  // An email-only field is an email field (the phone keyboard shows @), as on every screen.
  await expect(page.locator('input[name=identifier]')).toHaveAttribute('type', 'email');
  await page.locator('input[name=identifier]').fill(email);
  await passTerms(page, settings, 'register', () => submitButton(page).click());
  const message = await codeSentBy(request, email, () => submitButton(page).click());
  await expectCodeScreen(page, /register/);
  await typeCode(page, message.code);
  await waitForUrlOrError(page, /\/continue\/username/);
  await page.locator('input[name=identifier]').fill(username);
  await submitButton(page).click();
  await waitForUrlOrError(page, /\/continue\/password|\/register\/password/);
  await showPasswordScreen(page);
  // The new password is saved under the address the registration started with.
  await expectAccountName(page, 'setPassword_form', email);
  // The page checks only what Logto's page checks (length, kinds of characters); the rest is the provider's word,
  // phrased as Logto phrases that family ("relies too much on …").
  const api = recordApi(page);
  await page.locator('input[name=newPassword]').fill('123456aA');
  await page.locator('input[name=confirmPassword]').fill('123456aA');
  await submitButton(page).click();
  await expect(page.getByText('This password relies too much on runs like abc, 123 or qwerty.', { exact: false })).toBeVisible();
  const rejected = api.calls.find((c) => c.key === 'POST /api/experience/profile');
  expect(rejected, 'sent to the provider, not refused on the page').toBeTruthy();
  expect(JSON.parse((await rejected.response) ?? '{}')).toMatchObject({
    code: 'password.rejected',
    data: [{ code: 'password_rejected.restricted.sequence' }],
  });
  await page.locator('input[name=newPassword]').fill(password);
  await page.locator('input[name=confirmPassword]').fill(password);
  await submitButton(page).click();
  await expectSignedInAs(page, { name: username, username });
});

test('forgot password: from the password screen → code → new password → sign in with it', async ({ page, request, guard }) => {
  guard.allow(/status of 422/, 'submit answers 422 user.new_password_required once the code is verified; Chromium logs it');
  const newPassword = 'Rs9-Passw0rd!mz';
  await enterIdentifier(page, ERIN.email);
  await page.waitForURL(/\/sign-in\/password/);
  await page.getByRole('link', { name: /forgot/i }).click();
  await page.waitForURL(/\/forgot-password(\?|$)/);
  const identifier = page.locator('input[name=identifier]');
  await expect(identifier).toHaveValue(ERIN.email);
  const message = await codeSentBy(request, ERIN.email, () => submitButton(page).click());
  await expectCodeScreen(page, /forgot-password/);
  await typeCode(page, message.code);
  await waitForUrlOrError(page, /\/forgot-password\/reset/);
  await expectAccountName(page, 'setPassword_form', ERIN.email);
  await page.locator('input[name=newPassword]').fill(newPassword);
  await page.locator('input[name=confirmPassword]').fill(newPassword);
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expect(page.locator('.notice_region')).toContainText(/changed/i);

  // Back on /sign-in: the terms accepted earlier in this visit stay accepted.
  await page.locator('input[name=identifier]').fill(ERIN.email);
  if (termsAsked(settings, 'sign-in')) await expect(page.locator('input[name=terms]')).toBeChecked();
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in\/password/);
  await page.locator('input[name=password]').fill(newPassword);
  await submitButton(page).click();
  await expectSignedInAs(page, { name: ERIN.name, username: ERIN.username });
});

test('missing profile: alice (no email) → password → /continue/email → code → signed in', async ({ page, request, guard }) => {
  allowMissingProfile(guard);
  const api = recordApi(page);
  await enterIdentifier(page, ALICE.username);
  await page.waitForURL(/\/sign-in\/password/);
  await page.locator('input[name=password]').fill(ALICE.password);
  await submitButton(page).click();
  await waitForUrlOrError(page, /\/continue\/email/);
  const email = freshEmail('alice');
  await page.locator('input[name=identifier]').fill(email);
  const message = await codeSentBy(request, email, () => submitButton(page).click());
  await expectCodeScreen(page, /continue/);
  await typeCode(page, message.code);
  await expectSignedInAs(page, ALICE);
  expect(JSON.parse(api.calls.find((c) => c.key === 'POST /api/experience/profile').body)).toMatchObject({ type: 'email' });
});

test('social: the button waits for the terms where the policy says so; a new account, then the same person again', async ({ page, guard }) => {
  guard.allow(/status of 404/, 'identification answers 404 user.identity_not_exist for a new social identity; Chromium logs it');
  guard.allow(/status of 422/, 'identification answers 422 user.missing_profile (username); Chromium logs it');
  const email = uniqueEmail('mxs');
  const name = 'Matrix Social';
  const username = freshUsername('Sx');
  await openSignIn(page);
  const button = page.locator('a.button_social');
  await passTerms(page, settings, 'sign-in', () => button.click());
  await button.click();
  await atIdp(page, { email, name });
  if (!canRegister()) {
    await page.waitForURL(/\/sign-in(\?|$)/);
    await expectNotice(page, NOT_REGISTERED);
    return;
  }
  // A callback has no box: the terms come as a question before the account is made, unless already accepted.
  if (termsAsked(settings, 'register') && !termsAsked(settings, 'sign-in')) await acceptTermsQuestion(page);
  await chooseUsername(page, username);
  await expectSignedInAs(page, { name, username });

  await page.context().clearCookies();
  await openSignIn(page);
  if (termsAsked(settings, 'sign-in')) await expect(page.locator('input[name=terms]')).toBeChecked();
  await page.locator('a.button_social').click();
  await atIdp(page, { email, name });
  await expectSignedInAs(page, { name, username });
});

test('single sign-on: the link waits for the terms where the policy says so; work email → IdP → signed in', async ({ page, guard }) => {
  guard.allow(/status of 404/, 'identification answers 404 user.sso_identity_not_exist for a new SSO identity; Chromium logs it');
  await openSignIn(page);
  const link = page.locator('a.signIn_singleSignOn');
  await passTerms(page, settings, 'sign-in', () => link.click());
  await link.click();
  await page.waitForURL(/\/single-sign-on\/email(\?|$)/);
  await page.locator('input[name=identifier]').fill(`someone@${SSO.domain}`);
  await submitButton(page).click();
  await atIdp(page, { email: uniqueEmail('mxo', SSO.domain), name: 'Acme Matrix', connector: SSO.name });
  if (!canRegister()) {
    await page.waitForURL(/\/sign-in(\?|$)/);
    await expectNotice(page, NOT_REGISTERED);
    return;
  }
  if (termsAsked(settings, 'register') && !termsAsked(settings, 'sign-in')) await acceptTermsQuestion(page);
  await page.waitForURL(/\/demo\/callback/, { timeout: 30_000 });
  await expect(page.locator('body')).toContainText('Signed in as Acme Matrix');
});

test('direct sign-in: straight to the IdP whatever the terms policy; the terms come before a new account', async ({ page, guard }) => {
  guard.allow(/status of 404/, 'identification answers 404 user.identity_not_exist for a new social identity; Chromium logs it');
  guard.allow(/status of 422/, 'identification answers 422 user.missing_profile (username); Chromium logs it');
  const { documents } = recordDocuments(page);
  await page.goto(`/demo?direct_sign_in=social:${SOCIAL.target}`);
  await page.waitForURL(/\/mock-idp\/authorize/);
  expect(documents, 'no sign-in screen before the IdP').toEqual(['/demo', '/oidc/auth', `/direct/social/${SOCIAL.target}`, '/mock-idp/authorize']);
  const name = 'Direct Matrix';
  const username = freshUsername('Dx');
  await atIdp(page, { email: uniqueEmail('mxd'), name });
  if (!canRegister()) {
    await page.waitForURL(/\/sign-in(\?|$)/);
    await expectNotice(page, NOT_REGISTERED);
    return;
  }
  // Nothing was accepted on the way in: any policy that wants the terms for a new account asks now.
  if (termsAsked(settings, 'register')) await acceptTermsQuestion(page);
  await chooseUsername(page, username);
  await expectSignedInAs(page, { name, username });
});
