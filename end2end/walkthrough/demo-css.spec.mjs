// #15 item 13: the demo configurations' custom CSS (provider/config/flows.json, as rich.json, mfa.json and
// mfa-email.json) themes both modes: a mint page in light mode, a deep teal one in dark mode, text legible on each.
import { test, expect } from '../fixtures.mjs';
import { VIEWPORTS, startDemo, axeClean, contrast, backgroundBehind } from './helpers.mjs';

const MINT = 'rgb(240, 253, 250)';
const DEEP_TEAL = 'rgb(12, 37, 34)';

for (const scheme of ['light', 'dark']) {
  for (const [name, size] of Object.entries(VIEWPORTS)) {
    test(`${scheme} at ${size.width} px: the tenant's page colour follows the theme and every text stays legible`, async ({ page }, testInfo) => {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: scheme });
      await startDemo(page, '', /\/sign-in/);
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await expect(page.locator('style[data-custom-css]')).toHaveCount(1);
      const container = page.locator('.logto_page-container');
      if (name === 'wide') {
        // Behind the card: the tenant's colour for this theme.
        await expect(container).toHaveCSS('background-color', scheme === 'light' ? MINT : DEEP_TEAL);
      }
      for (const selector of ['h1.brand_title', 'label[for=identifier]', 'footer.logto_signature', '.signIn_createAccount']) {
        const color = await page.locator(selector).first().evaluate((el) => getComputedStyle(el).color);
        const ratio = contrast(color, await backgroundBehind(page, selector));
        expect(ratio, `${selector}: ${color} on its background`).toBeGreaterThanOrEqual(4.5);
      }
      await axeClean(page, testInfo, `demo-css-${scheme}-${name}`);
    });
  }
}
