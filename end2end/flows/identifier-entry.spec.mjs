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

test('first_screen=identifier:sign_in&identifier=email: only the email field, no social or registration, a link to every option', async ({ page }) => {
  await startDemo(page, 'first_screen=identifier:sign_in&identifier=email', /\/identifier-sign-in/);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  await expect(page.locator('label[for=identifier]')).toHaveText('Email');
  await expect(page.locator('a.button_social')).toHaveCount(0);
  await expect(page.locator('.signIn_createAccount')).toHaveCount(0);
  await page.getByRole('link', { name: 'All sign-in options' }).click();
  await expect(page).toHaveURL(/\/sign-in\?app_id=demo-app$/);
  await expect(page.locator('a.button_social')).toHaveCount(1);
});

test('first_screen=identifier:register&identifier=email: the registration form without social buttons', async ({ page }) => {
  await startDemo(page, 'first_screen=identifier:register&identifier=email', /\/identifier-register/);
  await expect(page.locator('label[for=identifier]')).toHaveText('Email');
  await expect(page.locator('input[name=terms]')).toBeVisible();
  await expect(page.locator('a.button_social')).toHaveCount(0);
});

test('magic link: a one-time token signs the person in with no input, and a used token shows the error page', async ({ page, request, guard }) => {
  guard.allow(/status of 40\d/, 'the second use of the token is refused by the provider');
  const email = ERIN.email;
  const minted = await request.post('/admin/one-time-tokens', { data: { email } });
  expect(minted.status()).toBe(201);
  const { token } = await minted.json();
  const query = `one_time_token=${encodeURIComponent(token)}&login_hint=${encodeURIComponent(email)}`;
  await page.goto(`/demo?${query}`);
  await page.waitForURL(/\/demo\/callback/);
  await expect(page.locator('body')).toContainText('Signed in as');
  await expect(page.locator('code').first()).toHaveText('erin');

  await page.context().clearCookies();
  await page.goto(`/demo?${query}`);
  await page.waitForURL(/\/one-time-token\/error/);
  await expect(page.locator('.errorPage_title')).toHaveText("This link doesn't work");
  await expect(page).not.toHaveURL(/one_time_token=/);
});
