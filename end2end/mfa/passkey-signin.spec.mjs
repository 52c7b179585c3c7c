// Passkey sign-in from the sign-in screen under mfa.json (passkeySignIn: enabled, button, autofill): passkey autofill
// (conditional mediation), its abort when the button flow starts, identifier-first passkey sign-in at /sign-in/passkey
// (with a reload), and the silent fallback to the password for accounts without a passkey.
//
// Headless Chromium's virtual authenticator answers a conditional request by itself when it holds a resident
// credential for the relying party (checked: the page signs in with no click). To test the other flows, every request
// goes through a recorder whose mode the test sets: `auto` (the browser's own behaviour), `hold` (a conditional request
// waits until aborted, as when the person picks nothing), `off` (the browser says conditional mediation is unavailable).
import crypto from 'node:crypto';
import { test, expect, form, recordApi, USERS } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';
import { API, addVirtualAuthenticator, bodyOf, callsOf, expectSignedInAs, register, signOut, statusOf } from './helpers.mjs';

const B64URL = /^[A-Za-z0-9_-]+$/;
const IDENTIFIER_PASSKEY = 'POST /api/experience/verification/sign-in-passkey/authentication';
const START = 'PUT /api/experience';

/** Runs in every document: wraps navigator.credentials.get and isConditionalMediationAvailable (see the top). */
const CREDENTIALS_RECORDER = () => {
  const credentials = navigator.credentials;
  const get = credentials.get.bind(credentials);
  const available = PublicKeyCredential.isConditionalMediationAvailable?.bind(PublicKeyCredential);
  PublicKeyCredential.isConditionalMediationAvailable = async () =>
    (await window.__e2eCredentialsMode()) !== 'off' && !!available && (await available());
  credentials.get = async (options) => {
    const mode = await window.__e2eCredentialsMode();
    const id = await window.__e2eGet({
      mediation: options?.mediation ?? null,
      signal: !!options?.signal,
      rpId: options?.publicKey?.rpId ?? null,
      allowCredentials: (options?.publicKey?.allowCredentials ?? []).length,
      path: location.pathname,
    });
    options?.signal?.addEventListener('abort', () => window.__e2eGetEvent(id, 'aborted'));
    const request =
      options?.mediation === 'conditional' && mode === 'hold'
        ? new Promise((_, reject) =>
            options.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
          )
        : get(options);
    return request.then(
      (credential) => (window.__e2eGetEvent(id, credential ? 'credential' : 'null'), credential),
      (error) => {
        window.__e2eGetEvent(id, error?.name ?? 'error');
        throw error;
      },
    );
  };
};

/** Installs the recorder; returns `{ gets, setMode }` (each get: its options summary and `events`). */
async function recordCredentials(page, mode = 'hold') {
  const state = { mode, gets: [] };
  await page.exposeFunction('__e2eCredentialsMode', () => state.mode);
  await page.exposeFunction('__e2eGet', (summary) => state.gets.push({ ...summary, events: [] }) - 1);
  await page.exposeFunction('__e2eGetEvent', (id, event) => state.gets[id]?.events.push(event));
  await page.addInitScript(CREDENTIALS_RECORDER);
  return {
    gets: state.gets,
    setMode: (m) => (state.mode = m),
    conditional: () => state.gets.filter((g) => g.mediation === 'conditional'),
    modal: () => state.gets.filter((g) => g.mediation === null),
  };
}

/** A new account with a sign-in passkey in this page's virtual authenticator, signed in once, then signed out. */
async function registerWithPasskey(page, request, prefix) {
  const user = await register(page, request, prefix);
  await page.waitForURL(/\/create-passkey/);
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, user.username);
  await signOut(page);
  return user;
}

async function openSignIn(page) {
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  const f = form(page);
  await expect(f.identifier).toBeEditable();
  return f;
}

test('passkey sign-in: autofill signs in by itself, the button aborts a waiting autofill, identifier-first at /sign-in/passkey survives a reload', async ({
  page,
  request,
  guard,
}, testInfo) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred and backup_code_required steer the registration');
  const authenticator = await addVirtualAuthenticator(page);
  const credentials = await recordCredentials(page, 'hold');
  const api = recordApi(page);
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  expect(new URL(page.url()).hostname, 'WebAuthn needs localhost, not an IP address').toBe('localhost');
  const user = await registerWithPasskey(page, request, 'pks');
  expect(await authenticator.credentials()).toHaveLength(1);

  await test.step('autofill: the conditional request with the preflight options signs in without a click', async () => {
    credentials.setMode('auto');
    credentials.gets.length = 0;
    api.calls.length = 0;
    await page.goto('/demo');
    await expectSignedInAs(page, user.username);
    const conditional = credentials.conditional();
    expect(conditional, 'one conditional request').toHaveLength(1);
    expect(conditional[0]).toMatchObject({ signal: true, rpId: 'localhost', allowCredentials: 0, path: '/sign-in' });
    expect(conditional[0].events).toEqual(['credential']);
    expect(credentials.modal(), 'no prompt').toHaveLength(0);
    expect(callsOf(api, API.passkeyPreflight), 'one preflight for the screen').toHaveLength(1);
    const keys = api.calls.map((c) => c.key);
    expect(keys.slice(keys.indexOf(START))).toEqual([START, API.passkeyVerify, API.identification, API.submit]);
    const verify = callsOf(api, API.passkeyVerify)[0];
    expect(verify.status).toBe(200);
    expect(bodyOf(verify).verificationId, 'the preflight challenge: no verification id').toBeUndefined();
    expect(bodyOf(verify).payload).toMatchObject({ type: 'WebAuthn', id: expect.stringMatching(B64URL) });
    const preflight = JSON.parse((await callsOf(api, API.passkeyPreflight)[0].response) ?? '{}');
    const clientData = JSON.parse(Buffer.from(bodyOf(verify).payload.response.clientDataJSON, 'base64url').toString());
    expect(clientData.challenge, 'answered the preflight challenge').toBe(preflight.authenticationOptions.challenge);
    expect(callsOf(api, API.submit).map((c) => c.status), 'passkey sign-in needs no second factor').toEqual([200]);
  });

  await test.step('"Continue with passkey" aborts the waiting autofill request, silently, then signs in', async () => {
    await signOut(page);
    credentials.setMode('hold');
    credentials.gets.length = 0;
    api.calls.length = 0;
    const f = await openSignIn(page);
    await expect(f.identifier).toHaveAttribute('autocomplete', 'username webauthn');
    await expect.poll(() => credentials.conditional().length, 'autofill request started').toBe(1);
    expect(credentials.conditional()[0].events, 'still waiting').toEqual([]);
    await expectNoAxeViolations(page, testInfo, 'sign-in with passkey button and autofill');
    await page.getByRole('button', { name: 'Continue with passkey' }).click();
    await expectSignedInAs(page, user.username);
    expect(credentials.conditional()[0].events).toEqual(['aborted', 'AbortError']);
    expect(credentials.modal()).toHaveLength(1);
    expect(credentials.modal()[0].events).toEqual(['credential']);
    expect(callsOf(api, API.passkeyPreflight), 'the button used the screen\'s options').toHaveLength(1);
    expect(callsOf(api, API.passkeyVerify).map((c) => c.status)).toEqual([200]);
  });

  await test.step('identifier-first: the username → /sign-in/passkey (autofill aborted), reload, "Use my passkey"', async () => {
    await signOut(page);
    credentials.gets.length = 0;
    api.calls.length = 0;
    const f = await openSignIn(page);
    await expect.poll(() => credentials.conditional().length, 'autofill request started').toBe(1);
    await f.identifier.fill(user.username);
    await f.submit.click();
    await page.waitForURL(/\/sign-in\/passkey(\?|$)/);
    expect(credentials.conditional()[0].events, 'autofill aborted when the identifier flow started').toEqual([
      'aborted',
      'AbortError',
    ]);
    const started = callsOf(api, IDENTIFIER_PASSKEY);
    expect(started).toHaveLength(1);
    expect(bodyOf(started[0])).toEqual({ identifier: { type: 'username', value: user.username } });
    expect(await statusOf(started[0])).toBe(200);
    const keys = api.calls.map((c) => c.key);
    expect(keys.indexOf(START), 'PUT {SignIn} first').toBeLessThan(keys.indexOf(IDENTIFIER_PASSKEY));
    expect(bodyOf(callsOf(api, START).at(-1))).toEqual({ interactionEvent: 'SignIn' });
    const answer = JSON.parse((await started[0].response) ?? '{}');
    expect(answer.authenticationOptions.allowCredentials).toHaveLength(1);

    await expect(page.getByRole('heading', { name: 'Verify with your passkey' })).toBeVisible();
    await expect(page.locator('main')).toContainText(user.username);
    await expect(page.getByRole('link', { name: 'Sign in with password' })).toBeVisible();
    await expectNoAxeViolations(page, testInfo, 'sign-in-passkey');

    await page.reload();
    const verify = page.getByRole('button', { name: 'Use my passkey' });
    await expect(verify).toBeEnabled();
    await expect(page.locator('main')).toContainText(user.username);
    expect(callsOf(api, IDENTIFIER_PASSKEY), 'the reload reuses the stored options').toHaveLength(1);
    await verify.click();
    await expectSignedInAs(page, user.username);
    const verified = callsOf(api, API.passkeyVerify);
    expect(verified.map((c) => c.status)).toEqual([200]);
    expect(bodyOf(verified[0])).toMatchObject({ verificationId: answer.verificationId, payload: { type: 'WebAuthn' } });
    expect(bodyOf(callsOf(api, API.identification)[0])).toEqual({ verificationId: answer.verificationId });
    expect(callsOf(api, API.password), 'no password involved').toHaveLength(0);
    expect(callsOf(api, API.submit).map((c) => c.status)).toEqual([200]);
    expect(credentials.modal().map((g) => g.allowCredentials), 'the account\'s own passkey').toEqual([1]);
  });

  await test.step('identifier-first by email (password and code both allowed): "Try another method" lists every way in', async () => {
    await signOut(page);
    const f = await openSignIn(page);
    await f.identifier.fill(user.email);
    await f.submit.click();
    await page.waitForURL(/\/sign-in\/passkey(\?|$)/);
    await page.getByRole('link', { name: 'Try another method' }).click();
    await page.waitForURL(/\/sign-in\/verification-methods(\?|$)/);
    await expect(page.locator('main')).toContainText(user.email);
    const methods = page.locator('ul.signIn_methodList > li');
    await expect(methods).toHaveCount(3);
    await expect(methods.nth(0)).toHaveText('Use my passkey');
    await expect(methods.nth(1)).toHaveText('Sign in with password');
    await expect(methods.nth(2).getByRole('button')).toBeEnabled();
    await expectNoAxeViolations(page, testInfo, 'sign-in-verification-methods');
    await methods.nth(1).getByRole('link').click();
    await page.waitForURL(/\/sign-in\/password(\?|$)/);
    await expect(page.locator('main')).toContainText(user.email);
  });
});

test('identifier-first: an account without a passkey, or no account, goes on to the password with nothing said', async ({
  page,
  guard,
}) => {
  guard.allow(/sign-in-passkey\/authentication$/, 'session.mfa.webauthn_verification_not_found (400) is the fallback signal');
  await recordCredentials(page, 'hold');
  const api = recordApi(page);
  for (const username of [USERS.alice.username, `nobody_${crypto.randomBytes(3).toString('hex')}`]) {
    await test.step(username, async () => {
      await signOut(page);
      api.calls.length = 0;
      const f = await openSignIn(page);
      await f.identifier.fill(username);
      await f.submit.click();
      await page.waitForURL(/\/sign-in\/password/);
      const started = callsOf(api, IDENTIFIER_PASSKEY);
      expect(started).toHaveLength(1);
      expect(await statusOf(started[0])).toBe(400);
      expect(JSON.parse((await started[0].response) ?? '{}').code).toBe('session.mfa.webauthn_verification_not_found');
      await expect(page.locator('main')).toContainText(username);
      await expect(form(page).password).toBeEditable();
      await expect(page.locator('[role=alert]').filter({ visible: true, hasText: /\S/ }), 'no message').toHaveCount(0);
    });
  }
  // The password step goes on as usual (alice has no second factor yet: the provider asks for more next).
  await signOut(page);
  api.calls.length = 0;
  const f = await openSignIn(page);
  await f.identifier.fill(USERS.alice.username);
  await f.submit.click();
  await page.waitForURL(/\/sign-in\/password/);
  await f.password.fill(USERS.alice.password);
  guard.allow(/status of 422/, 'the MFA policy asks alice for more after the password');
  await f.submit.click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  expect(callsOf(api, API.password).map((c) => c.status)).toEqual([200]);
});

test('/sign-in/passkey without a step in progress goes back to /sign-in', async ({ page }) => {
  await recordCredentials(page, 'off');
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  await page.goto('/sign-in/passkey');
  await page.waitForURL(/\/sign-in(\?|$)/);
  const f = form(page);
  await expect(f.identifier).toBeEditable();
  await expect(f.identifier, 'no conditional mediation: no webauthn token').toHaveAttribute('autocomplete', 'username');
});
