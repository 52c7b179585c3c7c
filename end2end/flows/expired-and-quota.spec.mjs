// Two provider refusals with their own reactions (docs/experience-api.md, Errors and reactions): an expired password
// (flows.json: passwordExpiration 365 days; the demo user olga last set hers in 2020) and a connector over its usage
// limit (`POST /admin/connector-usage-limit` marks one address). Neither test changes a demo user for good, so a retry
// starts from the same state.
import { test, expect, recordApi, expectReadable } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';
import { codeSentBy, expectCodeScreen, startDemo, freshEmail } from './identifier-helpers.mjs';

const OLGA = { email: 'olga@example.com', password: 'Olg4-Passw0rd!x' };
const submitButton = (page) => page.locator('button[name=submit][type=submit]');
const notice = (page) => page.locator('.notice_region');

test('expired password: the right password leads to the reset with the address kept and a notice; the reset code is sent', async ({ page, request, guard }, testInfo) => {
  guard.allow(/status of 422/, 'password.expired on purpose; Chromium logs it');
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(OLGA.email);
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in\/password/);
  const api = recordApi(page);
  await page.locator('input[name=password]').fill(OLGA.password);
  await submitButton(page).click();

  await page.waitForURL(/\/forgot-password(\?|$)/);
  const refused = api.calls.find((c) => c.key === 'POST /api/experience/verification/password');
  expect(refused.status).toBe(422);
  expect(JSON.parse((await refused.response) ?? '{}').code).toBe('password.expired');
  await expect(notice(page)).toHaveText(/expired/i);
  expectReadable(await notice(page).innerText(), 'expired-password notice');
  await expect(page.locator('input[name=identifier]')).toHaveValue(OLGA.email);
  await expectNoAxeViolations(page, testInfo, 'forgot password after an expired password');

  const message = await codeSentBy(request, OLGA.email, () => submitButton(page).click());
  expect(message).toMatchObject({ type: 'email', template: 'ForgotPassword' });
  await expectCodeScreen(page, /forgot-password/);
});

test('connector over its usage limit: a clear "no code sent" message, what was typed kept, no dead end', async ({ page, request, guard }) => {
  guard.allow(/status of 400/, 'connector.usage_limit_exceeded on purpose; Chromium logs it');
  // Addresses of this test only: other tests running at the same time keep getting their codes.
  const phone = `1415${String(Date.now()).slice(-7)}`;
  const email = freshEmail('quota');
  const limit = (to, exceeded) => request.post('/admin/connector-usage-limit', { data: { to, exceeded } });
  expect((await limit(phone, true)).status()).toBe(204);
  expect((await limit(email, true)).status()).toBe(204);
  try {
    // Phone signs in by code only: the message stays on the identifier form.
    await startDemo(page, '', /\/sign-in/);
    const identifier = page.locator('input[name=identifier]');
    await identifier.fill(phone);
    await submitButton(page).click();
    const alert = page.locator('[role=alert]').filter({ visible: true, hasText: /\S/ }).first();
    await expect(alert).toHaveText(/couldn.t send a code/i);
    await expect(page).toHaveURL(/\/sign-in(\?|$)/);
    await expect(identifier).toHaveValue(phone);
    await expect(submitButton(page)).toBeEnabled();

    // Email with a password: "use a code instead" says the same and the password form stays usable.
    await identifier.fill(email);
    await submitButton(page).click();
    await page.waitForURL(/\/sign-in\/password/);
    await page.getByRole('button', { name: /code/i }).click();
    await expect(page.locator('[role=alert]').filter({ hasText: /couldn.t send a code/i })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in\/password/);
    await expect(page.locator('input[name=password]')).toBeEditable();
  } finally {
    await limit(phone, false);
    await limit(email, false);
  }
});
