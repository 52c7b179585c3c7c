// Helpers of the identifier-flow specs (codes, registration, reset, missing profile) on the `flows` provider
// (provider/config/flows.json). Not a spec: the `flows` project only runs `*.spec.mjs`.
import crypto from 'node:crypto';
import { expect } from '../fixtures.mjs';

export const PAT = { username: 'pat', name: 'Pat', phone: '14155550123', email: 'pat@example.com', password: 'P4t-Passw0rd!xy' };
export const ERIN = { username: 'erin', name: 'Erin', email: 'erin@example.com', password: 'Er1n-Passw0rd!x' };
export const ALICE = { username: 'alice', name: 'Alice', password: 'Al1ce-Passw0rd!x' };

let serial = 0;
/** A unique token per call (letters only after the prefix would still be unique across runs). */
export function unique(prefix = 'r') {
  serial += 1;
  return `${prefix}${Date.now()}${process.pid % 1000}${serial}`;
}

/** A fresh e-mail address nobody uses yet. */
export const freshEmail = (prefix = 'r') => `${unique(prefix)}@example.com`;

/** A US phone number (digits, as the provider stores them) that no other test picks, but for a 1 in 10^7 chance. */
export const freshPhone = () => `1415${String(crypto.randomInt(0, 10_000_000)).padStart(7, '0')}`;

/**
 * A fresh username with no run of 3 repeated or consecutive characters (so only the person's own information makes a
 * password built from it too weak), letters only, so `username + "!"` is a password only the provider refuses
 * (`restricted.user_info`).
 */
export function freshUsername(prefix = 'Qz') {
  // No two letters of this alphabet are neighbours, and no letter repeats: no runs, no sequences.
  const alphabet = 'bdfhjmprtvxz';
  let s = prefix;
  let last = 'z';
  for (let i = 0; i < 10; i += 1) {
    let c;
    do c = alphabet[Math.floor(Math.random() * alphabet.length)];
    while (c === last);
    s += c;
    last = c;
  }
  return s;
}

/** The newest outbox message for an address (email, or phone digits), or null. */
export async function latestMessage(request, to) {
  const res = await request.get(`/outbox/latest?to=${encodeURIComponent(to)}`);
  if (res.status() === 404) return null;
  expect(res.status(), `GET /outbox/latest?to=${to}`).toBe(200);
  return res.json();
}

/**
 * Runs `action` (which makes the page send a code) and returns the message the provider put in the outbox for
 * `to` because of it: the newest one that differs from what was there before.
 */
export async function codeSentBy(request, to, action) {
  const before = await latestMessage(request, to);
  await action();
  let message = null;
  await expect
    .poll(
      async () => {
        message = await latestMessage(request, to);
        return message && JSON.stringify(message) !== JSON.stringify(before);
      },
      { message: `a new code in the outbox for ${to}`, timeout: 10_000 },
    )
    .toBe(true);
  expect(message.code, 'a 6-digit code').toMatch(/^\d{6}$/);
  return message;
}

export function codeBoxes(page) {
  return [0, 1, 2, 3, 4, 5].map((i) => page.locator(`input[name=passcode_${i}]`));
}

/** The code screen is shown and usable. */
export async function expectCodeScreen(page, flow = /(sign-in|register|forgot-password|continue)/) {
  await page.waitForURL(new RegExp(`/${flow.source ?? flow}/verification-code`));
  const boxes = codeBoxes(page);
  for (const box of boxes) await expect(box).toBeVisible();
  await expect(boxes[0]).toBeEditable();
  return boxes;
}

/** Types the code digit by digit from the first box (the page moves the focus). */
export async function typeCode(page, code) {
  const boxes = codeBoxes(page);
  await boxes[0].click();
  for (const digit of code) await page.keyboard.type(digit, { delay: 30 });
}

/** The values of the six boxes, joined. */
export async function boxValues(page) {
  const values = [];
  for (const box of codeBoxes(page)) values.push(await box.inputValue());
  return values.join('');
}

/** Fails the test with the visible error text when the page shows one instead of `url`. */
export async function waitForUrlOrError(page, url, timeout = 20_000) {
  const alert = page.locator('[role=alert], p.field_error').filter({ visible: true, hasText: /\S/ });
  await Promise.race([
    page.waitForURL(url, { timeout }),
    alert.first().waitFor({ state: 'visible', timeout }).then(async () => {
      // An alert can flash while navigating; only fail if we are not where we should be.
      await page.waitForTimeout(300);
      if (!url.test(page.url())) {
        const text = await alert.first().innerText().catch(() => '?');
        throw new Error(`expected to reach ${url} but the page (${page.url()}) shows: ${text}`);
      }
    }),
  ]);
  await page.waitForURL(url, { timeout });
}

/** The demo client's callback page, signed in as `user` ({ name, username }). */
export async function expectSignedInAs(page, { name, username }) {
  await waitForUrlOrError(page, /\/demo\/callback/, 30_000);
  await expect(page.locator('body')).toContainText('Signed in as');
  await expect(page.locator('strong').first()).toHaveText(name);
  await expect(page.locator('code').first()).toHaveText(username);
}

/** The id token claims shown on the callback page. */
export async function callbackClaims(page) {
  return JSON.parse(await page.locator('pre').first().innerText());
}

/** `/demo` with extra authorization parameters, landing on the page. */
export async function startDemo(page, query = '', landing = /\/(sign-in|register|reset-password|forgot-password)/) {
  await page.goto(`/demo${query ? `?${query}` : ''}`);
  await page.waitForURL(landing);
  await expect(page.locator('main')).toBeVisible();
}

/**
 * On /continue/password after /continue/username: the page changes the URL but keeps drawing the username
 * screen (the `:method` param is read once). Returns true when the password form appeared by itself; otherwise
 * reloads (the screen is drawn from the URL then) and returns false. Setup code uses this to get past the bug;
 * the specs that test the transition assert it.
 */
export async function showPasswordScreen(page) {
  const form = page.locator('input[name=newPassword]');
  const appeared = await form.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
  if (!appeared) {
    await page.reload();
    await expect(form).toBeVisible();
  }
  return appeared;
}

/** Identifier-first sign-in of `username`, then its password: the page goes where the provider sends the person next. */
export async function signInWithPassword(page, { username, password }) {
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(username);
  await page.locator('button[name=submit][type=submit]').click();
  await page.waitForURL(/\/sign-in\/password/);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[name=submit][type=submit]').click();
}

/** Identifier-first sign-in of `email`, by a code asked for from the password screen: the code sent, already typed. */
export async function signInByEmailCode(page, request, email) {
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(email);
  await page.locator('button[name=submit][type=submit]').click();
  await page.waitForURL(/\/sign-in\/(password|verification-code)/);
  const toCode = page.getByRole('button', { name: /verification code|code instead|with a code/i });
  const message = await codeSentBy(request, email, () => toCode.click());
  await expectCodeScreen(page, /sign-in/);
  await typeCode(page, message.code);
  return message;
}

/** The browser's own console lines for the 422s a registration provokes (`user.missing_profile`). */
export function allowMissingProfile(guard) {
  guard.allow(/status of 422/, 'identification answers 422 user.missing_profile until the profile is complete; Chromium logs it');
}

/**
 * Registers a new account through the page: email → code → username → password → callback.
 * Returns { email, username, password, name }.
 */
export async function registerByEmail(page, request, { email = freshEmail('reg'), username, password } = {}) {
  await startDemo(page, 'first_screen=register', /\/register/);
  await page.locator('input[name=identifier]').fill(email);
  await page.locator('input[name=terms]').check();
  const message = await codeSentBy(request, email, () => page.locator('button[type=submit]').click());
  await expectCodeScreen(page, /register/);
  return { email, ...(await completeRegistration(page, message.code, { username, password })) };
}

/**
 * From a registration's code screen: the code, then the username and password the provider asks for, then the
 * callback. Returns { username, password, name }.
 */
export async function completeRegistration(page, code, { username = freshUsername(), password = 'Nw7-Passw0rd!kq' } = {}) {
  await typeCode(page, code);
  await waitForUrlOrError(page, /\/continue\/username/);
  await page.locator('input[name=identifier]').fill(username);
  await page.locator('button[type=submit]').click();
  await waitForUrlOrError(page, /\/continue\/password|\/register\/password/);
  await showPasswordScreen(page);
  await page.locator('input[name=newPassword]').fill(password);
  await page.locator('input[name=confirmPassword]').fill(password);
  await page.locator('button[type=submit]').click();
  await expectSignedInAs(page, { name: username, username });
  return { username, password, name: username };
}
