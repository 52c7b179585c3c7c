// Passkey sign-in on with the passkey button hidden and no autofill (cell `passkey-hidden`: default.json, username
// and password only). The password form would leave no way to a passkey, so the identifier comes first: an account
// without a passkey goes on to its password with nothing said, one with a passkey is asked for it.
import { test, expect, recordApi } from '../fixtures.mjs';
import { addVirtualAuthenticator, expectSignedInAs, signOut, callsOf, API } from '../mfa/helpers.mjs';
import { ALICE } from '../flows/identifier-helpers.mjs';
import { tenantSettings, resetProvider, submitButton } from './helpers.mjs';

test('identifier first: no passkey → password → create one; next time the passkey signs in', async ({ page, request, guard }) => {
  guard.allow(/status of 422/, 'user.passkey_preferred sends the account to /create-passkey');
  guard.allow(/sign-in-passkey\/authentication$/, 'identifier-first passkey: no passkey on the account → 400, then the password');
  await resetProvider(request);
  const settings = await tenantSettings(request);
  expect(settings.passkeySignIn).toMatchObject({ enabled: true, showPasskeyButton: false });
  expect(settings.signIn.methods.every((m) => m.password && !m.verificationCode), 'password-only methods').toBe(true);
  await addVirtualAuthenticator(page);
  const api = recordApi(page);

  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  await expect(page.locator('input[name=password]'), 'the identifier comes alone').toHaveCount(0);
  await expect(page.getByRole('button', { name: /passkey/i }), 'no passkey button').toHaveCount(0);

  await page.locator('input[name=identifier]').fill(ALICE.username);
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in\/password/);
  await expect(page.locator('[role=alert]').filter({ visible: true, hasText: /\S/ }), 'the fallback says nothing').toHaveCount(0);
  await page.locator('input[name=password]').fill(ALICE.password);
  await submitButton(page).click();
  await page.waitForURL(/\/create-passkey/);
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expectSignedInAs(page, ALICE.username);

  await signOut(page);
  api.calls.length = 0;
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  await page.locator('input[name=identifier]').fill(ALICE.username);
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in\/passkey(\?|$)/);
  await page.getByRole('button', { name: 'Use my passkey' }).click();
  await expectSignedInAs(page, ALICE.username);
  expect(callsOf(api, API.password), 'no password this time').toHaveLength(0);
});
