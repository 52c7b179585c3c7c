// MFA under the Manual terms policy (cell `mfa-manual`: mfa.json with agreeToTermsPolicy=Manual). Registration
// ticks the box on /register, then the passkey prompt, TOTP binding and backup codes follow without a screen
// reaching for a checkbox that belongs to an earlier one; signing in again ticks the box on /sign-in and verifies
// the TOTP code.
import { test, expect } from '../fixtures.mjs';
import { register, fillCode, freshTotp, expectSignedInAs, signOut } from '../mfa/helpers.mjs';
import { tenantSettings, passTerms, submitButton } from './helpers.mjs';

test('Manual terms: register → skip passkey → bind TOTP → backup codes → signed in; again → TOTP → signed in', async ({
  page,
  request,
  guard,
}) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred, missing_mfa and backup_code_required steer the flow');
  guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
  guard.allow(/sign-in-passkey\/authentication$/, 'identifier-first passkey: no passkey on the account → 400, then the password');
  const settings = await tenantSettings(request);
  expect(settings.agreeToTermsPolicy).toBe('Manual');
  await page.setViewportSize({ width: 1280, height: 800 });

  const user = await register(page, request, 'mxm');
  await page.waitForURL(/\/create-passkey/);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await page.getByRole('link', { name: /Authenticator app/ }).click();
  await page.waitForURL(/\/mfa-binding\/Totp/);
  const secret = ((await page.locator('code.mfa_secretKey').textContent()) ?? '').trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await fillCode(page, await freshTotp(secret));
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  await expect(page.locator('ol.mfa_backupCodes li')).toHaveCount(10);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, user.username);

  // A new visit (signed out, a fresh tab: nothing accepted yet) signs in with the box on /sign-in.
  await signOut(page);
  const again = await page.context().newPage();
  await guard.watch(again);
  await again.goto('/demo');
  await again.waitForURL(/\/sign-in(\?|$)/);
  await again.locator('input[name=identifier]').fill(user.username);
  await passTerms(again, settings, 'sign-in', () => submitButton(again).click());
  await submitButton(again).click();
  await again.waitForURL(/\/sign-in\/password/);
  await again.locator('input[name=password]').fill(user.password);
  await submitButton(again).click();
  await again.waitForURL(/\/mfa-verification\/Totp/);
  await fillCode(again, await freshTotp(secret));
  await expectSignedInAs(again, user.username);
});
