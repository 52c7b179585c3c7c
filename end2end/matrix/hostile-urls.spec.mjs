// Hostile settings (cell `hostile-urls`, under Logto's CSP, which allows inline scripts): terms and privacy URLs with
// `javascript:` schemes (one disguised by case, a tab and a leading space), a `data:` logo, custom CSS with "</style>". The page drops every
// configured URL that is not http(s) or relative: no such link or image reaches the DOM, nothing runs, and with no
// terms left to accept the form does not wait for a box. Then hostile landing URLs: repeated parameters, a direct
// sign-in path that is not valid percent-encoding, an identity provider's address that is a script.
import { test, expect, recordApi, PUT_EXPERIENCE } from '../fixtures.mjs';
import { recordNavigations } from '../broken-answers.mjs';
import { SOCIAL, expectNotice, recordDocuments } from '../flows/social-helpers.mjs';
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

test('a repeated landing parameter counts the first time only, in the provider and in the page', async ({ page }) => {
  // The provider reads first_screen once: the first one (register) wins.
  await page.goto('/demo?first_screen=register&first_screen=reset_password');
  await page.waitForURL(/\/register\?/);
  await expect(page.locator('form input[name=identifier]')).toBeEditable();

  // The page: app_id and ui_locales twice on the landing URL. The first of each is the visit's, in every request.
  const settingsRequests = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/.well-known/')) settingsRequests.push(url);
  });
  await page.goto('/sign-in?app_id=demo-app&ui_locales=fr&app_id=bogus-app&ui_locales=ar');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  expect(await page.evaluate(() => sessionStorage.getItem('app_id'))).toBe('demo-app');
  expect(new URL(page.url()).searchParams.getAll('app_id'), 'the address bar keeps what it had').toEqual(['demo-app', 'bogus-app']);
  const settings = settingsRequests.find((u) => u.pathname === '/api/.well-known/sign-in-exp');
  expect(settings?.searchParams.get('appId')).toBe('demo-app');
  const phrases = settingsRequests.find((u) => u.pathname === '/api/.well-known/phrases');
  expect(phrases?.searchParams.get('lng')).toBe('fr');
});

test('a direct sign-in path that is not valid percent-encoding falls back to the sign-in page with a notice', async ({ page }) => {
  const UNKNOWN_TARGET = "That sign-in option isn't available here. Choose another way to sign in.";
  // The interaction's cookie comes from /demo; the hostile path is only in the /direct/ URL.
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in\?/);
  const api = recordApi(page);
  for (const [path, screen] of [
    ['/direct/social/%E0%A4%A?app_id=demo-app', /\/sign-in\?app_id=demo-app$/],
    ['/direct/%E0%A4%A/mock-social?app_id=demo-app&fallback=register', /\/register\?app_id=demo-app$/],
    ['/direct/sso/%?app_id=demo-app', /\/sign-in\?app_id=demo-app$/],
  ]) {
    await page.goto(path);
    await page.waitForURL(screen);
    await expectNotice(page, UNKNOWN_TARGET);
    await expect(page.locator('form input[name=identifier]'), path).toBeEditable();
  }
  expect(api.count(PUT_EXPERIENCE), 'no interaction was started for a link that names nothing').toBe(0);
});

test("an identity provider's address that is a script is not followed: the sign-in page says the provider couldn't be opened", async ({ page }) => {
  const FAILED = "We couldn't open that sign-in provider. Choose another way to sign in.";
  const { documents } = recordDocuments(page);
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in\?/);
  const moves = recordNavigations(page);
  for (const authorizationUri of ['javascript:alert(1)', 'data:text/html,<script>alert(2)</script>', '/mock-idp/authorize']) {
    await page.route(/\/authorization-uri$/, (route) => route.fulfill({ json: { authorizationUri, verificationId: 'v-hostile' } }));
    await page.goto(`/direct/social/${SOCIAL.target}?app_id=demo-app`);
    await page.waitForURL(/\/sign-in\?app_id=demo-app$/);
    await expectNotice(page, FAILED);
    await page.unrouteAll();
  }
  expect(moves.seen.filter((m) => m.startsWith('dialog')), 'nothing ran').toEqual([]);
  expect(documents.filter((d) => d.startsWith('/mock-idp')), 'the IdP was never opened').toEqual([]);
});
