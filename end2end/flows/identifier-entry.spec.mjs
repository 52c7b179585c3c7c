// Entry parameters of the authorization request (first_screen, login_hint), through /demo → /oidc/auth.
import { test, expect } from '../fixtures.mjs';
import { startDemo, ERIN } from './identifier-helpers.mjs';

test('first_screen=register lands on /register with the email field and the terms checkbox', async ({ page }) => {
  await startDemo(page, 'first_screen=register', /\/register/);
  await expect(page).toHaveURL(/\/register(\?|$)/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/create/i);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  await expect(page.locator('input[name=identifier]')).toHaveAttribute('autocomplete', /email/);
  await expect(page.locator('input[name=terms]')).not.toBeChecked();
  await expect(page.getByRole('link', { name: /sign in/i })).toBeVisible();
});

test('login_hint prefills the identifier on /sign-in and on /register', async ({ page }) => {
  await startDemo(page, `login_hint=${encodeURIComponent(ERIN.email)}`, /\/sign-in/);
  await expect(page.locator('input[name=identifier]')).toHaveValue(ERIN.email);
  // Submitting the prefilled value goes on with it (email is password-primary).
  await page.locator('button[name=submit][type=submit]').click();
  await page.waitForURL(/\/sign-in\/password/);
  await expect(page.locator('main')).toContainText(ERIN.email);

  await startDemo(page, `first_screen=register&login_hint=${encodeURIComponent('hint@example.com')}`, /\/register/);
  await expect(page.locator('input[name=identifier]')).toHaveValue('hint@example.com');
});

test('first_screen=reset_password lands on the reset screen', async ({ page }) => {
  await startDemo(page, 'first_screen=reset_password', /\/(reset-password|forgot-password)/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/reset/i);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  await expect(page.locator('input[name=identifier]')).toHaveAttribute('type', 'email');
  await expect(page.getByRole('link', { name: /sign[- ]in/i })).toBeVisible();
});

test('first_screen=reset_password with login_hint prefills the email', async ({ page }) => {
  await startDemo(page, `first_screen=reset_password&login_hint=${encodeURIComponent(ERIN.email)}`, /\/(reset-password|forgot-password)/);
  await expect(page.locator('input[name=identifier]')).toHaveValue(ERIN.email);
});
