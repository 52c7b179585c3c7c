// #15 items 9 to 12, measured at 375 px and 1280 px: the terms row reads as one line beside its box, the other ways
// in come together in one order, the logo keeps its place from step to step, and a toast never covers a control.
import { test, expect } from '../fixtures.mjs';
import { freshEmail } from '../flows/identifier-helpers.mjs';
import { atIdp } from '../flows/social-helpers.mjs';
import { VIEWPORTS, RESET, startDemo, acceptTermsIfAsked, axeClean, box, overlap, expectOtherWaysTogether } from './helpers.mjs';

for (const [name, size] of Object.entries(VIEWPORTS)) {
  test.describe(`${name} (${size.width} px)`, () => {
    test.use({ viewport: size });

    test('terms: the sentence starts beside its box, names it, says the links once; the error sits under it', async ({ page }, testInfo) => {
      await startDemo(page, 'first_screen=register', /\/register/);
      const row = page.locator('.terms_checkbox');
      const checkbox = page.getByRole('checkbox', { name: 'I accept the Terms of use and Privacy policy' });
      await expect(checkbox).toBeVisible();
      await expect(row.locator('a'), 'each link once').toHaveText(['Terms of use', 'Privacy policy']);
      await expect(row.locator('p:not(.field_error)'), 'one sentence, no second line repeating the links').toHaveCount(1);

      const cb = await box(checkbox, 'the checkbox');
      const sentence = await box(page.locator('.terms_sentence'), 'the sentence');
      const label = await box(page.locator('.terms_sentence label'), 'the label');
      expect(Math.abs(sentence.x - (cb.x + cb.width) - 8), 'the sentence starts 8 px after the box').toBeLessThan(1.5);
      expect(Math.abs(label.x - sentence.x), 'the label starts the sentence (not centred away)').toBeLessThan(1);
      expect(Math.abs(sentence.y + 10 - (cb.y + cb.height / 2)), 'first line centred on the box').toBeLessThan(3);

      await page.locator('input[name=identifier]').fill(freshEmail('terms'));
      await page.locator('button[type=submit]').click();
      const error = page.locator('#terms-error');
      await expect(error).toBeVisible();
      await expect(checkbox).toBeFocused();
      const err = await box(error, 'the error');
      expect(Math.abs(err.x - sentence.x), 'the error lines up with the sentence').toBeLessThan(1);
      expect(err.y, 'the error is under the sentence').toBeGreaterThanOrEqual(sentence.y + sentence.height - 0.5);
      await axeClean(page, testInfo, `terms-error-${name}`);
    });

    test('sign-in: the form, then "or" and every other way in as one list (social, then single sign-on), then "create account"', async ({ page }, testInfo) => {
      await startDemo(page, '', /\/sign-in/);
      await expectOtherWaysTogether(page, ['Continue with Mock Social', 'Use single sign-on']);
      await axeClean(page, testInfo, `sign-in-${name}`);
    });

    test('the logo keeps its place: sign-in, register, forgot password, a code screen, the social terms question', async ({ page, guard }, testInfo) => {
      guard.allow(/status of 404/, 'a new social identity: identification answers 404 user.identity_not_exist; Chromium logs it');
      const logoY = async (screen) => {
        const logo = page.locator('img.brand_logo');
        await expect(logo, `${screen} shows the logo`).toBeVisible();
        return { screen, y: (await box(logo, `${screen}'s logo`)).y };
      };
      const seen = [];
      await startDemo(page, '', /\/sign-in/);
      seen.push(await logoY('sign-in'));
      await startDemo(page, 'first_screen=register', /\/register/);
      seen.push(await logoY('register'));
      await startDemo(page, 'first_screen=reset_password', RESET);
      seen.push(await logoY('forgot-password'));
      await page.locator('input[name=identifier]').fill(freshEmail('logo'));
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/\/forgot-password\/verification-code/);
      seen.push(await logoY('code'));
      // A new social identity under a terms policy: the question is its own screen, under the same header.
      await page.goto('/demo?direct_sign_in=social:mock-social');
      await atIdp(page, { email: freshEmail('logo-social'), name: 'Logo Person' });
      await expect(page.getByRole('button', { name: 'Accept' })).toBeVisible();
      seen.push(await logoY('social terms question'));
      await axeClean(page, testInfo, `social-terms-${name}`);
      for (const { screen, y } of seen) expect(Math.abs(y - seen[0].y), `${screen}'s logo at the sign-in logo's height`).toBeLessThan(1);
    });

    test('a toast takes its own place: it covers no control', async ({ page }, testInfo) => {
      await startDemo(page, '', /\/sign-in/);
      await acceptTermsIfAsked(page);
      await page.locator('a.button_social').click();
      await atIdp(page, { action: 'cancel' });
      await page.waitForURL(/\/sign-in(\?|$)/);
      const toast = page.locator('.notice_toast');
      await expect(toast).toHaveText('Sign-in with the provider was cancelled.');
      const t = await box(toast, 'the toast');
      const controls = page.locator('main :is(a, button, input, label)');
      const count = await controls.count();
      expect(count).toBeGreaterThan(3);
      for (let i = 0; i < count; i += 1) {
        const control = controls.nth(i);
        if (!(await control.isVisible())) continue;
        const c = await control.boundingBox();
        const what = await control.evaluate((el) => el.outerHTML.slice(0, 80));
        expect(overlap(t, c), `the toast covers ${what}`).toBe(false);
      }
      // Scrolled to the end, the last control is still free (the toast stays at the top of the view).
      await page.locator('main .signIn_createAccount a').scrollIntoViewIfNeeded();
      const last = await box(page.locator('main .signIn_createAccount a'), 'create account');
      expect(overlap(await box(toast, 'the toast'), last)).toBe(false);
      await axeClean(page, testInfo, `sign-in-toast-${name}`);
    });
  });
}
