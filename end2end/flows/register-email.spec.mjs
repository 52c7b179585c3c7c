// Registration by email with a code, username as the secondary identifier, then a password; terms
// ManualRegistrationOnly (a checkbox on /register). Provider: flows.json.
import { test, expect, recordApi, expectReadable, createUser } from '../fixtures.mjs';
import {
  codeSentBy,
  expectCodeScreen,
  typeCode,
  expectSignedInAs,
  callbackClaims,
  startDemo,
  freshEmail,
  freshUsername,
  waitForUrlOrError,
  showPasswordScreen,
  allowMissingProfile,
} from './identifier-helpers.mjs';

const submitButton = (page) => page.locator('button[name=submit][type=submit]');

/** An account with an email, made for one test: codes sent to a seeded address (erin's) by tests running side by side
 * would be taken for each other's. */
const existingAccount = (request) =>
  createUser(request, { username: freshUsername('Ex'), name: 'Existing Person', primaryEmail: freshEmail('exist'), password: 'Ex7-Passw0rd!kq' });

async function openRegister(page) {
  await startDemo(page, 'first_screen=register', /\/register/);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  await expect(page.locator('input[name=terms]')).toBeVisible();
}

test('register by email: terms required, code, username, password policy (client and provider), signed in', async ({ page, request, guard }) => {
  guard.allow(/status of 422/, 'missing_profile at identification, and password.rejected on purpose; Chromium logs them');
  const api = recordApi(page);
  const email = freshEmail('reg');
  const username = freshUsername();
  const password = 'Nw7-Passw0rd!kq';
  await openRegister(page);

  // Terms unchecked → a message tied to the checkbox, nothing sent.
  await page.locator('input[name=identifier]').fill(email);
  await submitButton(page).click();
  const termsError = page.locator('#terms-error');
  await expect(termsError).toBeVisible();
  expectReadable((await termsError.innerText()).trim(), 'terms message');
  await expect(termsError).toHaveText(/terms/i);
  await expect(page.locator('input[name=terms]')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('input[name=terms]')).toHaveAttribute('aria-describedby', 'terms-error');
  await expect(page).toHaveURL(/\/register(\?|$)/);
  expect(api.calls, 'no API call while the terms are not accepted').toHaveLength(0);

  // The terms and privacy links are there, next to (not inside) the label.
  await expect(page.getByRole('link', { name: /terms/i })).toHaveAttribute('href', 'https://example.com/terms');
  await expect(page.getByRole('link', { name: /privacy/i })).toHaveAttribute('href', 'https://example.com/privacy');

  await page.locator('input[name=terms]').check();
  await expect(termsError).toHaveCount(0);
  const message = await codeSentBy(request, email, () => submitButton(page).click());
  expect(message).toMatchObject({ type: 'email', template: 'Register' });
  await expectCodeScreen(page, /register/);
  await expect(page.locator('main')).toContainText(email);
  await typeCode(page, message.code);

  // Username is the secondary identifier: the provider asks for it (user.missing_profile).
  await waitForUrlOrError(page, /\/continue\/username/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.locator('input[name=identifier]').fill(username);
  await submitButton(page).click();

  await waitForUrlOrError(page, /\/(continue|register)\/password/);
  const newPassword = page.locator('input[name=newPassword]');
  const confirm = page.locator('input[name=confirmPassword]');
  // BUG (reported): the URL becomes /continue/password but the username screen stays; a reload shows the form.
  const appeared = await showPasswordScreen(page);
  expect.soft(appeared, '/continue/username → /continue/password draws the password form without a reload').toBe(true);
  await expect(newPassword).toBeEditable();
  await expect(newPassword).toHaveAttribute('autocomplete', 'new-password');
  // The requirements from passwordPolicy (flows.json: Logto's default minimum of 8).
  const hintId = (await newPassword.getAttribute('aria-describedby'))?.split(/\s+/).find(Boolean);
  const hint = page.locator('main').getByText(/at least 8 characters/i);
  await expect(hint, 'the password requirements are shown').toBeVisible();
  const hintText = (await hint.innerText()).trim();
  test.info().annotations.push({ type: 'requirements hint', description: hintText });
  expect(hintText, 'no raw interpolation left in the hint').not.toMatch(/\{\{|\}\}|, list/);
  expect(hintId, 'the new-password field is described (hint or error)').toBeTruthy();

  // Too short: refused client-side with the policy's words, nothing sent.
  const profileCalls = () => api.calls.filter((c) => c.key === 'POST /api/experience/profile').length;
  const before = profileCalls();
  await newPassword.fill('Ab1!');
  await confirm.fill('Ab1!');
  await submitButton(page).click();
  const newPasswordError = page.locator('p.field_error').filter({ visible: true, hasText: /\S/ }).first();
  await expect(newPasswordError).toBeVisible();
  await expect(newPasswordError).toHaveText(/at least 8 characters/i);
  await expect(newPassword).toHaveAttribute('aria-invalid', 'true');
  expect(profileCalls(), 'a too-short password is not sent').toBe(before);

  // Only the provider knows the password is made of the username (userInfo rule): its items are shown.
  const weak = `${username}!`;
  await newPassword.fill(weak);
  await confirm.fill(weak);
  await submitButton(page).click();
  await expect
    .poll(() => api.calls.filter((c) => c.key === 'POST /api/experience/profile' && c.status === 422).length, {
      message: 'the provider refused the password',
    })
    .toBe(1);
  const rejected = api.calls.find((c) => c.key === 'POST /api/experience/profile' && c.status === 422);
  const body = JSON.parse(await rejected.response);
  expect(body.code).toBe('password.rejected');
  expect(JSON.stringify(body.data)).toContain('restricted.user_info');
  const shown = page.locator('p.field_error, [role=alert]').filter({ visible: true, hasText: /\S/ }).first();
  await expect(shown).toBeVisible();
  const shownText = (await shown.innerText()).trim();
  test.info().annotations.push({ type: 'password.rejected shown as', description: shownText });
  expectReadable(shownText, 'password.rejected message');
  await expect(shown).toHaveText(/name|email|username/i);
  await expect(page).toHaveURL(/\/(continue|register)\/password/);

  // Mismatch: refused client-side.
  await newPassword.fill(password);
  await confirm.fill(`${password}x`);
  await submitButton(page).click();
  await expect(page.locator('#confirmPassword-error, p.field_error').filter({ hasText: /different|match/i }).first()).toBeVisible();
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');

  await confirm.fill(password);
  await submitButton(page).click();
  await expectSignedInAs(page, { name: username, username });
  const claims = await callbackClaims(page);
  expect(claims.username).toBe(username);
  if ('email' in claims) expect(claims.email).toBe(email);

  // What the provider received, in order.
  const keys = api.keys();
  expect(keys.slice(0, 3)).toEqual([
    'PUT /api/experience',
    'POST /api/experience/verification/verification-code',
    'POST /api/experience/verification/verification-code/verify',
  ]);
  expect(JSON.parse(api.calls[0].body)).toEqual({ interactionEvent: 'Register' });
  expect(JSON.parse(api.calls[1].body)).toEqual({ identifier: { type: 'email', value: email }, interactionEvent: 'Register' });
  const profiles = api.calls.filter((c) => c.key === 'POST /api/experience/profile').map((c) => JSON.parse(c.body));
  expect(profiles).toContainEqual({ type: 'username', value: username });
  expect(profiles).toContainEqual({ type: 'password', value: password });
  expect(profiles.some((p) => p.type === 'password' && p.value === 'Ab1!'), 'the too-short password never left the page').toBe(false);
  expect(keys.at(-1)).toBe('POST /api/experience/submit');

  // The new account signs in with its password.
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(username);
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in\/password/);
  await page.locator('input[name=password]').fill(password);
  await submitButton(page).click();
  await expectSignedInAs(page, { name: username, username });
});

test('keyboard only: sign-up completed with Tab, typing, Space and Enter', async ({ page, request, guard }) => {
  allowMissingProfile(guard);
  const email = freshEmail('kb');
  const username = freshUsername('Kb');
  const password = 'Kb7-Passw0rd!zq';
  await openRegister(page);
  const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.tagName);
  const tabTo = async (name, max = 8) => {
    for (let i = 0; i < max && (await focusedName()) !== name; i += 1) await page.keyboard.press('Tab');
    expect(await focusedName(), `Tab reaches ${name}`).toBe(name);
  };

  await tabTo('identifier');
  await page.keyboard.type(email);
  await tabTo('terms');
  await page.keyboard.press('Space');
  await expect(page.locator('input[name=terms]')).toBeChecked();
  const message = await codeSentBy(request, email, () => page.keyboard.press('Enter'));
  await expectCodeScreen(page, /register/);
  // The first box should have the focus on arrival (Logto focuses it); Tab reaches it anyway.
  expect.soft(await focusedName(), 'focus on the first code box on arrival').toBe('passcode_0');
  await tabTo('passcode_0');
  await page.keyboard.type(message.code, { delay: 30 });

  await waitForUrlOrError(page, /\/continue\/username/);
  expect.soft(await focusedName(), 'focus on the username field on arrival').toBe('identifier');
  await tabTo('identifier');
  await page.keyboard.type(username);
  await page.keyboard.press('Enter');

  await waitForUrlOrError(page, /\/(continue|register)\/password/);
  // BUG (reported): the password form needs a reload (F5 is a key too).
  const appeared = await showPasswordScreen(page);
  expect.soft(appeared, '/continue/username → /continue/password draws the password form without a reload').toBe(true);
  await tabTo('newPassword');
  await page.keyboard.type(password);
  await tabTo('confirmPassword');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await expectSignedInAs(page, { name: username, username });
});

test('existing email at registration → "sign in instead?" → Confirm → signed in to that account', async ({ page, request, guard }) => {
  guard.allow(/status of (409|422|400)/, 'the provider answers user.email_already_in_use; Chromium logs it');
  const existing = await existingAccount(request);
  const api = recordApi(page);
  await openRegister(page);
  await page.locator('input[name=identifier]').fill(existing.primaryEmail);
  await page.locator('input[name=terms]').check();
  const message = await codeSentBy(request, existing.primaryEmail, () => submitButton(page).click());
  await expectCodeScreen(page, /register/);
  await typeCode(page, message.code);

  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(existing.primaryEmail);
  await expect(dialog).toContainText(/sign in/i);
  const failed = api.calls.find((c) => c.status >= 400);
  expect(JSON.parse((await failed.response) ?? '{}').code).toBe('user.email_already_in_use');
  // The question takes the focus (its Confirm button is marked autofocus).
  await expect.soft(dialog.getByRole('button', { name: /confirm/i }), 'focus moves to the question').toBeFocused({ timeout: 2_000 });
  await dialog.getByRole('button', { name: /confirm/i }).click();
  await expectSignedInAs(page, existing);
  const switchCall = api.calls.find((c) => c.key === 'PUT /api/experience/interaction-event');
  expect(switchCall, 'the interaction switched to SignIn').toBeTruthy();
  expect(JSON.parse(switchCall.body)).toEqual({ interactionEvent: 'SignIn' });
  expect(api.count('POST /api/experience/verification/verification-code'), 'no second code').toBe(1);
});

test('existing email at registration → Cancel keeps the person on the code screen', async ({ page, request, guard }) => {
  guard.allow(/status of (409|422|400)/, 'the provider answers user.email_already_in_use; Chromium logs it');
  const existing = await existingAccount(request);
  await openRegister(page);
  await page.locator('input[name=identifier]').fill(existing.primaryEmail);
  await page.locator('input[name=terms]').check();
  const message = await codeSentBy(request, existing.primaryEmail, () => submitButton(page).click());
  await expectCodeScreen(page, /register/);
  await typeCode(page, message.code);
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: /cancel/i }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page).toHaveURL(/\/register\/verification-code/);
});
