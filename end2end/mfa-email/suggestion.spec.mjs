// Suggestion mode (`session.mfa.suggest_additional_mfa`) under mfa-email.json: registering with an email makes the
// email a factor already, so the provider suggests another one. The chooser lists the email as added (disabled, with
// its masked address) and offers the others, plus Skip (`mfa-suggestion-skipped`). Then a phone bound as a factor
// by SMS code from there (`/mfa-binding/PhoneVerificationCode` → `/continue/verification-code`), and a later
// sign-in verified with it (sign-up takes an email or a phone, so binding the phone brings the suggestion back with
// both added). The verification test binds its own phone beforehand (`registerWithPhoneFactor`, in a context of its own).
import { test, expect, recordApi, visibleError, expectReadable } from '../fixtures.mjs';
import { allowBrokenAnswers, breakEachWay } from '../broken-answers.mjs';
import { expectNoAxeViolations as checkAxe } from '../axe.mjs';
import { API, bodyOf, callsOf, codeBoxes, expectSignedInAs, fillCode, inOwnContext, register, submitPassword } from '../mfa/helpers.mjs';
import { API_CODES, freshPhone, maskEmail, maskPhone, otherCode, outboxCode, registerWithPhoneFactor } from './helpers.mjs';

const axe = (page, testInfo, label) => checkAxe(page, testInfo, label, { soft: true });

/** After `register`: the passkey prompt, skipped, leads to the suggestion chooser. */
async function skipPasskeyToSuggestion(page) {
  await page.waitForURL(/\/create-passkey/);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await expect(page.getByRole('heading', { name: 'Add another 2-step verification method' })).toBeVisible();
}

test('suggestion: the email already added is listed disabled with its address, the others offered, Skip goes on', async ({
  page,
  request,
  guard,
}, testInfo) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred, suggest_additional_mfa and backup_code_required steer the flow');
  await page.setViewportSize({ width: 1280, height: 800 });
  const api = recordApi(page);
  const user = await register(page, request, 'sugg');
  await skipPasskeyToSuggestion(page);

  // What the provider said (Logto's shape): every configured factor, the email's masked address, skippable.
  const suggest = JSON.parse((await callsOf(api, API.submit).at(-1).response) ?? '{}');
  expect(suggest).toMatchObject({
    code: 'session.mfa.suggest_additional_mfa',
    data: {
      availableFactors: ['WebAuthn', 'Totp', 'PhoneVerificationCode', 'EmailVerificationCode'],
      maskedIdentifiers: { EmailVerificationCode: maskEmail(user.email) },
      skippable: true,
      suggestion: true,
    },
  });

  // The email: a disabled button saying it is already added, with the masked address; not a link.
  const added = page.locator('.mfa_factor[data-factor=EmailVerificationCode]');
  await expect(added).toHaveCount(1);
  await expect(added).toBeDisabled();
  await expect(added).toContainText('Email verification code');
  await expect(added).toContainText('Already added');
  await expect(added).toContainText(maskEmail(user.email));
  await expect(page.getByRole('link', { name: /Email verification code/ })).toHaveCount(0);
  // The others: links to their binding screens, in the provider's order.
  const offered = page.locator('a.mfa_factor');
  await expect(offered).toHaveCount(3);
  for (const [i, factor] of ['WebAuthn', 'Totp', 'PhoneVerificationCode'].entries()) {
    await expect(offered.nth(i)).toHaveAttribute('data-factor', factor);
    await expect(offered.nth(i)).toHaveAttribute('href', new RegExp(`/mfa-binding/${factor}(\\?|$)`));
  }
  await axe(page, testInfo, 'mfa-binding-suggestion');

  // A click on the added one does nothing.
  await added.click({ force: true });
  await expect(page).toHaveURL(/\/mfa-binding(\?|$)/);

  // Skip: `mfa-suggestion-skipped` (not `mfa-skipped`) → submit → the backup codes Mandatory asks for → signed in.
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  await expect.poll(() => callsOf(api, API_CODES.suggestionSkipped).map((c) => c.status)).toEqual([204]);
  expect(callsOf(api, API.mfaSkipped)).toHaveLength(0);
  await expect(page.locator('ol.mfa_backupCodes li')).toHaveCount(10);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, user.username);
});

test('phone as a factor from the suggestion: number → SMS code → bound (no second identification) → backup codes → signed in', async ({
  page,
  request,
  guard,
}, testInfo) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred, suggest_additional_mfa and backup_code_required steer the flow');
  guard.allow(/status of 400/, 'the malformed number and the wrong code on purpose');
  await page.setViewportSize({ width: 1280, height: 800 });
  const api = recordApi(page);
  const user = await register(page, request, 'phon');
  await skipPasskeyToSuggestion(page);

  await page.getByRole('link', { name: /SMS verification code/ }).click();
  await page.waitForURL(/\/mfa-binding\/PhoneVerificationCode/);
  await expect(page.getByRole('heading', { name: 'Add a phone for 2-step verification' })).toBeVisible();
  const field = page.locator('input[name=identifier]');
  await expect(field).toBeEditable();
  // Suggestion mode keeps Skip and the way back to the other factors on the factor screen.
  await expect(page.getByRole('button', { name: 'Skip for now' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Use another method' })).toBeVisible();
  await axe(page, testInfo, 'mfa-binding-phone');

  // Not a number: a field error, what was typed kept.
  await field.fill('call me');
  await page.getByRole('button', { name: 'Continue' }).click();
  const { text } = await visibleError(page);
  expectReadable(text);
  await expect(field).toHaveValue('call me');
  expect(callsOf(api, API_CODES.codeSend).filter((c) => bodyOf(c).identifier.type === 'phone')).toHaveLength(0);

  const phone = freshPhone();
  const since = Date.now();
  const sendsBefore = callsOf(api, API_CODES.codeSend).length;
  await field.fill(`+${phone.slice(0, 1)} ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/continue\/verification-code/);
  expect(callsOf(api, API_CODES.codeSend)).toHaveLength(sendsBefore + 1);
  expect(bodyOf(callsOf(api, API_CODES.codeSend).at(-1))).toEqual({
    identifier: { type: 'phone', value: phone },
    interactionEvent: 'Register',
  });
  const sms = await outboxCode(request, phone, since);
  await expect(page.locator('body')).toContainText(phone);

  // A wrong code: an inline message, the boxes empty and usable again.
  await fillCode(page, otherCode(sms.code));
  expectReadable((await visibleError(page)).text);
  await expect(codeBoxes(page)[0]).toHaveValue('');
  await expect(codeBoxes(page)[0]).toBeEditable();

  const identifications = callsOf(api, API.identification).length;
  await fillCode(page, sms.code);
  // The account registered by email and phone sign-up is on: the provider suggests again (as Logto), now with both
  // the email and the new phone added.
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  const profile = callsOf(api, API_CODES.profile).at(-1);
  expect(bodyOf(profile)).toMatchObject({ type: 'phone', verificationId: expect.any(String) });
  expect(callsOf(api, API.identification), 'the registering interaction is not identified again').toHaveLength(
    identifications,
  );
  const again = JSON.parse((await callsOf(api, API.submit).at(-1).response) ?? '{}');
  expect(again).toMatchObject({
    code: 'session.mfa.suggest_additional_mfa',
    data: { maskedIdentifiers: { PhoneVerificationCode: maskPhone(phone), EmailVerificationCode: maskEmail(user.email) } },
  });
  await expect(page.locator('.mfa_factor:disabled')).toHaveCount(2);
  await expect(page.locator('.mfa_factor[data-factor=PhoneVerificationCode]')).toContainText(maskPhone(phone));
  await expect(page.locator('a.mfa_factor')).toHaveCount(2);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, user.username);
});

test('phone verification at the next sign-in: masked number, SMS code → signed in', async ({
  page,
  request,
  browser,
  baseURL,
  guard,
}, testInfo) => {
  const phoneAccount = await inOwnContext({ browser, baseURL }, (own) => registerWithPhoneFactor(own, request));
  guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
  guard.allow(/sign-in-passkey\/authentication/, 'identifier-first passkey lookup: this account has no passkey (400)');
  await page.setViewportSize({ width: 1280, height: 800 });
  const api = recordApi(page);
  const since = Date.now();
  await submitPassword(page, phoneAccount);

  // Phone first (Logto's order), the email and backup codes behind "Try another method".
  await page.waitForURL(/\/mfa-verification\/PhoneVerificationCode/);
  const verify = JSON.parse((await callsOf(api, API.submit).at(-1).response) ?? '{}');
  expect(verify).toMatchObject({
    code: 'session.mfa.require_mfa_verification',
    data: {
      availableFactors: ['PhoneVerificationCode', 'EmailVerificationCode', 'BackupCode'],
      maskedIdentifiers: {
        PhoneVerificationCode: maskPhone(phoneAccount.phone),
        EmailVerificationCode: maskEmail(phoneAccount.email),
      },
    },
  });
  await expect(page.getByRole('heading', { name: 'Check your phone' })).toBeVisible();
  await expect(page.locator('.signIn_description')).toContainText(maskPhone(phoneAccount.phone));
  await expect.poll(() => callsOf(api, API_CODES.mfaCodeSend).map((c) => bodyOf(c))).toEqual([{ identifierType: 'phone' }]);
  await expect(page.getByRole('link', { name: 'Try another method' })).toBeVisible();
  await expect(codeBoxes(page)[0]).toBeEditable();
  await axe(page, testInfo, 'mfa-verification-phone');

  const sms = await outboxCode(request, phoneAccount.phone, since);
  expect(sms.template).toBe('MfaVerification');
  await fillCode(page, sms.code);
  await expectSignedInAs(page, phoneAccount.username);
  const verified = bodyOf(callsOf(api, API_CODES.mfaCodeVerify).at(-1));
  expect(verified).toEqual({ verificationId: expect.any(String), code: sms.code, identifierType: 'phone' });
});

// Broken answers on the suggestion's Skip (#14; end2end/broken-answers.mjs): `mfa-suggestion-skipped` and the submit
// after it each get every breakage in turn: a readable message on the chooser, which stays as it was (the email listed
// as added, the others offered, Skip usable); pressing Skip again sends both again and goes on to the backup codes.
const SUBMIT = { method: 'POST', path: '/api/experience/submit', reads: true };
const SUGGESTION_SKIPPED = { method: 'POST', path: '/api/experience/profile/mfa/mfa-suggestion-skipped', reads: false };
for (const call of [SUGGESTION_SKIPPED, SUBMIT]) {
  test(`suggestion Skip, ${call.method} ${call.path}: every broken answer shows a message, the chooser stays usable, and Skip again goes on`, async ({
    page,
    request,
    guard,
  }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 422/, 'missing_profile, passkey_preferred, suggest_additional_mfa and backup_code_required steer the flow');
    await page.clock.install();
    const user = await register(page, request, 'sgbk');
    await skipPasskeyToSuggestion(page);
    const api = recordApi(page);
    const skip = page.getByRole('button', { name: 'Skip for now' });
    await breakEachWay(page, call, {
      attempt: () => skip.click(),
      ready: async () => {
        await expect(skip).toBeEnabled();
        await expect(page).toHaveURL(/\/mfa-binding(\?|$)/);
      },
      kept: async () => {
        await expect(page.locator('.mfa_factor[data-factor=EmailVerificationCode]')).toBeDisabled();
        await expect(page.locator('a.mfa_factor')).toHaveCount(3);
      },
    });
    await skip.click();
    await page.waitForURL(/\/mfa-binding\/BackupCode/);
    await expect(page.locator('ol.mfa_backupCodes li')).toHaveCount(10);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectSignedInAs(page, user.username);
    expect(callsOf(api, API_CODES.suggestionSkipped).map((c) => c.status), 'the provider took the skip').toContain(204);
    expect(callsOf(api, API.mfaSkipped)).toHaveLength(0);
  });
}
