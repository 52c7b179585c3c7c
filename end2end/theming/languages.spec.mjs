// Languages: `ui_locales` picks the provider's phrases (core/phrases/*.json with core/phrases/page/*.json, served at
// /api/.well-known/phrases with Content-Language), sets <html lang dir>, lays Arabic out right-to-left; a failing
// phrases request is said in the page's own English, and trying again brings the asked language. Axe in Arabic,
// light and dark.
import fs from 'node:fs';
import { expectNoAxeViolations as checkAxe } from '../axe.mjs';
import path from 'node:path';
import { test, expect, form, USERS, expectSignedIn } from '../fixtures.mjs';
import { repoRoot } from '../provider.mjs';

const readPhrases = (...parts) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'core', 'phrases', ...parts), 'utf8'));
/** Our whole translation for `lng`: the keys a Logto serves and the page's own (they share no key). */
const phrases = (lng) => {
  const whole = readPhrases(`${lng}.json`);
  for (const [section, entries] of Object.entries(readPhrases('page', `${lng}.json`))) {
    whole[section] = { ...whole[section], ...entries };
  }
  return whole;
};
const EN = phrases('en');

const expectNoAxeViolations = (page, testInfo, label) => checkAxe(page, testInfo, label, { screenshot: true });

/** Land on /sign-in through the demo client with `ui_locales`; returns the phrases response, if any was made. */
async function landIn(page, lng) {
  const phrasesResponse = page
    .waitForResponse((r) => new URL(r.url()).pathname === '/api/.well-known/phrases', { timeout: 20_000 })
    .catch(() => null);
  await page.goto(`/demo?ui_locales=${encodeURIComponent(lng)}`);
  await page.waitForURL(/\/sign-in(\?|$)/);
  const f = form(page);
  await expect(f.identifier).toBeVisible();
  await expect(f.submit).toBeEnabled();
  return { f, phrasesResponse };
}

for (const [lng, dir] of [
  ['ar', 'rtl'],
  ['fr', 'ltr'],
]) {
  test(`ui_locales=${lng}: <html lang="${lng}" dir="${dir}"> and the provider's ${lng} phrases`, async ({ page }) => {
    const want = phrases(lng);
    const { f, phrasesResponse } = await landIn(page, lng);
    await expect(page.locator('html')).toHaveAttribute('lang', lng);
    await expect(page.locator('html')).toHaveAttribute('dir', dir);
    const res = await phrasesResponse;
    expect(res, 'the page asked the provider for phrases').toBeTruthy();
    expect(res.status()).toBe(200);
    expect(res.headers()['content-language']).toBe(lng);
    await expect(f.submit).toHaveText(want.action.sign_in);
    expect(want.action.sign_in).not.toBe(EN.action.sign_in);
    await expect(page.locator('.brand_title')).toHaveText(want.description.sign_in_to_your_account);
    await expect(page).toHaveTitle(want.description.sign_in_to_your_account);
    await expect(page.locator('label[for=identifier]')).not.toHaveText(/Username|Email/);
  });
}

test('Arabic lays the form out right-to-left (logical properties)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const { f } = await landIn(page, 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  // The label's text starts at the right edge of the field (the inline start), not at the left.
  const { text, input } = await page.evaluate(() => {
    const label = document.querySelector('label[for=identifier]');
    const range = document.createRange();
    range.selectNodeContents(label);
    const r = range.getBoundingClientRect();
    const i = document.getElementById('identifier').getBoundingClientRect();
    return { text: { left: r.left, right: r.right }, input: { left: i.left, right: i.right } };
  });
  expect(Math.abs(text.right - input.right), 'label text ends at the right edge of the field').toBeLessThan(2);
  expect(text.left - input.left, 'label text is not at the left edge').toBeGreaterThan(8);
  await expect(f.identifier).toHaveCSS('direction', 'rtl');
  // The custom content (the inline start in RTL) sits to the right of the card.
  const aside = await page.locator('.logto_custom-content').boundingBox();
  const main = await page.locator('main.logto_main-content').boundingBox();
  expect(aside.x, 'custom content at the inline start (right) in RTL').toBeGreaterThan(main.x);
});

test('phrases request fails: the page says so, and trying again brings the page in the asked language', async ({
  page,
  guard,
}) => {
  guard.allow(/ERR_FAILED|ERR_ABORTED|phrases/, 'the phrases request is aborted on purpose');
  let aborted = 0;
  await page.route('**/api/.well-known/phrases**', (route) => {
    aborted += 1;
    return route.abort();
  });
  await page.goto('/demo?ui_locales=fr');
  // The failure screen is worded from the page's own English (no phrases came).
  await expect(page.getByRole('heading', { name: EN.error.something_went_wrong })).toBeVisible();
  expect(aborted, 'the page asked for phrases and the request failed').toBeGreaterThan(0);
  await expect(page.getByText(EN.error.network)).toBeVisible();
  await page.unroute('**/api/.well-known/phrases**');
  await page.getByRole('button', { name: EN.action.try_again }).click();
  const fr = phrases('fr');
  const f = form(page);
  await expect(f.submit).toHaveText(fr.action.sign_in);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('.brand_title')).toHaveText(fr.description.sign_in_to_your_account);
  // theming.json signs in identifier-first: the identifier, then the password on /sign-in/password.
  // Erin (users.json) has the email theming.json's sign-up requires, so no /continue/email step.
  const erin = { ...USERS.erin, name: 'Erin' };
  await f.identifier.fill(erin.username);
  await f.submit.click();
  await page.waitForURL(/\/sign-in\/password/);
  await form(page).password.fill(erin.password);
  await form(page).submit.click();
  await expectSignedIn(page, erin);
});

for (const [scheme, width] of [
  ['light', 1280],
  ['dark', 1280],
  ['light', 375],
  ['dark', 375],
]) {
  test(`axe: /sign-in in Arabic, ${scheme}, ${width}px`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width, height: 800 });
    await page.emulateMedia({ colorScheme: scheme });
    await landIn(page, 'ar');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
    await expectNoAxeViolations(page, testInfo, `sign-in-ar-${scheme}-${width}`);
  });
}
