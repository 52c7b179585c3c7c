// Broken answers on every call of a code factor (an email or an SMS code as second factor; #14,
// end2end/broken-answers.mjs), under mfa-email.json: verification (the code sent when the screen opens, "Send a new
// code", its verification, submit) and binding (the code sent to the address typed, its verification, the profile,
// submit). Each call gets every breakage in turn, with a readable message, what the person entered kept and a working
// retry each time; then it goes through and the flow finishes. After the verification the retry resumes from the failed
// call: the provider gets one verification (a code is good once). Not a spec: broken-answers.spec.mjs (email) and
// phone-broken-answers.spec.mjs declare these tests for their factor.
import crypto from 'node:crypto';
import { test, expect, recordApi, createUser, form } from '../fixtures.mjs';
import { allowBrokenAnswers, breakEachWay } from '../broken-answers.mjs';
import { bodyOf, callsOf, codeBoxes, expectSignedInAs as signedInAs, fillCode, register, submitPassword } from '../mfa/helpers.mjs';
import { API_CODES, freshPhone, outboxCode, registerWithPhone } from './helpers.mjs';

/**
 * What differs between the two code factors: `account(username)`, the fields of an account whose factor this is (with
 * `to`, where its codes go); `registerOther`, a registration whose factor is the other one (the binding adds this one
 * from the suggestion); `typedAddress(user)`, what the person types on the binding screen and `to`, where its code goes.
 */
export const EMAIL_FACTOR = {
  name: 'email',
  type: 'email',
  factor: 'EmailVerificationCode',
  link: /Email verification code/,
  account: (username) => {
    const email = `${username}@example.com`;
    return { fields: { primaryEmail: email }, to: email };
  },
  registerOther: registerWithPhone,
  typedAddress: (user) => {
    const email = `${user.username}@example.com`;
    return { typed: email, to: email };
  },
};

export const PHONE_FACTOR = {
  name: 'SMS',
  type: 'phone',
  factor: 'PhoneVerificationCode',
  link: /SMS verification code/,
  account: () => {
    const phone = freshPhone();
    return { fields: { primaryPhone: phone }, to: phone };
  },
  registerOther: register,
  // Typed as people write it; the provider gets the digits.
  typedAddress: () => {
    const phone = freshPhone();
    return { typed: `+${phone.slice(0, 1)} ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`, to: phone };
  },
};

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

/**
 * An account whose only code factor is `factor` (and backup codes), signed in with its password up to the factor's
 * screen. Returns `{ user, to, since }`: `to` where its codes go, `since` before the first one was sent.
 */
async function atCodeStep(page, request, factor) {
  const user = { username: tag('bre'), password: 'Br0ken-Answ3rs!x' };
  const { fields, to } = factor.account(user.username);
  const backupCodes = [crypto.randomBytes(5).toString('hex'), crypto.randomBytes(5).toString('hex')];
  await createUser(request, { ...user, ...fields, backupCodes });
  const since = Date.now();
  await submitPassword(page, user);
  await page.waitForURL(new RegExp(`/mfa-verification/${factor.factor}`));
  return { user, to, since };
}

const MFA_SEND = { method: 'POST', path: `${EA}/verification/mfa-verification-code`, reads: true };
const MFA_VERIFY = { method: 'POST', path: `${EA}/verification/mfa-verification-code/verify`, reads: true };
const VERIFICATION_CALLS = [
  { ...MFA_SEND, how: 'when the screen opens' },
  { ...MFA_SEND, how: 'Send a new code' },
  MFA_VERIFY,
  { ...submit, afterVerification: true },
];

const CODE_SEND = { method: 'POST', path: `${EA}/verification/verification-code`, reads: true, screen: 'address' };
const CODE_VERIFY = { method: 'POST', path: `${EA}/verification/verification-code/verify`, reads: true, screen: 'code' };
const BINDING_CALLS = [
  CODE_SEND,
  CODE_VERIFY,
  { method: 'POST', path: `${EA}/profile`, reads: false, screen: 'code', afterVerification: true },
  // Answered with session.mfa.suggest_additional_mfa: the suggestion again, the factor listed as added.
  { ...submit, screen: 'code', afterVerification: true },
];

/** Declares the verification and binding tests of `factor` (EMAIL_FACTOR or PHONE_FACTOR) in the calling spec. */
export function codeFactorBrokenAnswerTests(factor) {
  for (const call of VERIFICATION_CALLS) {
    const name = `${factor.name} code verification, ${key(call)}${call.how ? ` (${call.how})` : ''}`;
    test(`${name}: every broken answer shows a message, keeps the code, and the retry works`, async ({ page, request, guard }) => {
      allowBrokenAnswers(guard);
      guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
      guard.allow(/sign-in-passkey\/authentication/, 'identifier-first passkey lookup: this account has no passkey (400)');
      // The resend countdown and the page's timeout run on the page's clock.
      await page.clock.install();
      const { user, to, since } = await atCodeStep(page, request, factor);
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
        code = (await outboxCode(request, to, before)).code;
      } else if (call.how === 'Send a new code') {
        await outboxCode(request, to, since);
        await page.clock.runFor(60_000);
        await breakEachWay(page, call, { attempt: () => resend.click(), ready: () => expect(resend).toBeEnabled() });
        const before = Date.now();
        await resend.click();
        await expect(resend, 'a new countdown').toHaveCount(0);
        code = (await outboxCode(request, to, before)).code;
      } else {
        code = (await outboxCode(request, to, since)).code;
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
        expect(bodyOf(verified)).toEqual({ verificationId: sent.verificationId, code, identifierType: factor.type });
      }
      if (call.afterVerification) expect(api.count(API_CODES.mfaCodeVerify), 'the code was verified once').toBe(1);
    });
  }

  // Binding: an account registered with the other factor adds this one from the suggestion.
  for (const call of BINDING_CALLS) {
    test(`${factor.name} code binding, ${key(call)}: every broken answer shows a message, keeps the input, and the retry works`, async ({
      page,
      request,
      guard,
    }) => {
      allowBrokenAnswers(guard);
      guard.allow(/status of 422/, 'missing_profile, passkey_preferred, suggest_additional_mfa and backup_code_required steer the flow');
      await page.clock.install();
      const user = await factor.registerOther(page, request, 'brb');
      await page.waitForURL(/\/create-passkey/);
      await page.getByRole('button', { name: 'Skip for now' }).click();
      await page.waitForURL(/\/mfa-binding(\?|$)/);
      await page.getByRole('link', { name: factor.link }).click();
      await page.waitForURL(new RegExp(`/mfa-binding/${factor.factor}`));
      const api = recordApi(page);
      const field = form(page).identifier;
      const button = page.getByRole('button', { name: 'Continue' });
      const address = factor.typedAddress(user);
      await expect(field).toBeEditable();
      await field.fill(address.typed);
      if (call.screen === 'address') {
        await breakEachWay(page, call, {
          attempt: () => button.click(),
          ready: () => expect(button).toBeEnabled(),
          kept: async () => {
            await expect(field).toHaveValue(address.typed);
            await expect(page).toHaveURL(new RegExp(`/mfa-binding/${factor.factor}`));
          },
        });
      }
      const since = Date.now();
      await button.click();
      await page.waitForURL(/\/continue\/verification-code/);
      const { code } = await outboxCode(request, address.to, since);
      expect(bodyOf(callsOf(api, API_CODES.codeSend).at(-1)).identifier, 'the code went where the person said').toEqual({
        type: factor.type,
        value: address.to,
      });
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
      await expect(page.locator(`.mfa_factor[data-factor=${factor.factor}]`), `the ${factor.name} factor is bound`).toBeDisabled();
      const bound = callsOf(api, API_CODES.profile).filter((c) => c.status === 204);
      expect(bound.map((c) => bodyOf(c).type), 'bound once').toEqual([factor.type]);
      if (call.afterVerification) expect(api.count(API_CODES.codeVerify), 'the code was verified once').toBe(1);
      await page.getByRole('button', { name: 'Skip for now' }).click();
      await page.waitForURL(/\/mfa-binding\/BackupCode/);
      await page.getByRole('button', { name: 'Continue' }).click();
      await expectSignedInAs(page, user.username);
    });
  }
}
