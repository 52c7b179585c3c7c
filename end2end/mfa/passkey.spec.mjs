// Passkeys and WebAuthn under mfa.json, with Chromium's virtual authenticator (CDP), and the skip paths.
// WebAuthn needs a domain as relying party id: the sign-in page must be served on localhost, not 127.0.0.1.
import { test, expect, recordApi } from '../fixtures.mjs';
import {
  API,
  addVirtualAuthenticator,
  bodyOf,
  callsOf,
  expectSignedInAs,
  register,
  signOut,
  statusOf,
  submitPassword,
} from './helpers.mjs';

const B64URL = /^[A-Za-z0-9_-]+$/;

async function expectLocalhost(page) {
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  expect(
    new URL(page.url()).hostname,
    'the OIDC flow must stay on localhost (WebAuthn refuses an IP address as rpId); the mfa provider redirected elsewhere',
  ).toBe('localhost');
}

/**
 * The virtual authenticator answers passkey autofill (a conditional request) by itself, which would sign in before
 * the button or the password could be used: these tests run as in a browser without conditional mediation
 * (autofill has its own tests in passkey-signin.spec.mjs).
 */
async function withoutPasskeyAutofill(page) {
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
}

/** Saves the backup codes the provider asks for after the first factor (session.mfa.backup_code_required). */
async function continuePastBackupCodes(page) {
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  await expect(page.locator('ol.mfa_backupCodes li')).toHaveCount(10);
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('passkey: Create at /create-passkey → backup codes → signed in; then "Continue with passkey" and WebAuthn as second factor', async ({
  page,
  request,
  guard,
}, testInfo) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred and backup_code_required steer the flow');
  guard.allow(/status of 403/, 'session.mfa.require_mfa_verification on the password sign-in');
  const authenticator = await addVirtualAuthenticator(page);
  await withoutPasskeyAutofill(page);
  await expectLocalhost(page);
  const api = recordApi(page);

  const user = await register(page, request, 'pk');
  await page.waitForURL(/\/create-passkey/);
  await expect(page.getByRole('heading', { name: 'Sign in faster with a passkey' })).toBeVisible();
  // A new step is announced: its heading takes the focus (the screen has no field), and names the document.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page).toHaveTitle('Sign in faster with a passkey');
  const create = page.getByRole('button', { name: 'Create a passkey' });
  await expect(create).toBeEnabled();
  await create.click();
  await continuePastBackupCodes(page);
  await expectSignedInAs(page, user.username);

  await test.step('what the provider received for the registration', async () => {
    const options = JSON.parse((await callsOf(api, API.webauthnRegistration)[0].response) ?? '{}');
    expect(options.registrationOptions.rp.id).toBe('localhost');
    const verify = callsOf(api, API.webauthnRegistrationVerify)[0];
    expect(verify.status).toBe(200);
    const body = bodyOf(verify);
    expect(body.verificationId).toBe(options.verificationId);
    expect(body.payload).toMatchObject({ type: 'WebAuthn', id: expect.stringMatching(B64URL), rawId: expect.stringMatching(B64URL) });
    expect(body.payload.response.clientDataJSON).toMatch(B64URL);
    expect(body.payload.response.attestationObject).toMatch(B64URL);
    expect(bodyOf(callsOf(api, API.bindPasskey)[0])).toEqual({ verificationId: options.verificationId });
    expect(callsOf(api, API.bindPasskey)[0].status).toBe(204);
    expect(callsOf(api, API.passkeySkipped)).toHaveLength(0);
    const creds = await authenticator.credentials();
    expect(creds).toHaveLength(1);
    expect(creds[0]).toMatchObject({ rpId: 'localhost', isResidentCredential: true });
    expect(Buffer.from(creds[0].credentialId, 'base64').toString('base64url')).toBe(body.payload.rawId);
  });

  await test.step('"Continue with passkey" on /sign-in: signed in without a password', async () => {
    await signOut(page);
    api.calls.length = 0;
    await page.goto('/demo');
    await page.waitForURL(/\/sign-in(\?|$)/);
    const button = page.getByRole('button', { name: 'Continue with passkey' });
    await expect(button).toBeEnabled();
    await expect.poll(() => callsOf(api, API.passkeyPreflight).length, 'options fetched before the click').toBeGreaterThan(0);
    await button.click();
    await expectSignedInAs(page, user.username);
    expect(callsOf(api, API.password), 'no password involved').toHaveLength(0);
    const verify = callsOf(api, API.passkeyVerify)[0];
    expect(verify.status).toBe(200);
    expect(bodyOf(verify).payload).toMatchObject({ type: 'WebAuthn', id: expect.stringMatching(B64URL) });
    expect(bodyOf(verify).payload.response.signature).toMatch(B64URL);
    expect(callsOf(api, API.submit).map((c) => c.status), 'passkey sign-in needs no second factor').toEqual([200]);
  });

  await test.step('password sign-in (switched to from /sign-in/passkey): the passkey is the second factor', async () => {
    await signOut(page);
    api.calls.length = 0;
    await submitPassword(page, user);
    // The account's passkey was offered first (identifier-first passkey sign-in, then "Sign in with password").
    expect(callsOf(api, 'POST /api/experience/verification/sign-in-passkey/authentication').map((c) => c.status)).toEqual([200]);
    await page.waitForURL(/\/mfa-verification\/WebAuthn/);
    const gate = JSON.parse((await callsOf(api, API.submit)[0].response) ?? '{}');
    expect(gate).toMatchObject({ code: 'session.mfa.require_mfa_verification', data: { availableFactors: ['WebAuthn', 'BackupCode'] } });
    await expect(page.getByRole('heading', { name: 'Verify with your passkey' })).toBeVisible();
    const verifyButton = page.getByRole('button', { name: 'Verify with passkey' });
    await expect(verifyButton).toBeEnabled();
    await verifyButton.click();
    await expectSignedInAs(page, user.username);
    const verify = callsOf(api, API.webauthnAuthenticationVerify)[0];
    expect(verify.status).toBe(200);
    expect(bodyOf(verify)).toMatchObject({ verificationId: expect.any(String), payload: { type: 'WebAuthn' } });
  });
});

test('WebAuthn binding from the chooser: Skip the prompt → /mfa-binding → Passkey → Create → backup codes → signed in', async ({
  page,
  request,
  guard,
}, testInfo) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred, missing_mfa and backup_code_required steer the flow');
  const authenticator = await addVirtualAuthenticator(page);
  await expectLocalhost(page);
  const api = recordApi(page);
  const user = await register(page, request, 'wa');
  await page.waitForURL(/\/create-passkey/);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await page.getByRole('link', { name: /Passkey/ }).click();
  await page.waitForURL(/\/mfa-binding\/WebAuthn/);
  await expect(page.getByRole('heading', { name: 'Create a passkey' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Skip for now' }), 'no Skip under Mandatory').toHaveCount(0);
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await continuePastBackupCodes(page);
  await expectSignedInAs(page, user.username);
  const binds = callsOf(api, API.bindMfa).map(bodyOf);
  expect(binds.map((b) => b.type)).toEqual(['WebAuthn', 'BackupCode']);
  expect(callsOf(api, API.webauthnRegistrationVerify)[0].status).toBe(200);
  expect(await authenticator.credentials()).toHaveLength(1);
});

test('skip paths: /create-passkey Skip works; no Skip on the binding screens under Mandatory', async ({
  page,
  request,
  guard,
}, testInfo) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred and missing_mfa steer the flow');
  const api = recordApi(page);
  const user = await register(page, request, 'skip');
  await page.waitForURL(/\/create-passkey/);
  const skip = page.getByRole('button', { name: 'Skip for now' });
  await expect(skip).toBeEnabled();
  await skip.click();
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  const skipped = callsOf(api, API.passkeySkipped);
  expect(skipped).toHaveLength(1);
  expect(await statusOf(skipped[0])).toBe(204);
  expect(callsOf(api, API.bindPasskey)).toHaveLength(0);
  const submit = callsOf(api, API.submit).at(-1);
  const answer = JSON.parse((await submit.response) ?? '{}');
  expect(answer.code).toBe('user.missing_mfa');
  expect(answer.data?.skippable ?? false, 'Mandatory: the provider says not skippable').toBe(false);

  // No Skip on the chooser nor on a factor screen, and nothing tried to skip.
  await expect(page.getByRole('heading', { name: 'Set up 2-step verification' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Skip for now' })).toHaveCount(0);
  await page.getByRole('link', { name: /Authenticator app/ }).click();
  await page.waitForURL(/\/mfa-binding\/Totp/);
  await expect(page.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Skip for now' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Use another method' })).toBeVisible();
  await page.getByRole('link', { name: 'Use another method' }).click();
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await expect(page.locator('a.mfa_factor')).toHaveCount(2);
  expect(callsOf(api, API.mfaSkipped)).toHaveLength(0);
});
