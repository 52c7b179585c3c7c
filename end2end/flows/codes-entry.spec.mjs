// The code screen itself: paste, reload, incomplete code. On the registration code screen with fresh
// addresses (no rate limit shared with other tests).
import { test, expect } from '../fixtures.mjs';
import {
  codeSentBy,
  codeBoxes,
  expectCodeScreen,
  typeCode,
  boxValues,
  startDemo,
  freshEmail,
  allowMissingProfile,
  waitForUrlOrError,
} from './identifier-helpers.mjs';

async function toRegisterCode(page, request, email) {
  await startDemo(page, 'first_screen=register', /\/register/);
  await page.locator('input[name=identifier]').fill(email);
  await page.locator('input[name=terms]').check();
  const message = await codeSentBy(request, email, () => page.locator('button[name=submit][type=submit]').click());
  await expectCodeScreen(page, /register/);
  return message;
}

test('paste: the whole code pasted into the first box spreads over the six boxes and submits', async ({ page, context, request, guard }) => {
  allowMissingProfile(guard);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const email = freshEmail('paste');
  const message = await toRegisterCode(page, request, email);
  await page.evaluate((code) => navigator.clipboard.writeText(code), message.code);
  await codeBoxes(page)[0].focus();
  await page.keyboard.press('ControlOrMeta+V');
  await waitForUrlOrError(page, /\/continue\/username/);
});

test('paste: a code pasted with spaces around it still spreads', async ({ page, context, request, guard }) => {
  allowMissingProfile(guard);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const message = await toRegisterCode(page, request, freshEmail('paste'));
  await page.evaluate((code) => navigator.clipboard.writeText(` ${code.slice(0, 3)} ${code.slice(3)} `), message.code);
  await codeBoxes(page)[0].focus();
  await page.keyboard.press('ControlOrMeta+V');
  await waitForUrlOrError(page, /\/continue\/username/);
});

test('reload on the code screen: still usable, and the code still verifies', async ({ page, request, guard }) => {
  allowMissingProfile(guard);
  const email = freshEmail('reload');
  const message = await toRegisterCode(page, request, email);
  const url = page.url();
  await typeCode(page, message.code.slice(0, 2));
  await page.reload();
  await expect(page).toHaveURL(url);
  const boxes = await expectCodeScreen(page, /register/);
  await expect(page.locator('main')).toContainText(email);
  for (const box of boxes) await expect(box).toHaveValue('');
  await typeCode(page, message.code);
  await waitForUrlOrError(page, /\/continue\/username/);
});

test('code screen opened with no sessionStorage (new tab, copied URL): resumed from the provider\'s interaction', async ({ page, request, guard }) => {
  allowMissingProfile(guard);
  const email = freshEmail('resume');
  const message = await toRegisterCode(page, request, email);
  const url = page.url();
  await page.evaluate(() => sessionStorage.clear());
  const resumed = page.waitForRequest((req) => req.method() === 'GET' && new URL(req.url()).pathname === '/api/experience/interaction');
  await page.reload();
  await resumed;
  await expect(page).toHaveURL(url);
  await expectCodeScreen(page, /register/);
  await expect(page.locator('main')).toContainText(email);
  await typeCode(page, message.code);
  await waitForUrlOrError(page, /\/continue\/username/);
});

test('incomplete code + Continue: a message, nothing sent; Backspace moves back', async ({ page, request }) => {
  await toRegisterCode(page, request, freshEmail('part'));
  await typeCode(page, '12');
  await expect(codeBoxes(page)[2]).toBeFocused();
  await page.keyboard.press('Backspace');
  await expect(codeBoxes(page)[1]).toBeFocused();
  expect(await boxValues(page)).toBe('1');
  await page.locator('button[name=submit][type=submit]').click();
  await expect(page.locator('#code-error')).toHaveText(/6 digits|all/i);
  await expect(page).toHaveURL(/\/register\/verification-code/);
});
