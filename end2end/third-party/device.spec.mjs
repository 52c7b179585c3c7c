// The device flow (docs/experience-api.md, "Device flow"): a device (the test, speaking to the provider directly)
// starts a device authorization and polls; the person enters the code on /device (typed, pasted, wrong, expired,
// already used), signs in, lands on /device/success, and the device's next poll gets tokens.
import { test, expect, USERS, fillCredentials, form } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

async function startDevice(request) {
  const r = await request.post('/oidc/device/auth', { form: { client_id: 'tv-app', scope: 'openid profile' } });
  expect(r.status()).toBe(200);
  return r.json();
}

async function poll(request, deviceCode) {
  const r = await request.post('/oidc/token', { form: { grant_type: GRANT, client_id: 'tv-app', device_code: deviceCode } });
  return r.json();
}

const codeField = (page) => page.getByLabel('Code');
const fieldError = (page) => page.locator('.field_error');

async function enter(page, typed) {
  await codeField(page).fill(typed);
  await page.locator('button[name=submit]').click();
}

test('a device is signed in: wrong, empty and expired codes first, then the pasted code, sign-in and success', async ({ page, request }, testInfo) => {
  const device = await startDevice(request);
  expect(device.verification_uri).toMatch(/\/oidc\/device$/);
  expect((await poll(request, device.device_code)).error).toBe('authorization_pending');

  await page.goto(device.verification_uri);
  await page.waitForURL(/\/device$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connect a device');
  await expectNoAxeViolations(page, testInfo, 'device');

  await enter(page, '');
  await expect(fieldError(page)).toHaveText('Enter the code shown on your device.');

  await enter(page, 'bcdf ghjk');
  await page.waitForURL(/\/device\?.*error=not_found/);
  await expect(fieldError(page)).toHaveText("That code doesn't match any device. Check it and try again.");
  await expect(codeField(page)).toHaveValue('BCDF-GHJK');
  await expectNoAxeViolations(page, testInfo, 'device-invalid');

  const stale = await startDevice(request);
  expect((await request.post('/admin/device-codes/expire', { data: { userCode: stale.user_code } })).status()).toBe(204);
  await enter(page, stale.user_code);
  await page.waitForURL(/error=expired/);
  await expect(fieldError(page)).toHaveText('That code has expired. Start again on your device to get a new one.');

  // Pasted from somewhere: lower case, no dash, spaces around.
  const pasted = `  ${device.user_code.replace('-', ' ').toLowerCase()} `;
  const xsrf = (await page.context().cookies()).find((c) => c.name === '_logto_device_flow_xsrf');
  expect(xsrf?.value).toBeTruthy();
  const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/oidc/device');
  await enter(page, pasted);
  const body = new URLSearchParams((await posted).postData());
  expect(Object.fromEntries(body)).toEqual({ user_code: device.user_code, xsrf: xsrf.value, confirm: 'yes' });

  await page.waitForURL(/\/sign-in\?app_id=tv-app/);
  await fillCredentials(page, USERS.alice.username, USERS.alice.password);
  await form(page).submit.click();
  await page.waitForURL(/\/device\/success$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your device is connected');
  await expect(page.locator('main')).toContainText('You can go back to your device now.');
  await expectNoAxeViolations(page, testInfo, 'device-success');

  const tokens = await poll(request, device.device_code);
  expect(tokens.token_type).toBe('Bearer');
  const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url').toString());
  expect(claims).toMatchObject({ aud: 'tv-app', username: 'alice' });

  // The same code again, from the link a device shows (code filled in).
  await page.goto(device.verification_uri_complete);
  await expect(codeField(page)).toHaveValue(device.user_code);
  await page.locator('button[name=submit]').click();
  await page.waitForURL(/error=already_used/);
  await expect(fieldError(page)).toHaveText('That code was already used. Start again on your device to get a new one.');
});

test('typed by hand on /device without passing through the provider first, the code still goes through', async ({ page, request }) => {
  const device = await startDevice(request);
  await page.goto('/device');
  await enter(page, device.user_code.toLowerCase());
  // The provider sets its xsrf cookie and brings the code back; the person confirms.
  await page.waitForURL(/\/device\?user_code=/);
  await expect(codeField(page)).toHaveValue(device.user_code);
  await page.locator('button[name=submit]').click();
  await page.waitForURL(/\/sign-in\?app_id=tv-app/);
});

test('a hostile /device query (markup, a very long code) shows nothing unsafe, and a real code still goes through', async ({ page, request }) => {
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  const markup = '<script>window.__pwned=1</script><img src="/nothing" onerror="window.__pwned=2"><b>BCDF</b>';
  await page.goto(`/device?user_code=${encodeURIComponent(markup)}&error=${encodeURIComponent('<i>x</i>')}`);
  await expect(codeField(page)).toBeEditable();
  await expect(codeField(page)).toHaveValue(markup.slice(0, 32));
  await expect(fieldError(page), 'an unknown error reads as a code that matches nothing').toHaveText(
    "That code doesn't match any device. Check it and try again.",
  );
  await expect(page.locator('main script, main img[src="/nothing"], main b, main i')).toHaveCount(0);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();

  await page.goto(`/device?user_code=${'BCDF'.repeat(2_000)}`);
  await expect(codeField(page)).toBeEditable();
  expect((await codeField(page).inputValue()).length, 'the field holds at most what a code can be').toBeLessThanOrEqual(32);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'nothing widens the page').toBeLessThanOrEqual(0);

  const device = await startDevice(request);
  await enter(page, device.user_code);
  await page.waitForURL(/\/device\?user_code=/);
  await expect(codeField(page)).toHaveValue(device.user_code);
  await page.locator('button[name=submit]').click();
  await page.waitForURL(/\/sign-in\?app_id=tv-app/);
  expect(dialogs, 'nothing ran').toEqual([]);
});
