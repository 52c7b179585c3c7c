// #15 items 6 and 7: one input type per identifier kind on every screen that asks for one, and a way back from a code
// screen to change the email or phone, which comes back filled in.
import { test, expect } from '../fixtures.mjs';
import { freshEmail, freshPhone, ERIN } from '../flows/identifier-helpers.mjs';
import { startDemo, acceptTermsIfAsked, axeClean, RESET } from './helpers.mjs';

const field = (page) => page.locator('input[name=identifier]');
const submit = (page) => page.locator('button[type=submit]');

test('the identifier field: email → type=email, phone → type=tel, several kinds or a username → text', async ({ page }) => {
  // flows.json registers with an email (the phone keyboard shows @).
  await startDemo(page, 'first_screen=register', /\/register/);
  await expect(field(page)).toHaveAttribute('type', 'email');
  await expect(field(page)).toHaveAttribute('autocomplete', 'email');

  // The password reset takes an email only here, the same field.
  await startDemo(page, 'first_screen=reset_password', RESET);
  await expect(field(page)).toHaveAttribute('type', 'email');
  await expect(field(page)).toHaveAttribute('autocomplete', 'email');

  // Phone only: the digit keyboard.
  await startDemo(page, 'first_screen=identifier:sign_in&identifier=phone', /\/identifier-sign-in/);
  await expect(field(page)).toHaveAttribute('type', 'tel');
  await expect(field(page)).toHaveAttribute('autocomplete', 'tel');

  // Username, email or phone in one field: text, named as an account.
  await startDemo(page, '', /\/sign-in/);
  await expect(field(page)).toHaveAttribute('type', 'text');
  await expect(field(page)).toHaveAttribute('autocomplete', 'username');
});

test('register: the code screen links back to the email, which comes back filled in', async ({ page }, testInfo) => {
  const email = freshEmail('chg');
  await startDemo(page, 'first_screen=register', /\/register/);
  await field(page).fill(email);
  await page.locator('input[name=terms]').check();
  await submit(page).click();
  await page.waitForURL(/\/register\/verification-code/);
  const change = page.getByRole('link', { name: 'Use a different email' });
  await expect(change).toBeVisible();
  await axeClean(page, testInfo, 'register-code-with-change-link');

  await change.click();
  await page.waitForURL(/\/register(\?|$)/);
  await expect(field(page)).toHaveValue(email);
  await expect(field(page), 'the field to change has the focus').toBeFocused();
  await expect(page.locator('input[name=terms]'), 'the terms accepted a moment ago stay accepted').toBeChecked();
  // A different address goes on from there.
  const other = freshEmail('chg2');
  await field(page).fill(other);
  await submit(page).click();
  await page.waitForURL(/\/register\/verification-code/);
  await expect(page.locator('main')).toContainText(other);
});

test('sign-in by phone code: "Use a different phone" goes back to /sign-in with the number filled in', async ({ page }) => {
  const phone = freshPhone();
  await startDemo(page, '', /\/sign-in/);
  await field(page).fill(`+${phone}`);
  await acceptTermsIfAsked(page);
  await submit(page).click();
  await page.waitForURL(/\/sign-in\/verification-code/);
  await page.getByRole('link', { name: 'Use a different phone' }).click();
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expect(field(page)).toHaveValue(phone);
  await expect(field(page)).toBeFocused();
});

test('forgot password: the code screen changes the email on /forgot-password, by keyboard', async ({ page }) => {
  await startDemo(page, 'first_screen=reset_password', RESET);
  await field(page).fill(ERIN.email);
  await submit(page).click();
  await page.waitForURL(/\/forgot-password\/verification-code/);
  const change = page.getByRole('link', { name: 'Use a different email' });
  await change.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(RESET);
  await expect(field(page)).toHaveValue(ERIN.email);
});
