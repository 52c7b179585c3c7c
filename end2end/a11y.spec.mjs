// axe-core checks of the screens this slice renders.
import { test, expect, USERS, startSignIn, fillCredentials, visibleError } from './fixtures.mjs';
import { expectNoAxeViolations } from './axe.mjs';


test('axe: /sign-in', async ({ page }, testInfo) => {
  await startSignIn(page);
  await expectNoAxeViolations(page, testInfo, 'sign-in');
});

test('axe: /sign-in after a wrong password', async ({ page, guard }, testInfo) => {
  guard.allow(/status of 422/, 'wrong password on purpose');
  const f = await startSignIn(page);
  await fillCredentials(page, USERS.alice.username, 'Wr0ng-Passw0rd!x');
  await f.submit.click();
  await visibleError(page);
  await expect(f.submit).toBeEnabled();
  await expectNoAxeViolations(page, testInfo, 'sign-in-wrong-password');
});

test('axe: /unknown-session', async ({ page }, testInfo) => {
  await page.goto('/unknown-session');
  await expect(page.locator('.errorPage_title')).toBeVisible();
  await expectNoAxeViolations(page, testInfo, 'unknown-session');
});

test('axe: not-found page', async ({ page, guard }, testInfo) => {
  guard.allow(/status of 404/, 'unknown path');
  await startSignIn(page);
  await page.goto('/this-screen-does-not-exist?app_id=demo-app');
  await expect(page.locator('.errorPage_title')).toBeVisible();
  await expectNoAxeViolations(page, testInfo, 'not-found');
});
