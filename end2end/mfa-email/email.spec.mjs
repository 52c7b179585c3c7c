// Email codes as the second factor under mfa-email.json (Mandatory; email and phone codes among the factors).
// Verification: password → `/mfa-verification/EmailVerificationCode` with the masked address → the code from the
// outbox (a wrong one first, a resend after the countdown) → signed in at the demo client. A reload that lost
// sessionStorage on the factor screen and on the chooser: the page asks the provider again and carries on.
// Binding: an account registered with a phone adds its email from the suggestion (`user.missing_mfa` cannot offer the
// email here: sign-up requires an email or a phone, and either already counts as a factor).
// Each verification test makes its own account beforehand, in a browser context of its own (`accountWithEmailFactor`).
import { test, expect, recordApi, visibleError, expectReadable } from '../fixtures.mjs';
import { expectNoAxeViolations as checkAxe } from '../axe.mjs';
import { API, bodyOf, callsOf, codeBoxes, expectSignedInAs, fillCode, inOwnContext, register, submitPassword } from '../mfa/helpers.mjs';
import { API_CODES, maskEmail, maskPhone, otherCode, outboxCode, registerWithPhone } from './helpers.mjs';

const axe = (page, testInfo, label) => checkAxe(page, testInfo, label, { soft: true });

/** A fresh account with an email (its factor) and backup codes: registered, suggestion skipped, signed in once. */
async function accountWithEmailFactor(page, request) {
  const user = await register(page, request, 'emfa');
  await page.waitForURL(/\/create-passkey/);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  await expect(page.locator('ol.mfa_backupCodes li')).toHaveCount(10);
  const backupCodes = (await page.locator('ol.mfa_backupCodes li').allTextContents()).map((c) => c.trim());
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, user.username);
  return { ...user, backupCodes };
}

test('email verification: masked address, a wrong code inline, a resend after the countdown, the code → signed in', async ({
  page,
  request,
  browser,
  baseURL,
  guard,
}, testInfo) => {
  guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
  guard.allow(/status of 400/, 'the wrong code on purpose (verification_code.code_mismatch)');
  const account = await inOwnContext({ browser, baseURL }, (own) => accountWithEmailFactor(own, request));
  await page.setViewportSize({ width: 1280, height: 800 });

  // The resend countdown runs on the page's clock, which the test moves on instead of waiting a minute.
  await page.clock.install();
  const api = recordApi(page);
  const since = Date.now();
  await submitPassword(page, account);
  await page.waitForURL(/\/mfa-verification\/EmailVerificationCode/);
  const verify = JSON.parse((await callsOf(api, API.submit).at(-1).response) ?? '{}');
  expect(verify).toMatchObject({
    code: 'session.mfa.require_mfa_verification',
    data: {
      availableFactors: ['EmailVerificationCode', 'BackupCode'],
      maskedIdentifiers: { EmailVerificationCode: maskEmail(account.email) },
    },
  });
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await expect(page.locator('.signIn_description')).toHaveText(`We sent a code to ${maskEmail(account.email)}.`);
  await expect(page.locator('body')).not.toContainText(account.email);
  await expect.poll(() => callsOf(api, API_CODES.mfaCodeSend).map((c) => bodyOf(c))).toEqual([{ identifierType: 'email' }]);
  await expect(page.getByRole('link', { name: 'Try another method' })).toBeVisible();
  await expect(codeBoxes(page)[0]).toBeEditable();
  await axe(page, testInfo, 'mfa-verification-email');

  const first = await outboxCode(request, account.email, since);
  expect(first.template).toBe('MfaVerification');

  // A wrong code: the provider's refusal inline, the boxes cleared and usable, still on the screen.
  await fillCode(page, otherCode(first.code));
  const { text } = await visibleError(page);
  expectReadable(text);
  await expect(page).toHaveURL(/\/mfa-verification\/EmailVerificationCode/);
  await expect(codeBoxes(page)[0]).toHaveValue('');
  await expect(codeBoxes(page)[0]).toBeEditable();
  expect(callsOf(api, API_CODES.mfaCodeVerify).map((c) => c.status)).toEqual([400]);

  // Resend: offered once the countdown ran out; a new code, and only the new one counts from now on.
  const resend = page.getByRole('button', { name: /resend|new code|send again/i });
  await expect(resend).toHaveCount(0);
  await page.clock.runFor(60_000);
  await expect(resend).toBeVisible();
  const beforeResend = Date.now();
  await resend.click();
  await expect.poll(() => callsOf(api, API_CODES.mfaCodeSend).length).toBe(2);
  await expect(resend).toHaveCount(0);
  const second = await outboxCode(request, account.email, beforeResend);
  const sendIds = await Promise.all(callsOf(api, API_CODES.mfaCodeSend).map(async (c) => JSON.parse(await c.response).verificationId));
  expect(sendIds[1]).not.toBe(sendIds[0]);

  await fillCode(page, second.code);
  await expectSignedInAs(page, account.username);
  const verified = bodyOf(callsOf(api, API_CODES.mfaCodeVerify).at(-1));
  expect(verified).toEqual({ verificationId: sendIds[1], code: second.code, identifierType: 'email' });
});

test('reload without sessionStorage: the factor screen and the chooser ask the provider again and carry on', async ({
  page,
  request,
  browser,
  baseURL,
  guard,
}, testInfo) => {
  const account = await inOwnContext({ browser, baseURL }, (own) => accountWithEmailFactor(own, request));
  guard.allow(/status of 403/, 'session.mfa.require_mfa_verification, also when a screen asks again after a reload');
  guard.allow(/sign-in-passkey\/authentication/, 'identifier-first passkey lookup: this account has no passkey (400)');
  await page.setViewportSize({ width: 1280, height: 800 });
  const api = recordApi(page);
  await submitPassword(page, account);
  await page.waitForURL(/\/mfa-verification\/EmailVerificationCode/);
  await expect(page.locator('.signIn_description')).toContainText(maskEmail(account.email));

  // The factor screen: storage gone, reloaded → it asks again (`submit` → 403) and shows the step as before.
  await page.evaluate(() => sessionStorage.clear());
  const submitsBefore = callsOf(api, API.submit).length;
  await page.reload();
  await expect.poll(() => callsOf(api, API.submit).length).toBe(submitsBefore + 1);
  await expect(page).toHaveURL(/\/mfa-verification\/EmailVerificationCode/);
  await expect(page.locator('.signIn_description')).toHaveText(`We sent a code to ${maskEmail(account.email)}.`);
  await expect(page.getByRole('link', { name: 'Try another method' })).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.getItem('sign-in:mfa'))).toContain('EmailVerificationCode');

  // The chooser: the same after a reload without storage (it used to send people back to /sign-in).
  await page.getByRole('link', { name: 'Try another method' }).click();
  await page.waitForURL(/\/mfa-verification(\?|$)/);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();
  const factors = page.locator('a.mfa_factor');
  await expect(factors).toHaveCount(2);
  await expect(factors.nth(0)).toHaveAttribute('data-factor', 'EmailVerificationCode');
  await expect(factors.nth(0)).toContainText(maskEmail(account.email));
  await expect(factors.nth(1)).toHaveAttribute('data-factor', 'BackupCode');
  await axe(page, testInfo, 'mfa-verification-chooser-resumed');

  // On with a backup code (the email code itself is what the verification test checks).
  await factors.nth(1).click();
  await page.waitForURL(/\/mfa-verification\/BackupCode/);
  await page.getByLabel('Backup code', { exact: true }).fill(account.backupCodes[0]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, account.username);
});

test('email binding: registered with a phone, the suggestion offers the email → address → code → bound → signed in', async ({
  page,
  request,
  guard,
}, testInfo) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred, suggest_additional_mfa and backup_code_required steer the flow');
  guard.allow(/status of 400/, 'the malformed address on purpose');
  await page.setViewportSize({ width: 1280, height: 800 });
  const api = recordApi(page);
  const user = await registerWithPhone(page, request, 'bind');
  await page.waitForURL(/\/create-passkey/);
  await page.getByRole('button', { name: 'Skip for now' }).click();

  // Suggestion mode: the phone is the factor the account has; the email is one to add.
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await expect(page.locator('.mfa_factor[data-factor=PhoneVerificationCode]')).toBeDisabled();
  await expect(page.locator('.mfa_factor[data-factor=PhoneVerificationCode]')).toContainText(maskPhone(user.phone));
  await page.getByRole('link', { name: /Email verification code/ }).click();

  await page.waitForURL(/\/mfa-binding\/EmailVerificationCode/);
  await expect(page.getByRole('heading', { name: 'Add an email for 2-step verification' })).toBeVisible();
  const field = page.locator('input[name=identifier]');
  await expect(field).toBeEditable();
  await expect(field).toHaveAttribute('type', 'email');
  await expect(page.getByRole('link', { name: 'Use another method' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Skip for now' })).toBeVisible();
  await axe(page, testInfo, 'mfa-binding-email');

  // Not an address: a field error, the text kept, nothing sent.
  const sendsBefore = callsOf(api, API_CODES.codeSend).length;
  await field.fill('someone@');
  await page.getByRole('button', { name: 'Continue' }).click();
  expectReadable((await visibleError(page)).text);
  await expect(field).toHaveValue('someone@');
  expect(callsOf(api, API_CODES.codeSend)).toHaveLength(sendsBefore);

  const email = `${user.username}@example.com`;
  const since = Date.now();
  await field.fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/continue\/verification-code/);
  expect(bodyOf(callsOf(api, API_CODES.codeSend).at(-1))).toEqual({
    identifier: { type: 'email', value: email },
    interactionEvent: 'Register',
  });
  const message = await outboxCode(request, email, since);
  await fillCode(page, message.code);

  // Bound as the profile email (docs/experience-api.md, MFA binding); the suggestion comes back with both added,
  // then Skip.
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  expect(bodyOf(callsOf(api, API_CODES.profile).at(-1))).toMatchObject({ type: 'email', verificationId: expect.any(String) });
  await expect(page.locator('.mfa_factor[data-factor=EmailVerificationCode]')).toBeDisabled();
  await expect(page.locator('.mfa_factor[data-factor=EmailVerificationCode]')).toContainText(maskEmail(email));
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, user.username);
});
