// flows.json's emailBlocklistPolicy (server-only): + tags and the @blocked.test domain are refused with
// session.email_blocklist.* — inline on the form that sends the code; on the way back from a social IdP, a notice
// on /sign-in (docs/experience-api.md, Errors and reactions).
import { test, expect, recordApi } from '../fixtures.mjs';
import { atIdp, acceptTermsQuestion, expectNotice, openSignIn } from './social-helpers.mjs';
import { startDemo, unique } from './identifier-helpers.mjs';

test('registration with a + tag or a blocked domain: the provider\'s reason under the field, what was typed kept, no code screen', async ({ page, guard }) => {
  guard.allow(/status of 422/, 'session.email_blocklist.* on purpose; Chromium logs it');
  const api = recordApi(page);
  await startDemo(page, 'first_screen=register', /\/register/);
  const email = page.locator('input[name=identifier]');
  await page.locator('input[name=terms]').check();
  for (const [address, reason] of [
    [`${unique('bl')}+news@example.com`, /\+ tag/],
    [`${unique('bl')}@blocked.test`, /isn't accepted/],
  ]) {
    await email.fill(address);
    await page.locator('button[type=submit]').click();
    await expect(page.locator('p.field_error, [role=alert]').filter({ visible: true, hasText: reason }).first()).toBeVisible();
    await expect(email).toHaveValue(address);
    await expect(page).toHaveURL(/\/register(\?|$)/);
  }
  const sends = api.calls.filter((c) => c.key === 'POST /api/experience/verification/verification-code');
  expect(sends.map((c) => c.status)).toEqual([422, 422]);
});

test('a social identity with a blocked email: back on /sign-in with the reason, no account made', async ({ page, guard }) => {
  guard.allow(/status of (404|422)/, 'user.identity_not_exist, then the blocklist refusal at identification; Chromium logs them');
  await openSignIn(page);
  await page.locator('a.button_social').click();
  await atIdp(page, { email: `${unique('bl')}@blocked.test`, name: 'Blocked Person' });
  await acceptTermsQuestion(page);
  await page.waitForURL(/\/sign-in(\?|$)/);
  await expectNotice(page, "isn't accepted");
});
