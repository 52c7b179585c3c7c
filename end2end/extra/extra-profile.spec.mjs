// Custom profile fields (/continue/extra-profile) on a registration-only tenant: email code, username, then
// the tenant's own fields, checked on the page before they are sent.
import { axeViolations } from '../axe.mjs';
import { test, expect } from '../fixtures.mjs';
import {
  allowMissingProfile,
  codeSentBy,
  expectCodeScreen,
  freshEmail,
  freshUsername,
  typeCode,
  waitForUrlOrError,
} from '../flows/identifier-helpers.mjs';

test('registration asks for the custom fields, checks them, sends them, and signs the new user in', async ({ page, request, guard }) => {
  allowMissingProfile(guard);
  const email = freshEmail('extra');
  const username = freshUsername();
  await page.goto('/demo');
  await page.waitForURL(/\/register/); // signInMode Register: /sign-in goes to /register
  await page.locator('input[name=identifier]').fill(email);
  await page.locator('input[name=terms]').check();
  const message = await codeSentBy(request, email, () => page.locator('button[name=submit]').click());
  await expectCodeScreen(page, /register/);
  await typeCode(page, message.code);
  await waitForUrlOrError(page, /\/continue\/username/);
  await page.locator('input[name=identifier]').fill(username);
  await page.locator('button[name=submit]').click();
  await waitForUrlOrError(page, /\/continue\/extra-profile/);

  const company = page.getByLabel('Company', { exact: true });
  await expect(company).toBeVisible();
  await expect(page.getByLabel('Website (optional)')).toBeVisible();
  expect((await axeViolations(page)).summary).toEqual([]);

  // Required field empty and a malformed URL: both refused on the page, nothing sent.
  const profileCalls = [];
  page.on('request', (r) => r.url().endsWith('/api/experience/profile') && profileCalls.push(r.postDataJSON()));
  await page.getByLabel('Website (optional)').fill('acme.test');
  await page.locator('button[name=submit]').click();
  await expect(page.locator('#profile-company-error, #company-error').first()).toBeVisible();
  await expect(page.locator('#website-error')).toBeVisible();
  expect(profileCalls).toEqual([]);

  await company.fill('Acme');
  await page.getByLabel('Website (optional)').fill('https://acme.test');
  await page.locator('button[name=submit]').click();
  await page.waitForURL(/\/demo\/callback/);
  await expect(page.locator('body')).toContainText(`(${username})`);
  expect(profileCalls).toContainEqual({ type: 'extraProfile', values: { company: 'Acme', website: 'https://acme.test' } });
});
