// axe-core on the MFA and passkey screens, reached through a real flow of one fresh account.
import { test, expect } from '../fixtures.mjs';
import { expectNoAxeViolations as checkAxe } from '../axe.mjs';

// Soft: every screen of the flow is checked even when an earlier one has violations.
const expectNoAxeViolations = (page, testInfo, label) => checkAxe(page, testInfo, label, { soft: true });
import { expectSignedInAs, fillCode, freshTotp, register, signOut, submitPassword } from './helpers.mjs';


test('axe: /create-passkey, /mfa-binding, /mfa-binding/Totp, /mfa-binding/BackupCode, /mfa-verification/Totp', async ({
  page,
  request,
  guard,
}, testInfo) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred, missing_mfa and backup_code_required steer the flow');
  guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
  guard.allow(/sign-in-passkey\/authentication$/, 'identifier-first passkey: no passkey on the account → 400 webauthn_verification_not_found, then the password');
  await page.setViewportSize({ width: 1280, height: 800 });
  const user = await register(page, request, 'axe');

  await page.waitForURL(/\/create-passkey/);
  await expect(page.getByRole('button', { name: 'Create a passkey' })).toBeEnabled();
  await expectNoAxeViolations(page, testInfo, 'create-passkey');
  await page.getByRole('button', { name: 'Skip for now' }).click();

  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await expect(page.locator('a.mfa_factor')).toHaveCount(2);
  await expectNoAxeViolations(page, testInfo, 'mfa-binding');
  await page.getByRole('link', { name: /Authenticator app/ }).click();

  await page.waitForURL(/\/mfa-binding\/Totp/);
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  await expect(page.locator('input[name=passcode_0]')).toBeEditable();
  await expectNoAxeViolations(page, testInfo, 'mfa-binding-totp-wide');
  await page.setViewportSize({ width: 375, height: 740 });
  await expect(page.locator('code.mfa_secretKey')).toBeVisible();
  await expectNoAxeViolations(page, testInfo, 'mfa-binding-totp-narrow');
  await page.setViewportSize({ width: 1280, height: 800 });
  const secret = ((await page.locator('code.mfa_secretKey').textContent()) ?? '').trim();
  await fillCode(page, await freshTotp(secret));

  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  await expect(page.locator('ol.mfa_backupCodes li')).toHaveCount(10);
  await expectNoAxeViolations(page, testInfo, 'mfa-binding-backup-code');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, user.username);

  await signOut(page);
  await submitPassword(page, user);
  await page.waitForURL(/\/mfa-verification\/Totp/);
  await expect(page.locator('input[name=passcode_0]')).toBeEditable();
  await expectNoAxeViolations(page, testInfo, 'mfa-verification-totp');

  await page.getByRole('link', { name: 'Try another method' }).click();
  await page.waitForURL(/\/mfa-verification(\?|$)/);
  await expect(page.locator('a.mfa_factor')).toHaveCount(2);
  await expectNoAxeViolations(page, testInfo, 'mfa-verification');
  await page.getByRole('link', { name: /Backup code/ }).click();
  await page.waitForURL(/\/mfa-verification\/BackupCode/);
  await expect(page.getByLabel('Backup code', { exact: true })).toBeEditable();
  await expectNoAxeViolations(page, testInfo, 'mfa-verification-backup-code');
});
