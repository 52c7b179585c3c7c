// Passkey autofill where WebAuthn refuses the origin (cell `passkey-ip-origin`: served from 127.0.0.1, as the README's
// demo is): the background request fails by itself, and that must stay silent; a password sign-in goes on as usual.
import { test, expect } from '../fixtures.mjs';
import { ALICE, expectSignedInAs, startDemo } from '../flows/identifier-helpers.mjs';

test('a failing background passkey request says nothing; the person signs in with the password', async ({ page, guard }) => {
  guard.allow(/sign-in-passkey\/authentication$/, 'identifier-first passkey: no passkey on the account → 400, then the password');
  guard.allow(/status of 422/, 'user.passkey_preferred offers to create a passkey after the password');
  // Marks when the page's conditional (autofill) request has failed.
  await page.addInitScript(() => {
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options) => {
      const request = get(options);
      if (options?.mediation === 'conditional') request.catch(() => (window.conditionalRequestFailed = true));
      return request;
    };
  });
  await startDemo(page, '', /\/sign-in/);
  expect(new URL(page.url()).hostname).toBe('127.0.0.1');
  await expect(page.getByRole('button', { name: 'Continue with passkey' })).toBeVisible();
  await page.waitForFunction(() => window.conditionalRequestFailed === true);
  await expect(page.locator('[role=alert]').filter({ visible: true, hasText: /\S/ }), 'no error nobody asked for').toHaveCount(0);

  await page.locator('input[name=identifier]').fill(ALICE.username);
  await page.locator('button[name=submit][type=submit]').click();
  await page.waitForURL(/\/sign-in\/password/);
  await page.locator('input[name=password]').fill(ALICE.password);
  await page.locator('button[name=submit][type=submit]').click();
  await page.waitForURL(/\/create-passkey|\/demo\/callback/);
  if (page.url().includes('/create-passkey')) await page.getByRole('button', { name: 'Skip for now' }).click();
  await expectSignedInAs(page, ALICE);
});
