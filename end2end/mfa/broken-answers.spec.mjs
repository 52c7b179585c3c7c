// Broken answers on every call of MFA verification (TOTP, backup code, passkey), of MFA binding (TOTP, backup codes,
// WebAuthn), of passkey creation and of passkey sign-in (the button, identifier first) (#14; end2end/broken-answers.mjs):
// each call gets every breakage in turn, with a readable message, what the person entered kept and a working retry each
// time; then it goes through and the flow finishes. After the verification the retry resumes from the failed call:
// the provider gets one verification (a TOTP or backup code, or a passkey's answer to a challenge, is good once).
import crypto from 'node:crypto';
import { test, expect, recordApi, createUser, form, visibleError, expectNotBlank } from '../fixtures.mjs';
import { allowBrokenAnswers, breakEachWay } from '../broken-answers.mjs';
import {
  API,
  accountWithPasskey,
  addVirtualAuthenticator,
  bodyOf,
  callsOf,
  codeBoxes,
  expectSignedInAs as signedInAs,
  fillCode,
  freshTotp,
  shownTotpSecret,
  submitPassword,
  withoutPasskeyAutofill,
} from './helpers.mjs';

/** Signed in, past the passkey offer mfa.json makes to an account without one (these accounts never declined it). */
async function expectSignedInAs(page, username) {
  await page.waitForURL(/\/create-passkey|\/demo\/callback/, { timeout: 30_000 });
  if (page.url().includes('/create-passkey')) await page.getByRole('button', { name: 'Skip for now' }).click();
  await signedInAs(page, username);
}

const EA = '/api/experience';
const submit = { method: 'POST', path: `${EA}/submit`, reads: true };
const key = (call) => `${call.method} ${call.path}`;
const tag = (prefix) => `${prefix}_${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
const PASSWORD = 'Br0ken-Answ3rs!x';

/** An account with TOTP and backup codes, signed in with its password up to `/mfa-verification/Totp`. */
async function atTotpStep(page, request) {
  const secret = crypto.randomBytes(20).toString('hex').slice(0, 32).toUpperCase().replace(/[^A-Z2-7]/g, 'A');
  const user = { username: tag('brk'), password: PASSWORD };
  const backupCodes = [crypto.randomBytes(5).toString('hex'), crypto.randomBytes(5).toString('hex')];
  await createUser(request, { ...user, primaryEmail: `${user.username}@example.com`, totpSecret: secret, backupCodes });
  await submitPassword(page, user);
  await page.waitForURL(/\/mfa-verification\/Totp/);
  return { user, secret, backupCodes };
}

const TOTP_VERIFY = { method: 'POST', path: `${EA}/verification/totp/verify`, reads: true };
for (const call of [TOTP_VERIFY, { ...submit, afterVerification: true }]) {
  test(`TOTP verification, ${key(call)}: every broken answer shows a message, keeps the code, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    await page.clock.install();
    const { user, secret } = await atTotpStep(page, request);
    const api = recordApi(page);
    const button = page.getByRole('button', { name: 'Continue' });
    const code = await freshTotp(secret);
    const boxes = codeBoxes(page);
    await breakEachWay(page, call, {
      attempt: (i) => (i === 0 ? fillCode(page, code) : button.click()),
      ready: () => expect(button).toBeEnabled(),
      kept: async () => expect((await Promise.all(boxes.map((b) => b.inputValue()))).join('')).toBe(code),
    });
    if (call.afterVerification) await button.click();
    else {
      // A code of the current time step (the broken attempts took a while), typed into emptied boxes.
      for (const box of boxes) await box.fill('');
      await fillCode(page, await freshTotp(secret));
    }
    await expectSignedInAs(page, user.username);
    if (call.afterVerification) expect(api.count(API.totpVerify), 'the code was verified once').toBe(1);
  });
}

const BACKUP_VERIFY = { method: 'POST', path: `${EA}/verification/backup-code/verify`, reads: true };
for (const call of [BACKUP_VERIFY, { ...submit, afterVerification: true }]) {
  test(`backup code verification, ${key(call)}: every broken answer shows a message, keeps the code, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    await page.clock.install();
    const { user, backupCodes } = await atTotpStep(page, request);
    await page.getByRole('link', { name: 'Try another method' }).click();
    await page.getByRole('link', { name: /Backup code/ }).click();
    await page.waitForURL(/\/mfa-verification\/BackupCode/);
    const api = recordApi(page);
    const input = page.getByLabel('Backup code', { exact: true });
    const button = page.getByRole('button', { name: 'Continue' });
    await input.fill(backupCodes[0]);
    await breakEachWay(page, call, {
      attempt: () => button.click(),
      ready: () => expect(button).toBeEnabled(),
      kept: () => expect(input).toHaveValue(backupCodes[0]),
    });
    await button.click();
    await expectSignedInAs(page, user.username);
    if (call.afterVerification) expect(api.count(API.backupVerify), 'the backup code was used once').toBe(1);
  });
}

/**
 * An account whose passkey the page's virtual authenticator holds, on /sign-in with the passkey button. Autofill is
 * off (the virtual authenticator would answer a conditional request by itself).
 */
async function withPasskey(page, request) {
  await withoutPasskeyAutofill(page);
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  const { username } = await accountWithPasskey(page, request, tag('brp'));
  const button = page.locator('button.signIn_passkeyButton');
  await expect(button).toBeEnabled();
  return { username, button };
}

const PASSKEY_VERIFY = { method: 'POST', path: `${EA}/verification/sign-in-passkey/authentication/verify`, reads: true };
const PREFLIGHT = { method: 'POST', path: `${EA}/preflight/sign-in-passkey/authentication`, reads: true };
const PASSKEY_CALLS = [
  PREFLIGHT,
  { method: 'PUT', path: EA, reads: false },
  PASSKEY_VERIFY,
  { method: 'POST', path: `${EA}/identification`, reads: false, afterVerification: true },
  { ...submit, afterVerification: true },
];
for (const call of PASSKEY_CALLS) {
  test(`passkey sign-in (button), ${key(call)}: every broken answer shows a message, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    await page.clock.install();
    const { username, button } = await withPasskey(page, request);
    const api = recordApi(page);
    await breakEachWay(page, call, {
      // The screen fetched its options on opening: a broken preflight is the button's own fetch once they are gone
      // (each attempt uses its challenge up, and the background refetch breaks too).
      attempt: async (i) => {
        if (call === PREFLIGHT && i === 0) {
          await page.reload();
          await expect(button).toBeEnabled();
        }
        await button.click();
      },
      ready: () => expect(button).toBeEnabled(),
    });
    await button.click();
    await expectSignedInAs(page, username);
    if (call.afterVerification) expect(api.count(`POST ${PASSKEY_VERIFY.path}`), "the passkey's answer was verified once").toBe(1);
  });
}

// A passkey as the second factor (`/mfa-verification/WebAuthn`): the options when the screen opens, the passkey's
// answer, submit. Without options (the screen's fetch broke), the button fetches them and goes on to the prompt.

/** An account whose passkey (its factor) the page's virtual authenticator holds, signed in with its password up to
 * `/mfa-verification/WebAuthn`. */
async function atPasskeyFactorStep(page, request) {
  await withoutPasskeyAutofill(page);
  const user = await accountWithPasskey(page, request, tag('brw'));
  await submitPassword(page, user);
  await page.waitForURL(/\/mfa-verification\/WebAuthn/);
  return user;
}

const AUTHENTICATION = { method: 'POST', path: `${EA}/verification/web-authn/authentication`, reads: true, onOpen: true };
const AUTHENTICATION_VERIFY = { method: 'POST', path: `${EA}/verification/web-authn/authentication/verify`, reads: true };
for (const call of [AUTHENTICATION, AUTHENTICATION_VERIFY, { ...submit, afterVerification: true }]) {
  test(`passkey verification, ${key(call)}: every broken answer shows a message, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
    guard.allow(/status of 422/, 'backup_code_required after the verification');
    await page.clock.install();
    const user = await atPasskeyFactorStep(page, request);
    const api = recordApi(page);
    const button = page.getByRole('button', { name: 'Verify with passkey' });
    await expect(button).toBeEnabled();
    await breakEachWay(page, call, {
      attempt: call.onOpen ? reloadThen(page, () => button.click()) : () => button.click(),
      ready: () => expect(button).toBeEnabled(),
      kept: () => expect(page).toHaveURL(/\/mfa-verification\/WebAuthn/),
    });
    const optionsBefore = api.count(API.webauthnAuthentication);
    await button.click();
    // The account has no backup codes yet: Mandatory asks it to save some (session.mfa.backup_code_required).
    await pastBackupCodes(page, user.username);
    const verified = callsOf(api, API.webauthnAuthenticationVerify).at(-1);
    expect(verified.status).toBe(200);
    if (call.onOpen) {
      // One press: the options fetched again, then the prompt and its verification with their id.
      expect(api.count(API.webauthnAuthentication), 'the button fetched the options').toBe(optionsBefore + 1);
      const options = JSON.parse(await callsOf(api, API.webauthnAuthentication).at(-1).response);
      expect(bodyOf(verified).verificationId).toBe(options.verificationId);
    }
    expect(bodyOf(verified).payload.rawId, "the answer is the account's passkey").toBe(user.credentialId);
    if (call.afterVerification) expect(api.count(API.webauthnAuthenticationVerify), "the passkey's answer was verified once").toBe(1);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Binding (mfa.json: Mandatory; a new account is offered a passkey first, then must bind TOTP or a passkey, then save
// backup codes).

/** A new account without factors, signed in with its password up to `/create-passkey` (`user.passkey_preferred`). */
async function atPasskeyOffer(page, request) {
  const user = { username: tag('brb'), password: PASSWORD };
  await createUser(request, { ...user, primaryEmail: `${user.username}@example.com` });
  await submitPassword(page, user);
  await page.waitForURL(/\/create-passkey/);
  return user;
}

/** From `/create-passkey`: Skip → the binding chooser → `factor`'s screen. */
async function toBinding(page, factor, link) {
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await page.getByRole('link', { name: link }).click();
  await page.waitForURL(new RegExp(`/mfa-binding/${factor}`));
}

/** The saved backup codes' screen → Continue → signed in. */
async function pastBackupCodes(page, username) {
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  await expect(page.locator('ol.mfa_backupCodes li')).toHaveCount(10);
  await page.getByRole('button', { name: 'Continue' }).click();
  await signedInAs(page, username);
}

/** A reload (the screen's call when it opens), then the screen's button. */
const reloadThen = (page, press) => async (i) => {
  if (i === 0) await page.reload();
  else await press();
};

const TOTP_SECRET = { method: 'POST', path: `${EA}/verification/totp/secret`, reads: true, onOpen: true };
const BIND_MFA = { method: 'POST', path: `${EA}/profile/mfa`, reads: false };
const TOTP_BINDING_CALLS = [
  TOTP_SECRET,
  TOTP_VERIFY,
  { ...BIND_MFA, afterVerification: true },
  // Answered with session.mfa.backup_code_required: the backup codes' screen.
  { ...submit, afterVerification: true },
];
for (const call of TOTP_BINDING_CALLS) {
  test(`TOTP binding, ${key(call)}: every broken answer shows a message, keeps the code, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 422/, 'passkey_preferred, missing_mfa and backup_code_required steer the flow');
    await page.clock.install();
    const user = await atPasskeyOffer(page, request);
    await toBinding(page, 'Totp', /Authenticator app/);
    const api = recordApi(page);
    const button = page.getByRole('button', { name: 'Continue' });
    const boxes = codeBoxes(page);
    const typed = async () => (await Promise.all(boxes.map((b) => b.inputValue()))).join('');
    if (call.onOpen) {
      // No secret, nothing to scan nor type: Continue asks for it again.
      await breakEachWay(page, call, {
        attempt: reloadThen(page, () => button.click()),
        ready: () => expect(button).toBeEnabled(),
        kept: () => expect(page.locator('code.mfa_secretKey')).toHaveCount(0),
      });
      await button.click();
      await fillCode(page, await freshTotp(await shownTotpSecret(page)));
    } else {
      const secret = await shownTotpSecret(page);
      const code = await freshTotp(secret);
      await breakEachWay(page, call, {
        attempt: (i) => (i === 0 ? fillCode(page, code) : button.click()),
        ready: () => expect(button).toBeEnabled(),
        kept: async () => {
          expect(await typed()).toBe(code);
          await expect(page.locator('code.mfa_secretKey'), 'the same secret').toHaveText(secret);
        },
      });
      if (call.afterVerification) await button.click();
      else {
        // A code of the current time step (the broken attempts took a while), typed into emptied boxes.
        for (const box of boxes) await box.fill('');
        await fillCode(page, await freshTotp(secret));
      }
    }
    await pastBackupCodes(page, user.username);
    if (call.afterVerification) expect(api.count(API.totpVerify), 'the code was verified once').toBe(1);
    // 204: the bindings the provider made (a broken answer has another status, or none).
    const bound = callsOf(api, API.bindMfa).filter((c) => c.status === 204);
    expect(bound.map((c) => bodyOf(c).type), 'TOTP bound once, then the backup codes').toEqual(['Totp', 'BackupCode']);
  });
}

const BACKUP_GENERATE = { method: 'POST', path: `${EA}/verification/backup-code/generate`, reads: true, onOpen: true };
for (const call of [BACKUP_GENERATE, { ...BIND_MFA, afterVerification: true }, { ...submit, afterVerification: true }]) {
  test(`backup code binding, ${key(call)}: every broken answer shows a message, keeps the codes, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 422/, 'passkey_preferred, missing_mfa and backup_code_required steer the flow');
    await page.clock.install();
    const user = await atPasskeyOffer(page, request);
    await toBinding(page, 'Totp', /Authenticator app/);
    await fillCode(page, await freshTotp(await shownTotpSecret(page)));
    await page.waitForURL(/\/mfa-binding\/BackupCode/);
    const items = page.locator('ol.mfa_backupCodes li');
    await expect(items).toHaveCount(10);
    const api = recordApi(page);
    const button = page.getByRole('button', { name: 'Continue' });
    if (call.onOpen) {
      // No codes to save: Continue asks for them again, and shows them before anything is bound.
      await breakEachWay(page, call, {
        attempt: reloadThen(page, () => button.click()),
        ready: () => expect(button).toBeEnabled(),
        kept: () => expect(items).toHaveCount(0),
      });
      await button.click();
      await expect(items).toHaveCount(10);
      expect(callsOf(api, API.bindMfa), 'nothing bound before the codes were shown').toHaveLength(0);
    } else {
      const codes = await items.allInnerTexts();
      await breakEachWay(page, call, {
        attempt: () => button.click(),
        ready: () => expect(button).toBeEnabled(),
        kept: async () => expect(await items.allInnerTexts(), 'the same codes').toEqual(codes),
      });
    }
    const shown = (await items.allInnerTexts()).map((c) => c.trim());
    await button.click();
    await signedInAs(page, user.username);
    if (call.afterVerification) expect(callsOf(api, API.backupGenerate), 'the codes were generated once').toHaveLength(0);
    else expect(JSON.parse(await callsOf(api, API.backupGenerate).at(-1).response).codes, 'the codes shown are the ones bound').toEqual(shown);
    const bound = callsOf(api, API.bindMfa).filter((c) => c.status === 204);
    expect(bound.map((c) => bodyOf(c).type), 'bound once').toEqual(['BackupCode']);
  });
}

// Passkey creation (`/create-passkey`, a sign-in passkey) and WebAuthn binding (`/mfa-binding/WebAuthn`, a second
// factor): the registration options when the screen opens, their verification, the binding and submit. The prompt runs
// once per verification: after it the retry makes no new passkey.
const REGISTRATION = { method: 'POST', path: `${EA}/verification/web-authn/registration`, reads: true, onOpen: true };
const REGISTRATION_VERIFY = { method: 'POST', path: `${EA}/verification/web-authn/registration/verify`, reads: true };
const PASSKEY_SCREENS = [
  { name: 'passkey creation', bind: { method: 'POST', path: `${EA}/profile/mfa/passkey`, reads: false } },
  { name: 'WebAuthn binding', bind: BIND_MFA, factor: 'WebAuthn' },
];
for (const screen of PASSKEY_SCREENS) {
  for (const call of [REGISTRATION, REGISTRATION_VERIFY, { ...screen.bind, afterVerification: true }, { ...submit, afterVerification: true }]) {
    test(`${screen.name}, ${key(call)}: every broken answer shows a message, and the retry works`, async ({ page, request, guard }) => {
      allowBrokenAnswers(guard);
      guard.allow(/status of 422/, 'passkey_preferred, missing_mfa and backup_code_required steer the flow');
      await page.clock.install();
      await withoutPasskeyAutofill(page);
      const user = await atPasskeyOffer(page, request);
      const authenticator = await addVirtualAuthenticator(page);
      if (screen.factor) await toBinding(page, 'WebAuthn', /Passkey/);
      const api = recordApi(page);
      const button = page.getByRole('button', { name: 'Create a passkey' });
      await expect(button).toBeEnabled();
      await breakEachWay(page, call, {
        // Without options (the screen's fetch broke), Create fetches them and goes on.
        attempt: call.onOpen ? reloadThen(page, () => button.click()) : () => button.click(),
        ready: () => expect(button).toBeEnabled(),
      });
      await button.click();
      await pastBackupCodes(page, user.username);
      const verified = callsOf(api, API.webauthnRegistrationVerify).at(-1);
      expect(verified.status).toBe(200);
      const credentials = await authenticator.credentials();
      const ids = credentials.map((c) => Buffer.from(c.credentialId, 'base64').toString('base64url'));
      expect(ids, 'the passkey registered is one the authenticator holds').toContain(bodyOf(verified).payload.rawId);
      if (call.afterVerification) {
        expect(api.count(API.webauthnRegistrationVerify), 'the passkey was verified once').toBe(1);
        expect(credentials, 'one prompt: one passkey').toHaveLength(1);
      }
    });
  }
}

// Identifier-first passkey sign-in: on /sign-in the identifier starts the interaction and asks for the account's
// passkey options; `/sign-in/passkey` then verifies the passkey's answer, identifies and submits.
const IDENTIFIED_OPTIONS = { method: 'POST', path: `${EA}/verification/sign-in-passkey/authentication`, reads: true, screen: 'sign-in' };
const IDENTIFIER_PASSKEY_CALLS = [
  { method: 'PUT', path: EA, reads: false, screen: 'sign-in' },
  IDENTIFIED_OPTIONS,
  { ...PASSKEY_VERIFY, screen: 'passkey' },
  { method: 'POST', path: `${EA}/identification`, reads: false, screen: 'passkey', afterVerification: true },
  { ...submit, screen: 'passkey', afterVerification: true },
];
for (const call of IDENTIFIER_PASSKEY_CALLS) {
  test(`identifier-first passkey sign-in, ${key(call)}: every broken answer shows a message, keeps the identifier, and the retry works`, async ({
    page,
    request,
    guard,
  }) => {
    allowBrokenAnswers(guard);
    await page.clock.install();
    await withoutPasskeyAutofill(page);
    await page.goto('/demo');
    await page.waitForURL(/\/sign-in(\?|$)/);
    const { username } = await accountWithPasskey(page, request, tag('bri'));
    const api = recordApi(page);
    const f = form(page);
    await expect(f.identifier).toBeEditable();
    await f.identifier.fill(username);
    if (call.screen === 'sign-in') {
      await breakEachWay(page, call, {
        attempt: () => f.submit.click(),
        ready: () => expect(f.submit).toBeEnabled(),
        kept: async () => {
          await expect(f.identifier).toHaveValue(username);
          await expect(page).toHaveURL(/\/sign-in(\?|$)/);
        },
      });
    }
    await f.submit.click();
    await page.waitForURL(/\/sign-in\/passkey(\?|$)/);
    const button = page.getByRole('button', { name: 'Use my passkey' });
    await expect(button).toBeEnabled();
    if (call.screen === 'passkey') {
      await breakEachWay(page, call, { attempt: () => button.click(), ready: () => expect(button).toBeEnabled() });
    }
    await button.click();
    await expectSignedInAs(page, username);
    expect(callsOf(api, API.password), 'no password involved').toHaveLength(0);
    if (call.afterVerification) expect(api.count(`POST ${PASSKEY_VERIFY.path}`), "the passkey's answer was verified once").toBe(1);
  });
}

// A refused passkey prompt (#14, item 2), on every screen that prompts for one: the browser's `NotAllowedError` (the
// person said no or closed the prompt, or it timed out; browsers don't tell which) is said in the screen's own words,
// nothing is sent, the screen stays as it was, and pressing again prompts again and goes through. The prompt is refused
// by a stand-in in front of the virtual authenticator (Chromium's has no way to say no), which then answers for real.

const NOT_CONFIRMED = "The passkey wasn't confirmed. Please try again.";

/** `navigator.credentials.get/create` refuse (as a browser does) while `window.__refusePasskey` counts down. */
async function refusablePasskeyPrompts(page) {
  await page.addInitScript(() => {
    window.__refusePasskey = 0;
    window.__refusedPasskeyPrompts = 0;
    for (const name of ['get', 'create']) {
      const real = CredentialsContainer.prototype[name];
      CredentialsContainer.prototype[name] = function prompt(options) {
        if (window.__refusePasskey > 0 && options?.mediation !== 'conditional') {
          window.__refusePasskey -= 1;
          window.__refusedPasskeyPrompts += 1;
          return Promise.reject(new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError'));
        }
        return real.call(this, options);
      };
    }
  });
}

/** Each screen: how to get there (returns its button and what ends the flow). */
const PROMPT_SCREENS = [
  {
    name: 'passkey sign-in (button)',
    open: async (page, request) => {
      const { username, button } = await withPasskey(page, request);
      return { button, finish: () => expectSignedInAs(page, username) };
    },
  },
  {
    name: 'identifier-first passkey sign-in (/sign-in/passkey)',
    open: async (page, request) => {
      await withoutPasskeyAutofill(page);
      await page.goto('/demo');
      await page.waitForURL(/\/sign-in(\?|$)/);
      const { username } = await accountWithPasskey(page, request, tag('nci'));
      const f = form(page);
      await f.identifier.fill(username);
      await f.submit.click();
      await page.waitForURL(/\/sign-in\/passkey(\?|$)/);
      return { button: page.getByRole('button', { name: 'Use my passkey' }), finish: () => expectSignedInAs(page, username) };
    },
  },
  {
    name: 'passkey verification (/mfa-verification/WebAuthn)',
    open: async (page, request) => {
      const user = await atPasskeyFactorStep(page, request);
      return { button: page.getByRole('button', { name: 'Verify with passkey' }), finish: () => pastBackupCodes(page, user.username) };
    },
  },
  {
    name: 'passkey creation (/create-passkey)',
    open: async (page, request) => {
      await withoutPasskeyAutofill(page);
      const user = await atPasskeyOffer(page, request);
      await addVirtualAuthenticator(page);
      return { button: page.getByRole('button', { name: 'Create a passkey' }), finish: () => pastBackupCodes(page, user.username) };
    },
  },
  {
    name: 'WebAuthn binding (/mfa-binding/WebAuthn)',
    open: async (page, request) => {
      await withoutPasskeyAutofill(page);
      const user = await atPasskeyOffer(page, request);
      await addVirtualAuthenticator(page);
      await toBinding(page, 'WebAuthn', /Passkey/);
      return { button: page.getByRole('button', { name: 'Create a passkey' }), finish: () => pastBackupCodes(page, user.username) };
    },
  },
];

for (const screen of PROMPT_SCREENS) {
  test(`${screen.name}: a refused passkey prompt says so, nothing is sent, and pressing again goes through`, async ({ page, request, guard }) => {
    guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
    guard.allow(/status of 422/, 'passkey_preferred, missing_mfa and backup_code_required steer the flow');
    guard.allow(/sign-in-passkey\/authentication/, 'identifier-first passkey lookup: a new account has no passkey (400)');
    await refusablePasskeyPrompts(page);
    const { button, finish } = await screen.open(page, request);
    await expect(button).toBeEnabled();
    const api = recordApi(page);
    const url = page.url();
    await page.evaluate(() => {
      window.__refusePasskey = 1;
    });
    await button.click();

    const { text } = await visibleError(page);
    expect(text).toBe(NOT_CONFIRMED);
    expect(await page.evaluate(() => window.__refusedPasskeyPrompts), 'the prompt was refused once').toBe(1);
    await expect(button).toBeEnabled();
    expect(page.url(), 'the same screen').toBe(url);
    await expectNotBlank(page);
    expect(api.keys().filter((k) => k.endsWith('/verify')), 'nothing to verify').toEqual([]);

    await button.click();
    await finish();
  });
}
