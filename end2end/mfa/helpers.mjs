// Helpers of the MFA and passkey suite (end2end/mfa/): fresh accounts, TOTP codes, code boxes, virtual authenticator.
//
// The provider keeps its state for as long as it runs (and `reuseExistingServer` may hand us one that earlier runs
// used), so every test that binds a factor or answers the passkey prompt registers its own account.
import crypto from 'node:crypto';
import { expect, expectProjectEngine, form, createUser } from '../fixtures.mjs';

export const PASSWORD = 'Fr3sh-Passw0rd!x';

// ---------------------------------------------------------------------------------------------------------------
// TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), computed here from the secret the page shows.

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function hotp(key, counter) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const digest = crypto.createHmac('sha1', key).update(msg).digest();
  const offset = digest[19] & 0x0f;
  const bin = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16) | (digest[offset + 2] << 8) | digest[offset + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

export function totp(secret, ms = Date.now()) {
  return hotp(base32Decode(secret), Math.floor(ms / 1000 / 30));
}

/** A six-digit code no time step near now accepts (the provider allows ±1 step). */
export function wrongTotp(secret) {
  const near = new Set([-60_000, -30_000, 0, 30_000, 60_000].map((d) => totp(secret, Date.now() + d)));
  for (let n = 123456; ; n = (n + 111_111) % 1_000_000) {
    const code = String(n).padStart(6, '0');
    if (!near.has(code)) return code;
  }
}

/** The current code, after waiting out the last two seconds of a step so it is not stale on arrival. */
export async function freshTotp(secret) {
  const intoStep = (Date.now() / 1000) % 30;
  if (intoStep > 28) await new Promise((r) => setTimeout(r, (30 - intoStep + 0.2) * 1000));
  return totp(secret);
}

// ---------------------------------------------------------------------------------------------------------------
// Screens

export function codeBoxes(page) {
  return Array.from({ length: 6 }, (_, i) => page.locator(`input[name=passcode_${i}]`));
}

/** Types a six-digit code into the boxes, one box at a time (completion submits). */
export async function fillCode(page, code) {
  const boxes = codeBoxes(page);
  await expect(boxes[0]).toBeEditable();
  for (let i = 0; i < 6; i++) await boxes[i].fill(code[i]);
}

/** The demo client's callback: signed in as `username`. */
export async function expectSignedInAs(page, username) {
  await page.waitForURL(/\/demo\/callback/, { timeout: 30_000 });
  await expect(page.locator('body')).toContainText('Signed in as');
  await expect(page.locator('strong').first()).not.toBeEmpty();
  await expect(page.locator('code').first()).toHaveText(username);
}

/**
 * From /demo to the password submit of `user` (the step after it is the test's business). An account with a passkey is
 * offered it first (identifier-first passkey sign-in, `/sign-in/passkey`): the person picks "Sign in with password".
 */
export async function submitPassword(page, user) {
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expectProjectEngine(page);
  const f = form(page);
  await expect(f.identifier).toBeEditable();
  await f.identifier.fill(user.username);
  // mfa.json signs in identifier first (phone is code-only): the password comes on /sign-in/password.
  if (!(await f.password.isVisible())) {
    await f.submit.click();
    await page.waitForURL(/\/sign-in\/(password|passkey)/);
    if (new URL(page.url()).pathname.endsWith('/sign-in/passkey')) {
      await page.getByRole('link', { name: 'Sign in with password' }).click();
      await page.waitForURL(/\/sign-in\/password/);
    }
  }
  await expect(f.password).toBeEditable();
  await f.password.fill(user.password);
  await f.submit.click();
}

/** Forget the signed-in session so the next /demo starts from the password again. */
export async function signOut(page) {
  await page.context().clearCookies();
}

/** The latest message the provider "sent" to `to` (email or phone digits) at or after `since` (ms), from its outbox. */
export async function outboxMessage(request, to, since) {
  let message = null;
  await expect
    .poll(
      async () => {
        const res = await request.get(`/outbox/latest?to=${encodeURIComponent(to)}`);
        if (!res.ok()) return null;
        const m = await res.json();
        if (Date.parse(m.sentAt) < since - 2000) return null;
        message = m;
        return m.code;
      },
      { message: `a code was sent to ${to}`, timeout: 10_000 },
    )
    .toMatch(/^\d{6}$/);
  return message;
}

/**
 * Registers a new account through the page (email, or `phone` digits when given, + code → username → password)
 * and stops on the first screen after the profile is complete (with mfa.json: `/create-passkey`). Returns
 * `{ username, email | phone, password }`.
 */
export async function register(page, request, prefix = 'mfa', { phone } = {}) {
  const tag = `${prefix}_${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
  const user = phone ? { username: tag, phone, password: PASSWORD } : { username: tag, email: `${tag}@example.com`, password: PASSWORD };
  const address = phone ?? user.email;
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expectProjectEngine(page);
  await page.getByRole('link', { name: /create account/i }).click();
  await page.waitForURL(/\/register(\?|$)/);
  const since = Date.now();
  await page.locator('input[name=identifier]').fill(address);
  const terms = page.locator('input[name=terms]');
  if (await terms.count()) await terms.check();
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/register\/verification-code/);
  await fillCode(page, (await outboxMessage(request, address, since)).code);

  await page.waitForURL(/\/continue\/username/);
  await page.locator('input[name=identifier]').fill(user.username);
  await page.locator('button[type=submit]').click();

  await page.waitForURL(/\/continue\/password/);
  const newPassword = page.locator('input[name=newPassword]');
  await expect(newPassword).toBeVisible();
  await newPassword.fill(user.password);
  await page.locator('input[name=confirmPassword]').fill(user.password);
  await page.locator('button[type=submit]').click();
  return user;
}

/**
 * Runs `make(page)` on a page of a browser context of its own, closed afterwards: for the account a test needs, made
 * without touching the test's page (its cookies, storage, recorded calls and guard stay the test's). Returns what
 * `make` returns. The screens it goes through are each the subject of a test of their own.
 */
export async function inOwnContext({ browser, baseURL }, make) {
  const context = await browser.newContext({ baseURL, locale: 'en-US' });
  try {
    return await make(await context.newPage());
  } finally {
    await context.close();
  }
}

/**
 * A new account with TOTP and backup codes (mfa.json): `register` → skip the passkey → authenticator app → the
 * current code → backup codes saved → signed in. Returns `{ username, email, password, secret, backupCodes }`.
 */
export async function registerWithTotp(page, request, prefix = 'totp') {
  const user = await register(page, request, prefix);
  await page.waitForURL(/\/create-passkey/);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await page.getByRole('link', { name: /Authenticator app/ }).click();
  await page.waitForURL(/\/mfa-binding\/Totp/);
  const key = page.locator('code.mfa_secretKey');
  await expect(key).toHaveText(/^\s*[A-Z2-7]{32}\s*$/);
  const secret = ((await key.textContent()) ?? '').trim();
  await fillCode(page, await freshTotp(secret));
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  const items = page.locator('ol.mfa_backupCodes li');
  await expect(items).toHaveCount(10);
  const backupCodes = (await items.allInnerTexts()).map((t) => t.trim());
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, user.username);
  return { ...user, secret, backupCodes };
}

// ---------------------------------------------------------------------------------------------------------------
// Chromium's virtual authenticator (CDP), living as long as the page's CDP session.

export async function addVirtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    authenticatorId,
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

/**
 * The virtual authenticator answers passkey autofill (a conditional request) by itself, which would sign in before
 * the button or the password could be used: for tests that run as in a browser without conditional mediation.
 */
export async function withoutPasskeyAutofill(page) {
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
}

/**
 * A new account (`POST /admin/users`) with a passkey that a virtual authenticator of `page` holds (the credential put
 * in it with CDP; relying party `localhost`). Returns `{ username, password, id, credentialId }` (base64url).
 */
export async function accountWithPasskey(page, request, username) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]);
  const credentialId = crypto.randomBytes(16);
  const made = await createUser(request, {
    username,
    primaryEmail: `${username}@example.com`,
    password: PASSWORD,
    webAuthn: [{ credentialId: credentialId.toString('base64url'), publicKey: point.toString('base64url'), rpId: 'localhost' }],
  });
  const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
  await cdp.send('WebAuthn.addCredential', {
    authenticatorId,
    credential: {
      credentialId: credentialId.toString('base64'),
      isResidentCredential: true,
      rpId: 'localhost',
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      userHandle: Buffer.from(made.id).toString('base64'),
      signCount: 0,
    },
  });
  return { username, password: PASSWORD, id: made.id, credentialId: credentialId.toString('base64url') };
}

/** On `/mfa-binding/Totp`: the setup key the page shows, once the provider's secret arrived. */
export async function shownTotpSecret(page) {
  const key = page.locator('code.mfa_secretKey');
  await expect(key).toHaveText(/^\s*[A-Z2-7]{32}\s*$/);
  return ((await key.textContent()) ?? '').trim();
}

/** Parsed JSON request body of a recorded call. */
export function bodyOf(call) {
  return call?.body ? JSON.parse(call.body) : null;
}

export const API = {
  totpSecret: 'POST /api/experience/verification/totp/secret',
  totpVerify: 'POST /api/experience/verification/totp/verify',
  backupGenerate: 'POST /api/experience/verification/backup-code/generate',
  backupVerify: 'POST /api/experience/verification/backup-code/verify',
  bindMfa: 'POST /api/experience/profile/mfa',
  bindPasskey: 'POST /api/experience/profile/mfa/passkey',
  passkeySkipped: 'POST /api/experience/profile/mfa/passkey-skipped',
  mfaSkipped: 'POST /api/experience/profile/mfa/mfa-skipped',
  webauthnRegistration: 'POST /api/experience/verification/web-authn/registration',
  webauthnRegistrationVerify: 'POST /api/experience/verification/web-authn/registration/verify',
  webauthnAuthentication: 'POST /api/experience/verification/web-authn/authentication',
  webauthnAuthenticationVerify: 'POST /api/experience/verification/web-authn/authentication/verify',
  passkeyPreflight: 'POST /api/experience/preflight/sign-in-passkey/authentication',
  passkeyVerify: 'POST /api/experience/verification/sign-in-passkey/authentication/verify',
  password: 'POST /api/experience/verification/password',
  identification: 'POST /api/experience/identification',
  submit: 'POST /api/experience/submit',
};

/** The recorded calls of one key. */
export function callsOf(api, key) {
  return api.calls.filter((c) => c.key === key);
}

/** Waits until the recorded call has its response status. */
export async function statusOf(call) {
  await expect.poll(() => call?.status ?? null, { message: `${call?.key} answered` }).not.toBeNull();
  return call.status;
}
