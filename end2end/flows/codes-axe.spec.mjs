// axe-core on the identifier-flow screens (flows.json): /register (also with its terms error), the code screen
// (also after a wrong code), /continue/username, /continue/password, /forgot-password, /forgot-password/reset.
import { test, expect } from '../fixtures.mjs';
import { expectNoAxeViolations as checkAxe } from '../axe.mjs';

// Soft: every screen of the flow is checked even when an earlier one has violations.
const expectNoAxeViolations = (page, testInfo, label) => checkAxe(page, testInfo, label, { soft: true });
import {
  codeSentBy,
  expectCodeScreen,
  typeCode,
  startDemo,
  freshEmail,
  registerByEmail,
  allowMissingProfile,
  waitForUrlOrError,
  showPasswordScreen,
} from './identifier-helpers.mjs';


const submit = (page) => page.locator('button[name=submit][type=submit]');

test('axe: /register, its terms error, the code screen, a wrong code, /continue/username, /continue/password', async ({ page, request, guard }, testInfo) => {
  allowMissingProfile(guard);
  guard.allow(/status of 400/, 'a wrong code on purpose; Chromium logs it');
  await startDemo(page, 'first_screen=register', /\/register/);
  await expect(page.locator('input[name=terms]')).toBeVisible();
  await expectNoAxeViolations(page, testInfo, 'register');

  const email = freshEmail('axe');
  await page.locator('input[name=identifier]').fill(email);
  await submit(page).click();
  await expect(page.locator('#terms-error')).toBeVisible();
  await expectNoAxeViolations(page, testInfo, 'register-terms-error');

  await page.locator('input[name=terms]').check();
  const message = await codeSentBy(request, email, () => submit(page).click());
  await expectCodeScreen(page, /register/);
  await expectNoAxeViolations(page, testInfo, 'register-verification-code');

  const wrong = message.code.split('').map((d) => String((Number(d) + 5) % 10)).join('');
  await typeCode(page, wrong);
  await expect(page.locator('#code-error')).toBeVisible();
  await expectNoAxeViolations(page, testInfo, 'verification-code-wrong-code');

  await typeCode(page, message.code);
  await waitForUrlOrError(page, /\/continue\/username/);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  await expectNoAxeViolations(page, testInfo, 'continue-username');

  await submit(page).click(); // empty username: the field error
  await expect(page.locator('p.field_error').filter({ visible: true })).toBeVisible();
  await expectNoAxeViolations(page, testInfo, 'continue-username-error');

  await page.locator('input[name=identifier]').fill(`Ax${Date.now().toString(36).replace(/\d/g, 'x')}`);
  await submit(page).click();
  await waitForUrlOrError(page, /\/continue\/password/);
  await showPasswordScreen(page);
  await expectNoAxeViolations(page, testInfo, 'continue-password');
});

test('axe: /forgot-password, its code screen, /forgot-password/reset (and its mismatch error)', async ({ page, request, guard }, testInfo) => {
  test.setTimeout(120_000);
  allowMissingProfile(guard);
  const user = await registerByEmail(page, request);
  await startDemo(page, 'first_screen=reset_password', /\/(reset-password|forgot-password)/);
  await expect(page.locator('input[name=identifier]')).toBeEditable();
  await expectNoAxeViolations(page, testInfo, 'forgot-password');

  await page.locator('input[name=identifier]').fill(user.email);
  const message = await codeSentBy(request, user.email, () => submit(page).click());
  await expectCodeScreen(page, /forgot-password/);
  await expectNoAxeViolations(page, testInfo, 'forgot-password-verification-code');
  await typeCode(page, message.code);
  await waitForUrlOrError(page, /\/forgot-password\/reset/);
  await expect(page.locator('input[name=newPassword]')).toBeEditable();
  await expectNoAxeViolations(page, testInfo, 'forgot-password-reset');

  await page.locator('input[name=newPassword]').fill('Ax9-Passw0rd!mz');
  await page.locator('input[name=confirmPassword]').fill('Ax9-Passw0rd!mq');
  await submit(page).click();
  await expect(page.locator('p.field_error').filter({ visible: true })).toBeVisible();
  await expectNoAxeViolations(page, testInfo, 'forgot-password-reset-mismatch');
});
