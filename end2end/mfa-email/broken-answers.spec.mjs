// Broken answers on every call of the email code as second factor (#14; end2end/broken-answers.mjs), under
// mfa-email.json: verification (the code sent when the screen opens, "Send a new code", its verification, submit)
// and binding (the code sent to the address typed, its verification, the profile, submit). Each call gets every
// breakage in turn, with a readable message, what the person entered kept and a working retry each time; then it goes
// through and the flow finishes. After the verification the retry resumes from the failed call: the provider gets one
// verification (a code is good once).
import crypto from 'node:crypto';
import { test, expect, recordApi, createUser, form } from '../fixtures.mjs';
import { allowBrokenAnswers, breakEachWay } from '../broken-answers.mjs';
import { bodyOf, callsOf, codeBoxes, expectSignedInAs as signedInAs, fillCode, submitPassword } from '../mfa/helpers.mjs';
import { API_CODES, outboxCode, registerWithPhone } from './helpers.mjs';

const EA = '/api/experience';
const submit = { method: 'POST', path: `${EA}/submit`, reads: true };
const key = (call) => `${call.method} ${call.path}`;
const tag = (prefix) => `${prefix}_${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;

/** Signed in, past the passkey offer mfa-email.json makes to an account without one (this one never declined it). */
async function expectSignedInAs(page, username) {
  await page.waitForURL(/\/create-passkey|\/demo\/callback/, { timeout: 30_000 });
  if (page.url().includes('/create-passkey')) await page.getByRole('button', { name: 'Skip for now' }).click();
  await signedInAs(page, username);
}
const typed = async (page) => (await Promise.all(codeBoxes(page).map((b) => b.inputValue()))).join('');

/** An account whose email is its factor (and backup codes), signed in with its password up to the email code step. */
async function atEmailStep(page, request) {
  const user = { username: tag('bre'), password: 'Br0ken-Answ3rs!x' };
  user.email = `${user.username}@example.com`;
  const backupCodes = [crypto.randomBytes(5).toString('hex'), crypto.randomBytes(5).toString('hex')];
  await createUser(request, { ...user, primaryEmail: user.email, backupCodes });
  const since = Date.now();
  await submitPassword(page, user);
  await page.waitForURL(/\/mfa-verification\/EmailVerificationCode/);
  return { user, since };
}

const MFA_SEND = { method: 'POST', path: `${EA}/verification/mfa-verification-code`, reads: true };
const MFA_VERIFY = { method: 'POST', path: `${EA}/verification/mfa-verification-code/verify`, reads: true };
const VERIFICATION_CALLS = [
  { ...MFA_SEND, how: 'when the screen opens' },
  { ...MFA_SEND, how: 'Send a new code' },
  MFA_VERIFY,
  { ...submit, afterVerification: true },
];
for (const call of VERIFICATION_CALLS) {
  const name = `email code verification, ${key(call)}${call.how ? ` (${call.how})` : ''}`;
  test(`${name}: every broken answer shows a message, keeps the code, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
    guard.allow(/sign-in-passkey\/authentication/, 'identifier-first passkey lookup: this account has no passkey (400)');
    // The resend countdown and the page's timeout run on the page's clock.
    await page.clock.install();
    const { user, since } = await atEmailStep(page, request);
    const api = recordApi(page);
    const button = page.getByRole('button', { name: 'Continue' });
    const resend = page.getByRole('button', { name: 'Send a new code' });
    let code;
    if (call.how === 'when the screen opens') {
      // No code on its way: Continue asks for one again.
      await breakEachWay(page, call, {
        attempt: async (i) => (i === 0 ? page.reload() : button.click()),
        ready: () => expect(button).toBeEnabled(),
      });
      const before = Date.now();
      await button.click();
      code = (await outboxCode(request, user.email, before)).code;
    } else if (call.how === 'Send a new code') {
      await outboxCode(request, user.email, since);
      await page.clock.runFor(60_000);
      await breakEachWay(page, call, { attempt: () => resend.click(), ready: () => expect(resend).toBeEnabled() });
      const before = Date.now();
      await resend.click();
      await expect(resend, 'a new countdown').toHaveCount(0);
      code = (await outboxCode(request, user.email, before)).code;
    } else {
      code = (await outboxCode(request, user.email, since)).code;
      await breakEachWay(page, call, {
        attempt: (i) => (i === 0 ? fillCode(page, code) : button.click()),
        ready: () => expect(button).toBeEnabled(),
        kept: async () => expect(await typed(page)).toBe(code),
      });
    }
    if (call.path === MFA_SEND.path) await fillCode(page, code);
    else await button.click();
    await expectSignedInAs(page, user.username);
    const verified = callsOf(api, API_CODES.mfaCodeVerify).at(-1);
    expect(verified.status).toBe(200);
    if (call.path === MFA_SEND.path) {
      // The code checked is the one of the send that went through (the last one).
      const sent = JSON.parse(await callsOf(api, API_CODES.mfaCodeSend).at(-1).response);
      expect(bodyOf(verified)).toEqual({ verificationId: sent.verificationId, code, identifierType: 'email' });
    }
    if (call.afterVerification) expect(api.count(API_CODES.mfaCodeVerify), 'the code was verified once').toBe(1);
  });
}

// Binding: an account registered with a phone adds its email from the suggestion (as in email.spec.mjs).
const CODE_SEND = { method: 'POST', path: `${EA}/verification/verification-code`, reads: true, screen: 'address' };
const CODE_VERIFY = { method: 'POST', path: `${EA}/verification/verification-code/verify`, reads: true, screen: 'code' };
const BINDING_CALLS = [
  CODE_SEND,
  CODE_VERIFY,
  { method: 'POST', path: `${EA}/profile`, reads: false, screen: 'code', afterVerification: true },
  // Answered with session.mfa.suggest_additional_mfa: the suggestion again, the email listed as added.
  { ...submit, screen: 'code', afterVerification: true },
];
for (const call of BINDING_CALLS) {
  test(`email code binding, ${key(call)}: every broken answer shows a message, keeps the input, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 422/, 'missing_profile, passkey_preferred, suggest_additional_mfa and backup_code_required steer the flow');
    await page.clock.install();
    const user = await registerWithPhone(page, request, 'brb');
    await page.waitForURL(/\/create-passkey/);
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await page.waitForURL(/\/mfa-binding(\?|$)/);
    await page.getByRole('link', { name: /Email verification code/ }).click();
    await page.waitForURL(/\/mfa-binding\/EmailVerificationCode/);
    const api = recordApi(page);
    const field = form(page).identifier;
    const button = page.getByRole('button', { name: 'Continue' });
    const email = `${user.username}@example.com`;
    await expect(field).toBeEditable();
    await field.fill(email);
    if (call.screen === 'address') {
      await breakEachWay(page, call, {
        attempt: () => button.click(),
        ready: () => expect(button).toBeEnabled(),
        kept: async () => {
          await expect(field).toHaveValue(email);
          await expect(page).toHaveURL(/\/mfa-binding\/EmailVerificationCode/);
        },
      });
    }
    const since = Date.now();
    await button.click();
    await page.waitForURL(/\/continue\/verification-code/);
    const { code } = await outboxCode(request, email, since);
    if (call.screen === 'code') {
      await breakEachWay(page, call, {
        attempt: (i) => (i === 0 ? fillCode(page, code) : button.click()),
        ready: () => expect(button).toBeEnabled(),
        kept: async () => expect(await typed(page)).toBe(code),
      });
      await button.click();
    } else {
      await fillCode(page, code);
    }
    await page.waitForURL(/\/mfa-binding(\?|$)/);
    await expect(page.locator('.mfa_factor[data-factor=EmailVerificationCode]'), 'the email is bound').toBeDisabled();
    if (call.afterVerification) expect(api.count(API_CODES.codeVerify), 'the code was verified once').toBe(1);
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await page.waitForURL(/\/mfa-binding\/BackupCode/);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectSignedInAs(page, user.username);
  });
}
