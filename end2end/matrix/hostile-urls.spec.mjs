// Hostile settings (cell `hostile-urls`, under Logto's CSP, which allows inline scripts): terms and privacy URLs with
// `javascript:` schemes (one disguised by case, a tab and a leading space), a `data:` logo, custom CSS with "</style>". The page drops every
// configured URL that is not http(s) or relative: no such link or image reaches the DOM, nothing runs, and with no
// terms left to accept the form does not wait for a box.
import { test, expect } from '../fixtures.mjs';
import { tenantSettings } from './helpers.mjs';
import { PAT, startDemo } from '../flows/identifier-helpers.mjs';

test('javascript: and data: URLs from the settings never become links or images', async ({ page, request }) => {
  const settings = await tenantSettings(request);
  expect(settings.termsOfUseUrl).toMatch(/^javascript:/);
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss();
  });

  await startDemo(page, '', /\/sign-in/);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  const unsafe = await page.evaluate(() =>
    [...document.querySelectorAll('[href], [src]')]
      .map((el) => el.getAttribute('href') ?? el.getAttribute('src'))
      .filter((url) => /^\s*(javascript|data|vbscript):/i.test(url.replace(/[\t\n\r]/g, ''))),
  );
  expect(unsafe, 'no script or data URL in any href or src').toEqual([]);
  // The light logo was dropped: the tenant's other (dark) logo stands in, as when no light logo is set.
  const logo = page.locator('img.brand_logo');
  if (await logo.count()) expect(await logo.getAttribute('src')).toMatch(/^(https?:|\/)/);
  await expect(page.locator('input[name=terms]'), 'no terms left to accept').toHaveCount(0);
  // Custom CSS holding "</style>": the server's copy (defused) is recognised, the page does not add it again.
  await expect(page.locator('style[data-custom-css]')).toHaveCount(1);

  await page.locator('input[name=identifier]').fill(PAT.username);
  await page.locator('button[name=submit][type=submit]').click();
  await page.waitForURL(/\/sign-in\/password/);
  expect(dialogs, 'nothing ran').toEqual([]);
});
