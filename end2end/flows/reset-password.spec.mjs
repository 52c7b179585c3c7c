// Forgot password by email (flows.json: forgotPasswordMethods [EmailVerificationCode]) for a user this test
// registers first, so the demo users keep their passwords.
import { test, expect, recordApi, expectReadable } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';
import {
  codeSentBy,
  expectCodeScreen,
  typeCode,
  expectSignedInAs,
  startDemo,
  registerByEmail,
  allowMissingProfile,
  waitForUrlOrError,
} from './identifier-helpers.mjs';

const submitButton = (page) => page.locator('button[name=submit][type=submit]');

test('forgot password: link from the password screen → code → new password (mismatch, same password refused) → notice → sign in with it', async ({ page, request, guard }) => {
  test.setTimeout(120_000);
  allowMissingProfile(guard);
  guard.allow(/status of (400|401|422)/, 'same password (user.same_password) and the old password on purpose; Chromium logs them');
  const user = await registerByEmail(page, request);
  const newPassword = 'Rs9-Passw0rd!mz';

  // Identifier first → the password screen → "Forgot your password?".
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(user.email);
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in\/password/);
  const api = recordApi(page);
  const forgot = page.getByRole('link', { name: /forgot/i });
  await expect(forgot).toBeVisible();
  await forgot.click();
  await page.waitForURL(/\/forgot-password(\?|$)/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/reset/i);
  const identifier = page.locator('input[name=identifier]');
  await expect(identifier).toBeEditable();
  await expect(identifier).toHaveAttribute('type', 'email');
  // Logto carries the identifier over from sign-in (issue 5: "identifier cache across screens").
  const carried = await identifier.inputValue();
  test.info().annotations.push({ type: 'identifier carried to /forgot-password', description: carried || '(empty)' });
  expect.soft(carried, 'the identifier typed on /sign-in is carried to /forgot-password (Logto\'s identifier cache)').toBe(user.email);
  if (carried !== user.email) await identifier.fill(user.email);

  const message = await codeSentBy(request, user.email, () => submitButton(page).click());
  expect(message).toMatchObject({ type: 'email', template: 'ForgotPassword' });
  await expectCodeScreen(page, /forgot-password/);
  await typeCode(page, message.code);

  await waitForUrlOrError(page, /\/forgot-password\/reset/);
  const pw = page.locator('input[name=newPassword]');
  const confirm = page.locator('input[name=confirmPassword]');
  await expect(pw).toBeEditable();
  await expect(page.locator('main').getByText(/at least 8 characters/i)).toBeVisible();

  // The new password is saved under the address the reset is for (a hidden text input password managers read).
  const account = page.locator('form.setPassword_form input[autocomplete="username"]');
  await expect(account).toHaveValue(user.email);
  await expect(account).toHaveAttribute('aria-hidden', 'true');

  // Too short and mismatched, Enter in the confirmation: both refused, focus goes to the new password (first).
  await pw.fill('Rs9-x');
  await confirm.fill('Rs9-y');
  await confirm.press('Enter');
  await expect(pw).toHaveAttribute('aria-invalid', 'true');
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await expect(pw).toBeFocused();

  // Mismatch only: refused on the page, nothing sent; the confirmation is the one error and gets the focus.
  await pw.fill(newPassword);
  await confirm.fill(`${newPassword}-`);
  await submitButton(page).click();
  const mismatch = page.locator('p.field_error').filter({ hasText: /different|match/i });
  await expect(mismatch).toBeVisible();
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await expect(pw).not.toHaveAttribute('aria-invalid', /./);
  await expect(confirm).toBeFocused();
  expect(api.count('PUT /api/experience/profile/password'), 'a mismatch is not sent').toBe(0);

  // The same password as now: the provider answers user.same_password, the page says so.
  await pw.fill(user.password);
  await confirm.fill(user.password);
  await submitButton(page).click();
  await expect.poll(() => api.calls.find((c) => c.key === 'PUT /api/experience/profile/password')?.status).toBe(422);
  const same = api.calls.find((c) => c.key === 'PUT /api/experience/profile/password');
  expect(JSON.parse((await same.response) ?? '{}').code).toBe('user.same_password');
  const shown = page.locator('p.field_error, [role=alert]').filter({ visible: true, hasText: /\S/ }).first();
  await expect(shown).toBeVisible();
  const text = (await shown.innerText()).trim();
  test.info().annotations.push({ type: 'same-password message', description: text });
  expectReadable(text, 'same-password message');
  expect(text).toMatch(/different|same|current|new/i);
  await expect(page).toHaveURL(/\/forgot-password\/reset/);

  await pw.fill(newPassword);
  await confirm.fill(newPassword);
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in(\?|$)/);
  const notice = page.locator('.notice_region');
  await expect(notice).toHaveAttribute('role', 'status');
  await expect(notice).toContainText(/password was changed|changed/i);
  expect(JSON.parse(api.calls.findLast((c) => c.key === 'PUT /api/experience/profile/password').body)).toEqual({ password: newPassword });
  expect(api.calls.findLast((c) => c.key === 'POST /api/experience/submit').status).toBe(204);

  // The old password no longer works; the new one does.
  await page.locator('input[name=identifier]').fill(user.email);
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in\/password/);
  await page.locator('input[name=password]').fill(user.password);
  await submitButton(page).click();
  await expect(page.locator('[role=alert]').filter({ visible: true, hasText: /\S/ }).first()).toBeVisible();
  await page.locator('input[name=password]').fill(newPassword);
  await submitButton(page).click();
  await expectSignedInAs(page, user);
});

test('forgot password for an address nobody uses: a clear message, no code screen dead end', async ({ page, request, guard }) => {
  guard.allow(/status of (400|404|422)/, 'the provider refuses the unknown address; Chromium logs it');
  const email = `nobody${Date.now()}@example.com`;
  await startDemo(page, 'first_screen=reset_password', /\/(reset-password|forgot-password)/);
  await page.locator('input[name=identifier]').fill(email);
  await submitButton(page).click();
  // Logto sends the code and refuses at identification (user.user_not_exist); either way the person must see why.
  const codeScreen = await page.waitForURL(/\/verification-code/, { timeout: 5_000 }).then(() => true, () => false);
  if (codeScreen) {
    const message = await request.get(`/outbox/latest?to=${encodeURIComponent(email)}`).then((r) => r.json());
    await typeCode(page, message.code);
  }
  const shown = page.locator('p.field_error, [role=alert]').filter({ visible: true, hasText: /\S/ }).first();
  await expect(shown).toBeVisible();
  const text = (await shown.innerText()).trim();
  test.info().annotations.push({ type: 'unknown-address reset message', description: text });
  expectReadable(text, 'unknown-address message');
  await expect(page).not.toHaveURL(/\/forgot-password\/reset/);
});

test('password-reset magic link: with login_hint the new password is asked at once; without it the email is asked; a used link shows the link error', async ({ page, request, guard }, testInfo) => {
  test.setTimeout(120_000);
  allowMissingProfile(guard);
  guard.allow(/status of 4\d\d/, 'the used token is refused on purpose; Chromium logs it');
  const user = await registerByEmail(page, request);
  await page.context().clearCookies();
  const mint = async () => {
    const minted = await request.post('/admin/one-time-tokens', { data: { email: user.email } });
    expect(minted.status()).toBe(201);
    return (await minted.json()).token;
  };

  // With login_hint: no input, straight to the new password; the token left the address bar.
  let token = await mint();
  const api = recordApi(page);
  await startDemo(page, `first_screen=reset_password&one_time_token=${encodeURIComponent(token)}&login_hint=${encodeURIComponent(user.email)}`, /\/(reset-password|forgot-password)/);
  await waitForUrlOrError(page, /\/forgot-password\/reset/);
  expect(page.url()).not.toContain(token);
  expect(api.keys()).toEqual(expect.arrayContaining(['PUT /api/experience', 'POST /api/experience/verification/one-time-token/verify', 'POST /api/experience/identification']));
  expect(JSON.parse(api.calls.find((c) => c.key === 'PUT /api/experience').body)).toEqual({ interactionEvent: 'ForgotPassword' });
  const newPassword = 'Lk4-Passw0rd!qv';
  await page.locator('input[name=newPassword]').fill(newPassword);
  await page.locator('input[name=confirmPassword]').fill(newPassword);
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expect(page.locator('.notice_region')).toContainText(/changed/i);

  // Without login_hint: the email is asked first; a used token shows the link error page.
  await page.context().clearCookies();
  token = await mint();
  await startDemo(page, `first_screen=reset_password&one_time_token=${encodeURIComponent(token)}`, /\/reset-password/);
  const email = page.locator('input[name=identifier]');
  await expect(email).toBeEditable();
  expect(page.url()).not.toContain(token);
  await expectNoAxeViolations(page, testInfo, 'reset-password link asking for the email');
  await email.fill('not-an-email');
  await submitButton(page).click();
  await expect(page.locator('p.field_error').filter({ visible: true })).toBeVisible();
  await email.fill(user.email);
  await submitButton(page).click();
  await waitForUrlOrError(page, /\/forgot-password\/reset/);

  await page.context().clearCookies();
  await startDemo(page, `first_screen=reset_password&one_time_token=${encodeURIComponent(token)}&login_hint=${encodeURIComponent(user.email)}`, /\/(reset-password|one-time-token)/);
  await page.waitForURL(/\/one-time-token\/error/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
