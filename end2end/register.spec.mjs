// Username registration on the default provider (sign-up: username, then a password on /register/password), in
// both engines: where focus lands after a refused submit, and the account name a password manager saves the new
// password under.
import { test, expect, recordApi } from './fixtures.mjs';
import { expectNoAxeViolations } from './axe.mjs';
import { freshUsername } from './flows/identifier-helpers.mjs';

const submit = (page) => page.locator('button[name=submit][type=submit]');

/** /demo → /register → a fresh username → /register/password; returns the username. */
async function toPasswordScreen(page) {
  await page.goto('/demo?first_screen=register');
  await page.waitForURL(/\/register(\?|$)/);
  const identifier = page.locator('input[name=identifier]');
  await expect(identifier).toBeEditable();
  // Nothing typed: the refused submit leaves focus on the field to fix.
  await submit(page).click();
  await expect(identifier).toHaveAttribute('aria-invalid', 'true');
  await expect(identifier).toBeFocused();
  const username = freshUsername('Rg');
  await identifier.fill(username);
  await identifier.press('Enter');
  await page.waitForURL(/\/register\/password/);
  await expect(page.locator('input[name=newPassword]')).toBeEditable();
  return username;
}

test('set password: the form names the account for password managers (hidden from sight, keyboard and screen readers)', async ({ page }, testInfo) => {
  const username = await toPasswordScreen(page);
  const account = page.locator('form.setPassword_form input[autocomplete="username"]');
  await expect(account).toHaveCount(1);
  await expect(account).toHaveValue(username);
  // A text input (password managers skip type=hidden), hidden by its class, not reachable by Tab, not announced.
  await expect(account).toHaveAttribute('type', 'text');
  await expect(account).toHaveClass(/\bform_accountName\b/);
  await expect(account).toHaveAttribute('tabindex', '-1');
  await expect(account).toHaveAttribute('aria-hidden', 'true');
  const box = await account.boundingBox();
  expect(box === null || (box.width <= 1 && box.height <= 1), 'takes no visible room').toBe(true);
  expect(await account.evaluate((el) => getComputedStyle(el).opacity)).toBe('0');
  // Keyboard: from the last control of the form, Shift+Tab never lands on it.
  await page.locator('input[name=newPassword]').focus();
  for (let i = 0; i < 3; i += 1) {
    await page.keyboard.press('Shift+Tab');
    await expect(account).not.toBeFocused();
  }
  await expectNoAxeViolations(page, testInfo, 'register-password');
});

test('set password: a refused submit moves focus to the first field in error (new password before confirmation)', async ({ page }, testInfo) => {
  await toPasswordScreen(page);
  const api = recordApi(page);
  const pw = page.locator('input[name=newPassword]');
  const confirm = page.locator('input[name=confirmPassword]');

  // Too short and mismatched, Enter in the confirmation: both in error, focus goes up to the new password.
  await pw.fill('Ab1!');
  await confirm.fill('Ab1!x');
  await confirm.press('Enter');
  await expect(pw).toHaveAttribute('aria-invalid', 'true');
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await expect(pw).toBeFocused();
  await expectNoAxeViolations(page, testInfo, 'register-password-errors');

  // Only a mismatch, sent with the button: the confirmation is the only error and gets the focus.
  await pw.fill('Nw7-Passw0rd!kq');
  await confirm.fill('Nw7-Passw0rd!kx');
  await submit(page).click();
  await expect(pw).not.toHaveAttribute('aria-invalid', /./);
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await expect(confirm).toBeFocused();

  // Nothing typed, Enter in the confirmation: the new password (its error is the only one).
  await pw.fill('');
  await confirm.fill('');
  await confirm.press('Enter');
  await expect(pw).toHaveAttribute('aria-invalid', 'true');
  await expect(confirm).not.toHaveAttribute('aria-invalid', /./);
  await expect(pw).toBeFocused();
  expect(api.keys().filter((key) => key.includes('/profile')), 'no password was sent').toEqual([]);
});
