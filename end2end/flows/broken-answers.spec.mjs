// Broken answers on every call of the code (sign-in, registration, password reset), password-reset link and social
// flows (#14; end2end/broken-answers.mjs): each call gets every breakage in turn, with a readable message, what the
// person entered kept and a working retry each time; then it goes through and the flow finishes. A call after the
// verification resumes from itself: the provider gets one verification (a used code, token or IdP answer checked again
// would be refused).
import { test, expect, recordApi, createUser } from '../fixtures.mjs';
import { BREAKAGES, allowBrokenAnswers, breakEachWay } from '../broken-answers.mjs';
import {
  boxValues, codeSentBy, expectCodeScreen, expectSignedInAs, freshEmail, freshPhone, freshUsername, signInByEmailCode, signInWithPassword,
  startDemo, typeCode,
} from './identifier-helpers.mjs';
import {
  SOCIAL, SSO, accountToLink, atIdp, acceptTermsQuestion, chooseUsername, openSignIn, toLinkQuestion,
  expectSignedInAs as expectSignedInAsNamed, uniqueEmail,
} from './social-helpers.mjs';

const EA = '/api/experience';
const put = { method: 'PUT', path: EA, reads: false };
const identification = { method: 'POST', path: `${EA}/identification`, reads: false };
const submit = { method: 'POST', path: `${EA}/submit`, reads: true };
const key = (call) => `${call.method} ${call.path}`;

/**
 * The screen that sends a code (its field already holds `to`; `call` is broken there when its screen is `first`),
 * then `flow`'s code screen (`call` broken there when its screen is `code`), up to the code verified.
 */
async function throughCode(page, request, call, { first, to, flow }) {
  const identifier = page.locator('input[name=identifier]');
  const button = page.locator('button[name=submit][type=submit]');
  const ready = () => expect(button).toBeEnabled();
  if (call.screen === first) {
    await breakEachWay(page, call, { attempt: () => button.click(), ready, kept: () => expect(identifier).toHaveValue(to) });
  }
  const message = await codeSentBy(request, to, () => button.click());
  await expectCodeScreen(page, flow);
  if (call.screen === 'code') {
    await breakEachWay(page, call, {
      // Completing the boxes verifies; after a failure, Continue tries again with the code the boxes kept.
      attempt: (i) => (i === 0 ? typeCode(page, message.code) : button.click()),
      ready,
      kept: async () => expect(await boxValues(page)).toBe(message.code),
    });
    await button.click();
  } else {
    await typeCode(page, message.code);
  }
}

// Phone is flows.json's code-only sign-in: /sign-in (identifier first) sends the code, the code screen verifies it.
const CODE_VERIFY = { method: 'POST', path: `${EA}/verification/verification-code/verify`, reads: true };
const CODE_CALLS = [
  { ...put, screen: 'sign-in' },
  { method: 'POST', path: `${EA}/verification/verification-code`, reads: true, screen: 'sign-in' },
  { ...CODE_VERIFY, screen: 'code' },
  { ...identification, screen: 'code', afterVerification: true },
  { ...submit, screen: 'code', afterVerification: true },
];

for (const call of CODE_CALLS) {
  test(`code sign-in, ${key(call)}: every broken answer shows a message, keeps the input, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    await page.clock.install();
    const user = await createUser(request, {
      username: freshUsername('Br'),
      name: 'Broken Answers',
      primaryPhone: freshPhone(),
      primaryEmail: freshEmail('br'),
      password: 'Br7-Passw0rd!kq',
    });
    const api = recordApi(page);
    await startDemo(page, '', /\/sign-in/);
    await page.locator('input[name=identifier]').fill(user.primaryPhone);
    await throughCode(page, request, call, { first: 'sign-in', to: user.primaryPhone, flow: /sign-in/ });
    await expectSignedInAs(page, user);
    if (call.afterVerification) expect(api.count(key(CODE_VERIFY)), 'the code was verified once').toBe(1);
  });
}

// A returning social user (the account is linked to the mock IdP's person of its email): the button on /sign-in
// starts the round trip; the callback verifies, identifies and submits, and offers "Try again" when an answer is lost.
const DIRECT_FAILED = "We couldn't open that sign-in provider. Choose another way to sign in.";
const SOCIAL_VERIFY = { method: 'POST', path: `${EA}/verification/social/${SOCIAL.connectorId}/verify`, reads: true };
const SOCIAL_CALLS = [
  { ...put, screen: 'sign-in' },
  { method: 'POST', path: `${EA}/verification/social/${SOCIAL.connectorId}/authorization-uri`, reads: true, screen: 'sign-in' },
  { ...SOCIAL_VERIFY, screen: 'callback' },
  { ...identification, screen: 'callback', afterVerification: true },
  { ...submit, screen: 'callback', afterVerification: true },
];

for (const call of SOCIAL_CALLS) {
  test(`social sign-in, ${key(call)}: every broken answer shows a message, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    await page.clock.install();
    const email = uniqueEmail('brs');
    const username = freshUsername('Bs');
    await createUser(request, { username, name: 'Social Broken', primaryEmail: email, socialIdentities: { [SOCIAL.target]: email } });
    const api = recordApi(page);
    await openSignIn(page);
    const social = page.locator('a.button_social');
    const retry = page.getByRole('button', { name: 'Try again' });

    if (call.screen === 'sign-in') {
      // The button leads to the direct sign-in path, which starts the round trip; a failure comes back to /sign-in
      // with a notice, and the button is there to try again.
      await breakEachWay(page, call, {
        attempt: () => social.click(),
        ready: () => expect(social).toBeVisible(),
        read: async () => ({ text: (await page.locator('.notice_region').filter({ hasText: /\S/ }).innerText()).trim() }),
        says: () => DIRECT_FAILED,
      });
    }
    await social.click();
    if (call.screen === 'callback') {
      await breakEachWay(page, call, {
        attempt: (i) => (i === 0 ? atIdp(page, { email, name: 'Social Broken' }) : retry.click()),
        ready: () => expect(retry).toBeEnabled(),
      });
      await retry.click();
    } else {
      await atIdp(page, { email, name: 'Social Broken' });
    }
    await expectSignedInAsNamed(page, 'Social Broken', username);
    if (call.afterVerification) expect(api.count(key(SOCIAL_VERIFY)), "the IdP's answer was verified once").toBe(1);
  });
}

// A new social identity under flows.json's terms (asked on registration): after "Accept" the account is made from the
// verified IdP answer (interaction-event {Register} → identification, which asks for the username). A lost answer there
// is said on the callback with "Try again", which goes on from the failed call without another round trip to the IdP.
const NEW_IDENTITY_CALLS = [{ method: 'PUT', path: `${EA}/interaction-event`, reads: false }, identification];

for (const call of NEW_IDENTITY_CALLS) {
  test(`social sign-in of a new identity, after the terms, ${key(call)}: every broken answer shows a message, and the retry works`, async ({ page, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of (404|422)/, 'identification answers user.identity_not_exist, then user.missing_profile');
    await page.clock.install();
    const username = freshUsername('Bn');
    const api = recordApi(page);
    await openSignIn(page);
    await page.locator('a.button_social').click();
    await atIdp(page, { email: uniqueEmail('brn'), name: 'New Broken' });
    // The sign-in's identification (user.identity_not_exist) is over once the terms are asked.
    await expect(page.getByRole('dialog')).toBeVisible();
    const retry = page.getByRole('button', { name: 'Try again' });
    await breakEachWay(page, call, {
      attempt: (i) => (i === 0 ? acceptTermsQuestion(page) : retry.click()),
      ready: () => expect(retry).toBeEnabled(),
      kept: () => expect(page).toHaveURL(new RegExp(`/callback/social/${SOCIAL.connectorId}$`)),
    });
    await retry.click();
    await chooseUsername(page, username);
    await expectSignedInAsNamed(page, 'New Broken', username);
    expect(api.count(key(SOCIAL_VERIFY)), "the IdP's answer was verified once").toBe(1);
    expect(api.count(`PUT ${EA}`), 'one interaction').toBe(1);
  });
}

// "Link your accounts?" (/social/link/:id, an IdP email that is an account's): "Link and continue" switches to SignIn,
// identifies with the social identity linked, and submits; a failure is said in a notice and the button tries again.
const LINK_CALLS = [{ method: 'PUT', path: `${EA}/interaction-event`, reads: false }, identification, submit];

for (const call of LINK_CALLS) {
  test(`social link question, ${key(call)}: every broken answer shows a message, and "Link and continue" again signs in`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 404/, 'identification answers 404 user.identity_not_exist with relatedUser');
    await page.clock.install();
    const owner = await accountToLink(request, 'Bl', 'Link Broken');
    const api = recordApi(page);
    await toLinkQuestion(page, owner);
    const link = page.getByRole('button', { name: 'Link and continue' });
    await breakEachWay(page, call, {
      attempt: () => link.click(),
      ready: () => expect(link).toBeEnabled(),
      read: async () => ({ text: (await page.locator('.notice_region').filter({ hasText: /\S/ }).innerText()).trim() }),
      kept: () => expect(page).toHaveURL(new RegExp(`/social/link/${SOCIAL.connectorId}(\\?|$)`)),
    });
    await link.click();
    await expectSignedInAsNamed(page, owner.name, owner.username);
    expect(api.count(key(SOCIAL_VERIFY)), "the IdP's answer was verified once").toBe(1);
  });
}

// Registration by email (flows.json: username and password asked after the code): /register starts and sends the
// code; the code screen verifies and identifies (422 user.missing_profile: the username); /continue/username saves it
// and identifies again (the password is missing); /continue/password saves it, identifies and submits.
const PROFILE = { method: 'POST', path: `${EA}/profile`, reads: false };
const REGISTER_CALLS = [
  { ...put, screen: 'register' },
  { method: 'POST', path: `${EA}/verification/verification-code`, reads: true, screen: 'register' },
  { ...CODE_VERIFY, screen: 'code' },
  { ...identification, screen: 'code', afterVerification: true },
  { ...PROFILE, screen: 'username', afterVerification: true },
  { ...identification, screen: 'username', afterVerification: true },
  { ...PROFILE, screen: 'password', afterVerification: true },
  { ...identification, screen: 'password', afterVerification: true },
  { ...submit, screen: 'password', afterVerification: true },
];

for (const call of REGISTER_CALLS) {
  test(`registration (${call.screen} screen), ${key(call)}: every broken answer shows a message, keeps the input, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 422/, 'identification answers 422 user.missing_profile until the profile is complete');
    await page.clock.install();
    const email = freshEmail('rg');
    const username = freshUsername('Rg');
    const password = 'Rg7-Passw0rd!kq';
    const api = recordApi(page);
    await startDemo(page, 'first_screen=register', /\/register/);
    const identifier = page.locator('input[name=identifier]');
    const button = page.locator('button[name=submit][type=submit]');
    const ready = () => expect(button).toBeEnabled();
    const onScreen = (screen, steps) => (call.screen === screen ? breakEachWay(page, call, { ready, ...steps }) : null);
    await identifier.fill(email);
    await page.locator('input[name=terms]').check();

    await throughCode(page, request, call, { first: 'register', to: email, flow: /register/ });

    await page.waitForURL(/\/continue\/username/);
    await identifier.fill(username);
    await onScreen('username', { attempt: () => button.click(), kept: () => expect(identifier).toHaveValue(username) });
    await button.click();

    await page.waitForURL(/\/continue\/password/);
    const newPassword = page.locator('input[name=newPassword]');
    await newPassword.fill(password);
    await page.locator('input[name=confirmPassword]').fill(password);
    await onScreen('password', { attempt: () => button.click(), kept: () => expect(newPassword).toHaveValue(password) });
    await button.click();
    await expectSignedInAs(page, { name: username, username });
    if (call.afterVerification) expect(api.count(key(CODE_VERIFY)), 'the code was verified once').toBe(1);
  });
}

// Registration with an account's email: the verified code's identification answers user.email_already_in_use and the
// code screen asks "sign in instead?"; Confirm switches the interaction to SignIn, identifies with the verified code and
// submits. After a lost answer the question stays, with the message, and Confirm (or Continue) resumes at the failed call
// (the code, already verified, is not checked again: it would be refused as used).
const SWITCH_CALLS = [{ method: 'PUT', path: `${EA}/interaction-event`, reads: false }, identification, submit];

for (const call of SWITCH_CALLS) {
  test(`registration of an account's email, "sign in instead?", ${key(call)}: every broken answer shows a message, keeps the question, and Confirm resumes`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 422/, 'identification answers 422 user.email_already_in_use');
    await page.clock.install();
    const user = await createUser(request, { username: freshUsername('Bw'), name: 'Switch Broken', primaryEmail: freshEmail('bw'), password: 'Bw7-Passw0rd!kq' });
    const api = recordApi(page);
    await startDemo(page, 'first_screen=register', /\/register/);
    await page.locator('input[name=identifier]').fill(user.primaryEmail);
    await page.locator('input[name=terms]').check();
    const message = await codeSentBy(request, user.primaryEmail, () => page.locator('button[name=submit][type=submit]').click());
    await expectCodeScreen(page, /register/);
    await typeCode(page, message.code);
    const question = page.getByRole('alertdialog');
    const confirm = question.getByRole('button', { name: /confirm/i });
    await breakEachWay(page, call, {
      attempt: () => confirm.click(),
      ready: () => expect(confirm).toBeEnabled(),
      kept: async () => {
        await expect(question).toContainText(user.primaryEmail);
        expect(await boxValues(page)).toBe(message.code);
      },
    });
    // Continue, with the question still open, resumes the accepted switch too (it does not verify the code again).
    await (call === submit ? page.locator('button[name=submit][type=submit]').click() : confirm.click());
    await expectSignedInAs(page, user);
    expect(api.count(key(CODE_VERIFY)), 'the code was verified once').toBe(1);
  });
}

// Sign-in by code of an email nobody has: the verified code's identification answers user.user_not_exist and the code
// screen asks "create an account?"; Confirm asks for the terms (flows.json), then switches the interaction to Register
// and identifies with the verified code (the username is asked next). After a lost answer the question stays with the
// message and Confirm resumes at the failed call (the terms, accepted, are not asked again).
const CREATE_CALLS = [{ method: 'PUT', path: `${EA}/interaction-event`, reads: false }, identification];

for (const call of CREATE_CALLS) {
  test(`sign-in by code of an unknown email, "create an account?", ${key(call)}: every broken answer shows a message, keeps the question, and Confirm resumes`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of (404|422)/, 'user.user_not_exist, then user.missing_profile for the new account');
    await page.clock.install();
    const email = freshEmail('bk');
    const api = recordApi(page);
    const message = await signInByEmailCode(page, request, email);
    const question = page.getByRole('alertdialog');
    const confirm = question.getByRole('button', { name: /confirm/i });
    await breakEachWay(page, call, {
      attempt: async (i) => {
        await confirm.click();
        if (i === 0) await page.getByRole('dialog').getByRole('button', { name: /accept/i }).click();
      },
      ready: () => expect(confirm).toBeEnabled(),
      kept: async () => {
        await expect(question).toContainText(email);
        expect(await boxValues(page)).toBe(message.code);
      },
    });
    await confirm.click();
    await chooseUsername(page, freshUsername('Bk'));
    await page.waitForURL(/\/demo\/callback|\/continue\/password/);
    expect(api.count(key(CODE_VERIFY)), 'the code was verified once').toBe(1);
    const switches = api.calls.filter((c) => c.key === `PUT ${EA}/interaction-event`);
    expect(JSON.parse(switches.at(-1).body)).toEqual({ interactionEvent: 'Register' });
  });
}

// A missing profile field inside a sign-in (flows.json's sign-up requires an email; this account has none): after the
// password, /continue/email sends a code within the interaction (no PUT), and the code screen verifies it, adds the
// email to the profile and submits.
const CONTINUE_CALLS = [
  { method: 'POST', path: `${EA}/verification/verification-code`, reads: true, screen: 'continue' },
  { ...CODE_VERIFY, screen: 'code' },
  { ...PROFILE, screen: 'code', afterVerification: true },
  { ...submit, screen: 'code', afterVerification: true },
];

for (const call of CONTINUE_CALLS) {
  test(`missing email after a password sign-in (${call.screen} screen), ${key(call)}: every broken answer shows a message, keeps the input, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 422/, 'identification answers 422 user.missing_profile: the email');
    await page.clock.install();
    const user = await createUser(request, { username: freshUsername('Bc'), name: 'Continue Broken', password: 'Bc7-Passw0rd!kq' });
    const api = recordApi(page);
    await signInWithPassword(page, user);
    await page.waitForURL(/\/continue\/email/);
    const email = freshEmail('bc');
    await page.locator('input[name=identifier]').fill(email);
    await throughCode(page, request, call, { first: 'continue', to: email, flow: /continue/ });
    await expectSignedInAs(page, user);
    expect(api.count(key(put)), 'all in the one interaction').toBe(1);
    if (call.afterVerification) expect(api.count(key(CODE_VERIFY)), 'the code was verified once').toBe(1);
  });
}

// "Send a new code" on the code screen (after its countdown): a lost answer is said under the boxes and the button
// stays to try again; the code that then arrives signs in.
const RESEND = { method: 'POST', path: `${EA}/verification/verification-code`, reads: true };

test(`code sign-in, "Send a new code", ${key(RESEND)}: every broken answer shows a message, and sending again works`, async ({ page, request, guard }) => {
  allowBrokenAnswers(guard);
  await page.clock.install();
  const user = await createUser(request, { username: freshUsername('Bn'), name: 'Resend Broken', primaryPhone: freshPhone(), primaryEmail: freshEmail('bn'), password: 'Bn7-Passw0rd!kq' });
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(user.primaryPhone);
  await codeSentBy(request, user.primaryPhone, () => page.locator('button[name=submit][type=submit]').click());
  await expectCodeScreen(page, /sign-in/);
  await page.clock.runFor(60_000);
  const resend = page.getByRole('button', { name: 'Send a new code' });
  await breakEachWay(page, RESEND, { attempt: () => resend.click(), ready: () => expect(resend).toBeEnabled() });
  const message = await codeSentBy(request, user.primaryPhone, () => resend.click());
  await expect(resend, 'a new countdown').toHaveCount(0);
  await typeCode(page, message.code);
  await expectSignedInAs(page, user);
});

// The code screen opened with no stored step (a new tab, a copied URL) asks the provider which code its interaction
// waits for. A lost answer is said with "Try again", which asks again; then the code verifies as usual. Any JSON is the
// provider's word: one that names no pending code starts over on sign-in, so the wrong shape is not a breakage here.
const INTERACTION = { method: 'GET', path: `${EA}/interaction`, reads: true };

test(`code screen opened without its stored step, ${key(INTERACTION)}: every broken answer shows a message, and Try again resumes`, async ({ page, request, guard }) => {
  allowBrokenAnswers(guard);
  await page.clock.install();
  const user = await createUser(request, { username: freshUsername('Bi'), name: 'Resume Broken', primaryPhone: freshPhone(), primaryEmail: freshEmail('bi'), password: 'Bi7-Passw0rd!kq' });
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(user.primaryPhone);
  const message = await codeSentBy(request, user.primaryPhone, () => page.locator('button[name=submit][type=submit]').click());
  await expectCodeScreen(page, /sign-in/);
  const url = page.url();
  await page.evaluate(() => sessionStorage.clear());
  const retry = page.getByRole('button', { name: 'Try again' });
  await breakEachWay(page, INTERACTION, {
    attempt: (i) => (i === 0 ? page.reload() : retry.click()),
    ready: () => expect(retry).toBeEnabled(),
    kept: () => expect(page).toHaveURL(url),
    breakages: BREAKAGES.filter((b) => b.name !== 'JSON of the wrong shape'),
  });
  await retry.click();
  await expectCodeScreen(page, /sign-in/);
  await typeCode(page, message.code);
  await expectSignedInAs(page, user);
});

// Bind and continue: a new social identity's person gives, on /continue/email, an account's email; its code proven, the
// code screen offers to link the identity to that account (interaction-event {SignIn}, identification with the code,
// profile {social}, submit: the "sign in instead?" sequence above plus the profile call, which is broken here).
test(`social identity bound to an account's email ("Link and continue" after its code), ${key(PROFILE)}: every broken answer shows a message, keeps the offer, and it resumes`, async ({ page, request, guard }) => {
  allowBrokenAnswers(guard);
  guard.allow(/status of (404|422)/, 'user.identity_not_exist with relatedUser, then user.missing_profile and user.email_already_in_use');
  await page.clock.install();
  const owner = await accountToLink(request, 'Bb', 'Bind Broken');
  const api = recordApi(page);
  await toLinkQuestion(page, owner);
  await page.getByRole('button', { name: /new account instead|separate account/i }).click();
  await page.getByRole('dialog').getByRole('button', { name: /accept/i }).click();
  await page.waitForURL(/\/continue\/email/);
  await page.locator('input[name=identifier]').fill(owner.primaryEmail);
  const message = await codeSentBy(request, owner.primaryEmail, () => page.locator('button[type=submit]').click());
  await expectCodeScreen(page, /continue/);
  await typeCode(page, message.code);
  const offer = page.getByRole('alertdialog');
  const link = offer.getByRole('button', { name: 'Link and continue' });
  await breakEachWay(page, PROFILE, {
    attempt: () => link.click(),
    ready: () => expect(link).toBeEnabled(),
    kept: () => expect(offer).toContainText(owner.primaryEmail),
  });
  await link.click();
  await expectSignedInAsNamed(page, owner.name, owner.username);
  expect(api.count(key(CODE_VERIFY)), 'the code was verified once').toBe(1);
  expect(api.count(`PUT ${EA}/interaction-event`), 'one switch to SignIn after the Register').toBe(2);
});

// Forgot password by email: /forgot-password sends the code, the code screen verifies it and identifies the account
// (submit answers user.new_password_required_in_profile, which leads to the new password), /forgot-password/reset
// saves the password and submits (204, no body: a 200 of any shape counts as done, so only failures apply there).
const RESET_CALLS = [
  { ...put, screen: 'forgot' },
  { method: 'POST', path: `${EA}/verification/verification-code`, reads: true, screen: 'forgot' },
  { ...CODE_VERIFY, screen: 'code' },
  { ...identification, screen: 'code', afterVerification: true },
  { ...submit, screen: 'code', afterVerification: true },
  { method: 'PUT', path: `${EA}/profile/password`, reads: false, screen: 'reset', afterVerification: true },
  { ...submit, reads: false, screen: 'reset', afterVerification: true },
];

for (const call of RESET_CALLS) {
  test(`forgot password (${call.screen} screen), ${key(call)}: every broken answer shows a message, keeps the input, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 422/, 'submit answers 422 user.new_password_required_in_profile before the new password');
    await page.clock.install();
    const user = await createUser(request, {
      username: freshUsername('Rb'),
      primaryEmail: freshEmail('rb'),
      password: 'Rb7-Passw0rd!kq',
    });
    const newPassword = 'Rb8-Passw0rd!mz';
    const api = recordApi(page);
    await startDemo(page, 'first_screen=reset_password', /\/(reset-password|forgot-password)/);
    const button = page.locator('button[name=submit][type=submit]');
    const ready = () => expect(button).toBeEnabled();
    await page.locator('input[name=identifier]').fill(user.primaryEmail);
    await throughCode(page, request, call, { first: 'forgot', to: user.primaryEmail, flow: /forgot-password/ });
    await page.waitForURL(/\/forgot-password\/reset/);
    const password = page.locator('input[name=newPassword]');
    const confirm = page.locator('input[name=confirmPassword]');
    await password.fill(newPassword);
    await confirm.fill(newPassword);
    if (call.screen === 'reset') {
      await breakEachWay(page, call, {
        attempt: () => button.click(),
        ready,
        kept: async () => {
          await expect(password).toHaveValue(newPassword);
          await expect(confirm).toHaveValue(newPassword);
        },
      });
    }
    await button.click();
    await page.waitForURL(/\/sign-in(\?|$)/);
    await expect(page.locator('.notice_region')).toContainText(/changed/i);
    if (call.afterVerification) expect(api.count(key(CODE_VERIFY)), 'the code was verified once').toBe(1);
  });
}

// The password-reset magic link (first_screen=reset_password with one_time_token and login_hint): the landing starts at
// once with the link's email in the field; a failure is said under it and Continue tries again, from the failed call
// once the token is verified (a used token is refused, so the provider must get it once); then the new password.
const LINK_VERIFY = { method: 'POST', path: `${EA}/verification/one-time-token/verify`, reads: true };
const RESET_LINK_CALLS = [put, LINK_VERIFY, { ...identification, afterVerification: true }];

for (const call of RESET_LINK_CALLS) {
  test(`password-reset magic link, ${key(call)}: every broken answer shows a message, keeps the email, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    await page.clock.install();
    const user = await createUser(request, { username: freshUsername('Ml'), primaryEmail: freshEmail('ml'), password: 'Ml7-Passw0rd!kq' });
    const minted = await request.post('/admin/one-time-tokens', { data: { email: user.primaryEmail } });
    expect(minted.status()).toBe(201);
    const { token } = await minted.json();
    const link = `first_screen=reset_password&one_time_token=${encodeURIComponent(token)}&login_hint=${encodeURIComponent(user.primaryEmail)}`;
    const api = recordApi(page);
    const email = page.locator('input[name=identifier]');
    const button = page.locator('button[name=submit][type=submit]');
    await breakEachWay(page, call, {
      attempt: (i) => (i === 0 ? startDemo(page, link, /\/(reset-password|forgot-password)/) : button.click()),
      ready: () => expect(button).toBeEnabled(),
      kept: async () => {
        await expect(email).toHaveValue(user.primaryEmail);
        await expect(page).toHaveURL(/\/(reset-password|forgot-password)$/);
      },
    });
    await button.click();
    await page.waitForURL(/\/forgot-password\/reset/);
    const newPassword = 'Ml8-Passw0rd!mz';
    await page.locator('input[name=newPassword]').fill(newPassword);
    await page.locator('input[name=confirmPassword]').fill(newPassword);
    await button.click();
    await page.waitForURL(/\/sign-in(\?|$)/);
    await expect(page.locator('.notice_region')).toContainText(/changed/i);
    if (call.afterVerification) expect(api.count(key(LINK_VERIFY)), 'the token was sent once').toBe(1);
  });
}

// Enterprise SSO from /single-sign-on/email: the domain's connectors are looked up, the direct path starts the round
// trip (its failures come back with a notice, like social sign-in's), and the callback verifies the IdP's answer (a new
// identity: the terms question, then the account).
const SSO_CALLS = [
  { method: 'GET', path: `${EA}/sso-connectors`, reads: true, screen: 'email' },
  { method: 'POST', path: `${EA}/verification/sso/${SSO.connectorId}/authorization-uri`, reads: true, screen: 'direct' },
  { method: 'POST', path: `${EA}/verification/sso/${SSO.connectorId}/verify`, reads: true, screen: 'callback' },
];

for (const call of SSO_CALLS) {
  test(`SSO, ${key(call)}: every broken answer shows a message, and the retry works`, async ({ page, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 404/, 'identification answers 404 user.sso_identity_not_exist for a new SSO identity');
    await page.clock.install();
    const email = uniqueEmail('brsso', SSO.domain);
    await openSignIn(page);
    const field = page.locator('input[name=identifier]');
    const button = page.locator('button[type=submit]');
    const retry = page.getByRole('button', { name: 'Try again' });
    /** From wherever the last attempt left the person: "Use single sign-on", the work email, Continue. */
    const toIdp = async () => {
      if (!/\/single-sign-on/.test(page.url())) {
        await page.locator('a.signIn_singleSignOn').click();
        await page.waitForURL(/\/single-sign-on\/email(\?|$)/);
      }
      await field.fill(email);
      await button.click();
    };

    if (call.screen === 'email') {
      await field.fill(email);
      await breakEachWay(page, call, {
        attempt: () => (/\/single-sign-on\/email/.test(page.url()) ? button.click() : toIdp()),
        ready: () => expect(button).toBeEnabled(),
        kept: () => expect(field).toHaveValue(email),
      });
    }
    if (call.screen === 'direct') {
      // A failed start comes back to /single-sign-on with a notice and the email in the field: Continue tries again.
      await breakEachWay(page, call, {
        attempt: (i) => (i === 0 ? toIdp() : button.click()),
        ready: () => expect(page.locator('.notice_region')).toHaveText(/\S/),
        read: async () => ({ text: (await page.locator('.notice_region').filter({ hasText: /\S/ }).innerText()).trim() }),
        says: () => DIRECT_FAILED,
        kept: async () => {
          await expect(page).toHaveURL(/\/single-sign-on(\?|$)/);
          await expect(field).toHaveValue(email);
        },
      });
      await button.click();
    } else {
      await toIdp();
    }
    if (call.screen === 'callback') {
      await breakEachWay(page, call, {
        attempt: (i) => (i === 0 ? atIdp(page, { email, name: 'Acme Broken', connector: SSO.name }) : retry.click()),
        ready: () => expect(retry).toBeEnabled(),
      });
      await retry.click();
    } else {
      await atIdp(page, { email, name: 'Acme Broken', connector: SSO.name });
    }
    await acceptTermsQuestion(page);
    await expectSignedInAsNamed(page, 'Acme Broken');
  });
}
