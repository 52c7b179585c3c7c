// MFA the person may turn on (cells `mfa-user-controlled`, wasm engine, and `mfa-user-controlled-js`, JS engine:
// mfa.json with the UserControlled policy). A new account is asked on /mfa-onboarding whether to turn 2-step
// verification on; each screen of the way is announced (#15, item 3: its headline names the document and takes the
// focus, as none of these screens has a field).
import { test, expect, expectScreenAnnounced, recordApi } from '../fixtures.mjs';
import { allowBrokenAnswers, breakEachWay } from '../broken-answers.mjs';
import { register, expectSignedInAs, callsOf } from '../mfa/helpers.mjs';
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

// Broken answers on the onboarding choices (#14; end2end/broken-answers.mjs): Skip on the passkey offer
// (`passkey-skipped`), Turn on (`mfa-enabled`) and Skip (`mfa-skipped`) on /mfa-onboarding, and the submit after each.
// Every breakage in turn shows a readable message on the same screen, its buttons usable; pressing again sends the
// choice and the submit again (the provider saw neither broken call) and the flow goes on.
const EA = '/api/experience';
const SUBMIT = { method: 'POST', path: `${EA}/submit`, reads: true };
const choice = (action) => ({ method: 'POST', path: `${EA}/profile/mfa/${action}`, reads: false });
const ONBOARDING_BREAKS = [
  { screen: 'passkey offer', button: 'Skip for now', call: choice('passkey-skipped') },
  { screen: 'passkey offer', button: 'Skip for now', call: SUBMIT },
  { screen: 'onboarding', button: 'Turn on', call: choice('mfa-enabled') },
  { screen: 'onboarding', button: 'Turn on', call: SUBMIT },
  { screen: 'onboarding', button: 'Skip for now', call: choice('mfa-skipped') },
  { screen: 'onboarding', button: 'Skip for now', call: SUBMIT },
];

for (const { screen, button: name, call } of ONBOARDING_BREAKS) {
  test(`${screen}, "${name}", ${call.method} ${call.path}: every broken answer shows a message, and pressing again works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of 422/, 'missing_profile, passkey_preferred, suggest_mfa and missing_mfa steer the flow');
    await page.clock.install();
    const user = await register(page, request, 'onbk');
    await page.waitForURL(/\/create-passkey/);
    const onOffer = screen === 'passkey offer';
    const press = (label) => page.getByRole('button', { name: label });
    const api = recordApi(page);
    const breakOn = (button, url) =>
      breakEachWay(page, call, {
        attempt: () => button.click(),
        ready: async () => {
          await expect(button).toBeEnabled();
          await expect(page).toHaveURL(url);
        },
      });

    if (onOffer) await breakOn(press(name), /\/create-passkey/);
    await press('Skip for now').click();
    await page.waitForURL(/\/mfa-onboarding/);
    await expect(press('Turn on')).toBeEnabled();
    if (!onOffer) await breakOn(press(name), /\/mfa-onboarding/);
    const answer = onOffer ? 'Skip for now' : name;
    await press(answer).click();
    if (answer === 'Turn on') {
      // Turned on, but optional: the chooser's Skip.
      await page.waitForURL(/\/mfa-binding(\?|$)/);
      await press('Skip for now').click();
    }
    await expectSignedInAs(page, user.username);
    if (call !== SUBMIT) {
      expect(callsOf(api, `${call.method} ${call.path}`).map((c) => c.status), 'the provider took the choice').toContain(204);
    }
  });
}
