// Broken answers on every call of MFA verification (TOTP, backup code) and of passkey sign-in (#14;
// end2end/broken-answers.mjs): each call gets every breakage in turn, with a readable message, what the person entered
// kept and a working retry each time; then it goes through and the person is signed in. After the verification the
// retry resumes from the failed call: the provider gets one verification (a backup code, or a passkey's answer to a
// challenge, is good once).
import crypto from 'node:crypto';
import { test, expect, recordApi, createUser } from '../fixtures.mjs';
import { allowBrokenAnswers, breakEachWay } from '../broken-answers.mjs';
import { API, addVirtualAuthenticator, codeBoxes, expectSignedInAs as signedInAs, fillCode, freshTotp, submitPassword } from './helpers.mjs';

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
 * An account whose passkey the page's virtual authenticator holds (made with `POST /admin/users`, the credential put in
 * the authenticator with CDP), on /sign-in with the passkey button. Autofill is off (the virtual authenticator would
 * answer a conditional request by itself).
 */
async function withPasskey(page, request) {
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]);
  const credentialId = crypto.randomBytes(16);
  const username = tag('brp');
  const made = await createUser(request, {
    username,
    primaryEmail: `${username}@example.com`,
    password: PASSWORD,
    webAuthn: [{ credentialId: credentialId.toString('base64url'), publicKey: point.toString('base64url'), rpId: 'localhost' }],
  });
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
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
