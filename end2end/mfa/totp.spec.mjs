// TOTP and backup codes under mfa.json (Mandatory; Totp, WebAuthn, BackupCode; passkey sign-in on), end to end:
// a fresh account binds TOTP (the code computed here from the secret the page shows) and saves its backup codes;
// then, each with an account of its own bound the same way beforehand (`registerWithTotp`, in a context of its own),
// a sign-in with TOTP, one with a reload on the TOTP step, and one with backup codes. No test needs another to run.
import { test, expect, recordApi, visibleError, expectReadable, expectScreenAnnounced } from '../fixtures.mjs';
import {
  API,
  bodyOf,
  callsOf,
  codeBoxes,
  expectSignedInAs,
  fillCode,
  freshTotp,
  inOwnContext,
  register,
  registerWithTotp,
  signOut,
  statusOf,
  submitPassword,
  wrongTotp,
} from './helpers.mjs';

test('bind TOTP: skip the passkey, choose the app, QR + secret, a wrong code then the right one, backup codes, signed in', async ({
  page,
  request,
  guard,
}, testInfo) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred, missing_mfa and backup_code_required steer the flow');
  guard.allow(/status of 400/, 'the wrong TOTP code on purpose (session.mfa.invalid_totp_code)');
  await page.setViewportSize({ width: 1280, height: 800 });
  const api = recordApi(page);

  const user = await register(page, request, 'totp');

  // Passkey prompt first (passkey sign-in is on and the account has none): skip it.
  await page.waitForURL(/\/create-passkey/);
  // Each new step is announced: a screen without a field focuses its headline, which names the document.
  await expectScreenAnnounced(page, 'Sign in faster with a passkey');
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await expect.poll(() => callsOf(api, API.passkeySkipped).map((c) => c.status)).toEqual([204]);

  // The binding chooser: the factors one can bind (backup codes come after another factor), no Skip (Mandatory).
  const submits = callsOf(api, API.submit);
  const missing = JSON.parse((await submits.at(-1).response) ?? '{}');
  expect(missing).toMatchObject({ code: 'user.missing_mfa', data: { availableFactors: ['WebAuthn', 'Totp'] } });
  expect(missing.data.skippable ?? false).toBe(false);
  await expectScreenAnnounced(page, 'Set up 2-step verification');
  const factors = page.locator('a.mfa_factor');
  await expect(factors).toHaveCount(2);
  await expect(factors.nth(0)).toHaveAttribute('data-factor', 'WebAuthn');
  await expect(factors.nth(1)).toHaveAttribute('data-factor', 'Totp');
  await expect(page.getByRole('link', { name: /Authenticator app/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Passkey/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Skip for now' }), 'no Skip under Mandatory').toHaveCount(0);

  await page.getByRole('link', { name: /Authenticator app/ }).click();
  await page.waitForURL(/\/mfa-binding\/Totp/);
  await expectScreenAnnounced(page, 'Set up your authenticator app', codeBoxes(page)[0]);

  // Wide screen: the provider's QR code, really drawn and centred, and the setup key beside it (screen readers and
  // desktops without a camera need it).
  const qr = page.getByRole('img', { name: /QR code/ });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/(svg\+xml|png)/);
  await expect.poll(() => qr.evaluate((img) => img.complete && img.naturalWidth > 0)).toBe(true);
  const box = await qr.boundingBox();
  expect(box.width).toBeGreaterThanOrEqual(150);
  const secretEl = page.locator('code.mfa_secretKey');
  const secret = ((await secretEl.textContent()) ?? '').trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(secretEl, 'the setup key shows at 1280 px too').toBeVisible();
  await expect(page.locator('.mfa_secret').getByRole('button', { name: 'Copy' })).toBeVisible();
  const card = await page.locator('.mfa_totpSetup').boundingBox();
  expect(Math.abs(box.x + box.width / 2 - (card.x + card.width / 2)), 'the QR code is centred').toBeLessThan(2);
  const secretAnswer = JSON.parse((await callsOf(api, API.totpSecret)[0].response) ?? '{}');
  expect(secretAnswer.secret, 'the page shows the secret the provider generated').toBe(secret);
  expect(await qr.getAttribute('src')).toBe(secretAnswer.secretQrCode);

  // Narrow screen (the phone that holds the app): the key (with Copy), no QR code.
  await page.setViewportSize({ width: 375, height: 740 });
  await expect(secretEl).toBeVisible();
  await expect(qr).toBeHidden();
  await expect(page.locator('.mfa_secret').getByRole('button', { name: 'Copy' })).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(qr).toBeVisible();

  // A wrong code: a readable message, the boxes emptied and usable again.
  const bad = wrongTotp(secret);
  await fillCode(page, bad);
  const err = await visibleError(page);
  testInfo.annotations.push({ type: 'wrong TOTP message', description: `${err.where}: ${err.text}` });
  expectReadable(err.text, 'wrong TOTP message');
  expect(err.text).toMatch(/code|not right|invalid|incorrect/i);
  const badCall = callsOf(api, API.totpVerify)[0];
  expect(await statusOf(badCall)).toBe(400);
  expect(bodyOf(badCall)).toEqual({ code: bad, verificationId: secretAnswer.verificationId });
  await expect(page).toHaveURL(/\/mfa-binding\/Totp/);
  for (const b of codeBoxes(page)) {
    await expect(b).toBeEditable();
    await expect(b).toHaveValue('');
  }
  await expect(codeBoxes(page)[0], 'the next digit goes in the first box').toBeFocused();
  expect(callsOf(api, API.bindMfa), 'nothing bound after a wrong code').toHaveLength(0);

  // The right code: bound, then the backup codes.
  const good = await freshTotp(secret);
  await fillCode(page, good);
  await page.waitForURL(/\/mfa-binding\/BackupCode/);
  const verifyCalls = callsOf(api, API.totpVerify);
  expect(bodyOf(verifyCalls.at(-1))).toEqual({ code: good, verificationId: secretAnswer.verificationId });
  expect(verifyCalls.at(-1).status).toBe(200);
  expect(bodyOf(callsOf(api, API.bindMfa)[0])).toEqual({ type: 'Totp', verificationId: secretAnswer.verificationId });
  expect(JSON.parse((await callsOf(api, API.submit).at(-1).response) ?? '{}').code).toBe('session.mfa.backup_code_required');

  await expectScreenAnnounced(page, 'Save your backup codes');
  const items = page.locator('ol.mfa_backupCodes li');
  await expect(items).toHaveCount(10);
  const backupCodes = (await items.allInnerTexts()).map((t) => t.trim());
  const generated = JSON.parse((await callsOf(api, API.backupGenerate)[0].response) ?? '{}');
  expect(backupCodes, 'the page shows the codes the provider generated').toEqual(generated.codes);
  expect(new Set(backupCodes).size).toBe(10);

  const download = page.getByRole('link', { name: 'Download' });
  await expect(download).toHaveAttribute('download', 'backup_code.txt');
  const href = (await download.getAttribute('href')) ?? '';
  expect(href).toMatch(/^data:text\/plain/);
  const fileText = decodeURIComponent(href.slice(href.indexOf(',') + 1));
  for (const c of backupCodes) expect(fileText, 'the download holds every code').toContain(c);
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  expect(file.suggestedFilename()).toBe('backup_code.txt');

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByText('Copied', { exact: true })).toBeVisible();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  for (const c of backupCodes) expect(clip, 'the clipboard holds every code').toContain(c);

  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, user.username);
  const binds = callsOf(api, API.bindMfa).map(bodyOf);
  expect(binds).toEqual([
    { type: 'Totp', verificationId: secretAnswer.verificationId },
    { type: 'BackupCode', verificationId: generated.verificationId },
  ]);
  expect(callsOf(api, API.submit).at(-1).status).toBe(200);
});

test('verify TOTP: sign in again → /mfa-verification/Totp → code → signed in', async ({ page, request, browser, baseURL, guard }) => {
  const account = await inOwnContext({ browser, baseURL }, (own) => registerWithTotp(own, request));
  guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
  guard.allow(/sign-in-passkey\/authentication$/, 'identifier-first passkey: no passkey on the account → 400 webauthn_verification_not_found, then the password');
  const api = recordApi(page);
  await submitPassword(page, account);
  await page.waitForURL(/\/mfa-verification\/Totp/);
  const gate = JSON.parse((await callsOf(api, API.submit)[0].response) ?? '{}');
  expect(callsOf(api, API.submit)[0].status).toBe(403);
  expect(gate).toMatchObject({ code: 'session.mfa.require_mfa_verification', data: { availableFactors: ['Totp', 'BackupCode'] } });
  await expectScreenAnnounced(page, 'Enter your authenticator code', codeBoxes(page)[0]);

  const code = await freshTotp(account.secret);
  await fillCode(page, code);
  await expectSignedInAs(page, account.username);
  expect(bodyOf(callsOf(api, API.totpVerify)[0])).toEqual({ code });
  expect(callsOf(api, API.submit).map((c) => c.status)).toEqual([403, 200]);
});

test('reload on /mfa-verification/Totp keeps the step working', async ({ page, request, browser, baseURL, guard }, testInfo) => {
  const account = await inOwnContext({ browser, baseURL }, (own) => registerWithTotp(own, request));
  guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
  guard.allow(/status of 400/, 'a wrong code after the reload, on purpose');
  await submitPassword(page, account);
  await page.waitForURL(/\/mfa-verification\/Totp/);
  await expect(page.getByRole('heading', { name: 'Enter your authenticator code' })).toBeVisible();

  await page.reload();
  await expect(page).toHaveURL(/\/mfa-verification\/Totp/);
  await expect(page.getByRole('heading', { name: 'Enter your authenticator code' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Try another method' }), 'the factor list survived the reload').toBeVisible();
  const api = recordApi(page);

  // Still usable after a reload: a wrong code is answered, then the right one signs in.
  await fillCode(page, wrongTotp(account.secret));
  const err = await visibleError(page);
  testInfo.annotations.push({ type: 'wrong TOTP after reload', description: `${err.where}: ${err.text}` });
  await expect(codeBoxes(page)[0]).toBeEditable();
  await fillCode(page, await freshTotp(account.secret));
  await expectSignedInAs(page, account.username);
  expect(callsOf(api, API.totpVerify).map((c) => c.status)).toEqual([400, 200]);
});

test('backup code: "Try another method" → Backup code signs in; the used code is then rejected', async ({ page, request, browser, baseURL, guard }, testInfo) => {
  const account = await inOwnContext({ browser, baseURL }, (own) => registerWithTotp(own, request));
  guard.allow(/status of 403/, 'session.mfa.require_mfa_verification asks for the second factor');
  guard.allow(/status of 400/, 'the used backup code on purpose (session.mfa.invalid_backup_code)');
  const api = recordApi(page);
  const [first, second] = account.backupCodes;

  const useBackupCode = async () => {
    await submitPassword(page, account);
    await page.waitForURL(/\/mfa-verification\/Totp/);
    await page.getByRole('link', { name: 'Try another method' }).click();
    await page.waitForURL(/\/mfa-verification(\?|$)/);
    await expectScreenAnnounced(page, "Verify it's you");
    const choices = page.locator('a.mfa_factor');
    await expect(choices).toHaveCount(2);
    await expect(choices.nth(0)).toHaveAttribute('data-factor', 'Totp');
    await expect(choices.nth(1)).toHaveAttribute('data-factor', 'BackupCode');
    await page.getByRole('link', { name: /Backup code/ }).click();
    await page.waitForURL(/\/mfa-verification\/BackupCode/);
    await expectScreenAnnounced(page, 'Enter a backup code', page.getByLabel('Backup code', { exact: true }));
  };

  await useBackupCode();
  const input = page.getByLabel('Backup code', { exact: true });
  await input.fill(first);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, account.username);
  expect(bodyOf(callsOf(api, API.backupVerify)[0])).toEqual({ code: first });
  expect(callsOf(api, API.backupVerify)[0].status).toBe(200);

  // Again, with the same code: rejected with a message; the field stays usable and another code works.
  await signOut(page);
  await useBackupCode();
  await input.fill(first);
  await page.getByRole('button', { name: 'Continue' }).click();
  const err = await visibleError(page);
  testInfo.annotations.push({ type: 'used backup code message', description: `${err.where}: ${err.text}` });
  expectReadable(err.text, 'used backup code message');
  expect(err.text).toMatch(/used|not valid|invalid|incorrect/i);
  expect(await statusOf(callsOf(api, API.backupVerify)[1])).toBe(400);
  await expect(page).toHaveURL(/\/mfa-verification\/BackupCode/);
  await expect(input).toBeEditable();
  await input.fill(second);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedInAs(page, account.username);
  expect(callsOf(api, API.backupVerify).map((c) => [bodyOf(c).code, c.status])).toEqual([
    [first, 200],
    [first, 400],
    [second, 200],
  ]);
});
