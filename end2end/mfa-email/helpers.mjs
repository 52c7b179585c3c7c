// Helpers of the email/phone MFA suite (end2end/mfa-email/, config provider/config/mfa-email.json: Mandatory;
// Totp, WebAuthn, BackupCode, EmailVerificationCode, PhoneVerificationCode; passkey sign-in on). The account and
// screen helpers of end2end/mfa/ work here too; these add what the code factors need.
import crypto from 'node:crypto';
import { expect } from '../fixtures.mjs';
import { expectSignedInAs, fillCode, outboxMessage, register } from '../mfa/helpers.mjs';

export { outboxMessage as outboxCode };

export const API_CODES = {
  mfaCodeSend: 'POST /api/experience/verification/mfa-verification-code',
  mfaCodeVerify: 'POST /api/experience/verification/mfa-verification-code/verify',
  codeSend: 'POST /api/experience/verification/verification-code',
  codeVerify: 'POST /api/experience/verification/verification-code/verify',
  profile: 'POST /api/experience/profile',
  suggestionSkipped: 'POST /api/experience/profile/mfa/mfa-suggestion-skipped',
};

/** A six-digit code that is not `code`. */
export function otherCode(code) {
  return code === '000000' ? '111111' : '000000';
}

/** Logto's masks: `abcd****@domain` (first four characters when the local part is longer), `****1234`. */
export function maskEmail(email) {
  const [local, domain] = email.split('@');
  return `${local.length > 4 ? local.slice(0, 4) : ''}****@${domain}`;
}

export function maskPhone(digits) {
  return `****${digits.slice(-4)}`;
}

/** A phone number no other test uses (US, digits only as the provider stores it). */
export function freshPhone() {
  return `1415${String(crypto.randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/** A new account registered by phone (mfa-email.json signs up with an email or a phone): see `register`. */
export function registerWithPhone(page, request, prefix = 'tel') {
  return register(page, request, prefix, { phone: freshPhone() });
}

/**
 * A new account with its email and a phone as factors: `register` by email → skip the passkey → the suggestion's SMS
 * code → a fresh number → its code → Skip → backup codes → signed in. Returns `{ username, email, password, phone }`.
 */
export async function registerWithPhoneFactor(page, request, prefix = 'phv') {
  const user = await register(page, request, prefix);
  await page.waitForURL(/\/create-passkey/);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await page.getByRole('link', { name: /SMS verification code/ }).click();
  await page.waitForURL(/\/mfa-binding\/PhoneVerificationCode/);
  const phone = freshPhone();
  const since = Date.now();
  const field = page.locator('input[name=identifier]');
  await expect(field).toBeEditable();
  await field.fill(`+${phone.slice(0, 1)} ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/continue\/verification-code/);
  await fillCode(page, (await outboxMessage(request, phone, since)).code);
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await expect(page.locator('.mfa_factor[data-factor=PhoneVerificationCode]')).toBeDisabled();
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, user.username);
  return { ...user, phone };
}
