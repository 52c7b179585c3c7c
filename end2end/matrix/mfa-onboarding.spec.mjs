// MFA the person may turn on (cells `mfa-user-controlled`, wasm engine, and `mfa-user-controlled-js`, JS engine:
// mfa.json with the UserControlled policy). A new account is asked on /mfa-onboarding whether to turn 2-step
// verification on; each screen of the way is announced (#15, item 3: its headline names the document and takes the
// focus, as none of these screens has a field).
import { test, expect, expectScreenAnnounced } from '../fixtures.mjs';
import { register, expectSignedInAs } from '../mfa/helpers.mjs';
import { tenantSettings } from './helpers.mjs';
import { expectNoAxeViolations } from '../axe.mjs';

test('UserControlled: register → skip the passkey → "Turn on 2-step verification?" → Turn on → the chooser → Skip → signed in', async ({
  page,
  request,
  guard,
}, testInfo) => {
  guard.allow(/status of 422/, 'missing_profile, passkey_preferred, suggest_mfa and missing_mfa steer the flow');
  const settings = await tenantSettings(request);
  expect(settings.mfa.policy).toBe('UserControlled');

  const user = await register(page, request, 'onb');
  await page.waitForURL(/\/create-passkey/);
  await expectScreenAnnounced(page, 'Sign in faster with a passkey');
  await page.getByRole('button', { name: 'Skip for now' }).click();

  await page.waitForURL(/\/mfa-onboarding/);
  await expectScreenAnnounced(page, 'Turn on 2-step verification?');
  await expectNoAxeViolations(page, testInfo, 'mfa-onboarding');
  await page.getByRole('button', { name: 'Turn on' }).click();

  // Turned on, but optional: the chooser offers the factors and a way past them.
  await page.waitForURL(/\/mfa-binding(\?|$)/);
  await expectScreenAnnounced(page, 'Set up 2-step verification');
  await expect(page.getByRole('link', { name: /Authenticator app/ })).toBeVisible();
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await expectSignedInAs(page, user.username);
});
