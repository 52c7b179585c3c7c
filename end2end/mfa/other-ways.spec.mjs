// #15 item 10 with every kind of other way in (mfa.json: the passkey button, a social connector, single sign-on):
// one list after "or", passkey first, at 375 and 1280 px. Runs in `mfa` (wasm engine) and `mfa-js` (JS engine).
import { test, expect, expectProjectEngine } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';
import { addVirtualAuthenticator } from './helpers.mjs';
import { VIEWPORTS, expectOtherWaysTogether } from '../walkthrough/helpers.mjs';

for (const [name, size] of Object.entries(VIEWPORTS)) {
  test(`${name} (${size.width} px): passkey, social and single sign-on come together after "or", in that order`, async ({ page }, testInfo) => {
    await page.setViewportSize(size);
    // A browser that can use passkeys: the page shows the button.
    await addVirtualAuthenticator(page);
    await page.goto('/demo');
    await page.waitForURL(/\/sign-in(\?|$)/);
    await expectProjectEngine(page);
    await expect(page.getByRole('button', { name: 'Continue with passkey' })).toBeVisible();
    await expectOtherWaysTogether(page, ['Continue with passkey', 'Continue with Mock Social', 'Use single sign-on']);
    await expectNoAxeViolations(page, testInfo, `sign-in-other-ways-${name}`);
  });
}
