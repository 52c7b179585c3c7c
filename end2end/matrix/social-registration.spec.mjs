// Social-only registration (cell `social-registration`: flows.json with no sign-up identifier). `/register` and
// `first_screen=register` still show the registration screen, with its social buttons and no identifier form, as
// Logto's does; "Create account" is not offered on /sign-in (nothing to type there); a new social identity
// registers and signs in.
import { test, expect } from '../fixtures.mjs';
import { SOCIAL, uniqueEmail, atIdp } from '../flows/social-helpers.mjs';
import { axeViolations } from '../axe.mjs';
import { tenantSettings, resetProvider, passTerms } from './helpers.mjs';

test('first_screen=register: the register screen with its social buttons; a new account through one', async ({ page, request, guard }) => {
  guard.allow(/status of 404/, 'identification answers 404 user.identity_not_exist for a new social identity; Chromium logs it');
  await resetProvider(request);
  const settings = await tenantSettings(request);
  expect(settings.signUp.identifiers).toEqual([]);

  await page.goto('/demo?first_screen=register');
  await page.waitForURL(/\/register(\?|$)/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create your account');
  await expect(page.locator('input[name=identifier]'), 'no identifier form').toHaveCount(0);
  const button = page.locator('a.button_social');
  await expect(button).toHaveText(`Continue with ${SOCIAL.name}`);
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect((await axeViolations(page)).summary).toEqual([]);

  await passTerms(page, settings, 'register', () => button.click());
  await button.click();
  const name = 'Social Only';
  await atIdp(page, { email: uniqueEmail('so'), name });
  // The box ticked on /register counts: the callback does not ask the terms again.
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.waitForURL(/\/demo\/callback/, { timeout: 30_000 });
  await expect(page.locator('body')).toContainText(`Signed in as ${name}`);

  // /sign-in offers no "Create account" (there is nothing to register with but the social buttons it has).
  await page.context().clearCookies();
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expect(page.locator('input[name=identifier]')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create account' })).toHaveCount(0);
});
