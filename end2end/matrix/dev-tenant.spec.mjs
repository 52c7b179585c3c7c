// A development tenant with support contacts (cell `dev-tenant`): the notice on every screen, the tenant's support
// email and website on error screens.
import { test, expect } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';
import { tenantSettings } from './helpers.mjs';

test('the development-tenant notice on the sign-in screen', async ({ page, request }, testInfo) => {
  const settings = await tenantSettings(request);
  expect(settings.isDevelopmentTenant).toBe(true);
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  const notice = page.getByRole('note');
  await expect(notice).toHaveText('This is a development tenant, meant for testing only.');
  await expectNoAxeViolations(page, testInfo, 'sign-in, development tenant');
});

test('an error screen names the support email and website', async ({ page }, testInfo) => {
  await page.goto('/unknown-session');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'help@example.com' })).toHaveAttribute('href', 'mailto:help@example.com');
  await expect(page.getByRole('link', { name: 'https://example.com/help' })).toHaveAttribute('href', 'https://example.com/help');
  await expect(page.getByRole('note')).toBeVisible();
  await expectNoAxeViolations(page, testInfo, 'error screen with support contacts');
});
