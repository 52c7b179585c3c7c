// Captcha on (cells `captcha-invisible`: Turnstile, strict CSP, wasm engine; `captcha-checkbox-js`: reCAPTCHA
// Enterprise checkbox, Logto's CSP, JS engine), through the provider's stand-in for the vendor's script. Every
// interaction a password, a code or a new account starts carries a token the provider issued; a failed or expired
// challenge says so, keeps what was typed, and the next attempt passes.
import { test, expect, recordApi } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';
import {
  PAT, codeSentBy, expectCodeScreen, typeCode, expectSignedInAs, startDemo, freshEmail, completeRegistration, allowMissingProfile,
} from '../flows/identifier-helpers.mjs';
import { tenantSettings, resetProvider, passTerms, submitButton } from './helpers.mjs';

const FAILED = "The security check didn't pass or has expired. Try it again.";
const REQUIRED = 'Complete the security check, then try again.';

let settings;
let checkbox;
test.beforeAll(async ({ request }) => {
  settings = await tenantSettings(request);
  expect(settings.captchaPolicy).toEqual({ enabled: true });
  checkbox = settings.captchaConfig.mode === 'checkbox';
});
test.beforeEach(async ({ request }) => {
  await resetProvider(request);
});

const captchaBox = (page) => page.getByRole('group', { name: 'Security check' });

/** Ticks the box (checkbox mode; the invisible challenge runs on submit by itself), with the keyboard. */
async function solve(page) {
  if (!checkbox) return;
  const box = captchaBox(page).getByRole('checkbox');
  await box.focus();
  await page.keyboard.press('Space');
  await expect(captchaBox(page).locator('.stand-in-captcha-status')).toHaveText('Verified');
}

/** The next challenge fails in the widget, or issues a token that is expired when the provider checks it. */
async function nextChallenge(request, next) {
  expect((await request.post('/admin/captcha', { data: { next } })).status()).toBe(204);
}

/** Every `PUT /api/experience` the page sent carried a token (at least `count` of them). */
async function expectEveryStartHadAToken(api, count = 1) {
  const starts = api.calls.filter((c) => c.key === 'PUT /api/experience');
  expect(starts.length).toBeGreaterThanOrEqual(count);
  for (const start of starts) expect(JSON.parse(start.body).captchaToken, start.body).toMatch(/^stand-in\./);
}

async function toPasswordStep(page, username) {
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(username);
  await submitButton(page).click();
  await page.waitForURL(/\/sign-in\/password/);
}

test('password sign-in: the widget loads only now, a wrong password needs a fresh challenge, then signed in', async ({ page, guard }) => {
  guard.allow(/status of 422/, 'a wrong password on purpose (session.invalid_credentials)');
  const api = recordApi(page);
  const scripts = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url())));
  await toPasswordStep(page, PAT.username);
  if (checkbox) {
    await expect(captchaBox(page)).toBeVisible();
    const widget = captchaBox(page).locator('.stand-in-captcha');
    await expect(widget).toHaveAttribute('data-language', 'en');
    await expect(widget).toHaveAttribute('data-theme', /^(light|dark)$/);
  } else {
    await expect(captchaBox(page), 'nothing to tick').toHaveCount(0);
  }
  const vendor = scripts.filter((u) => /\/(turnstile\/v0\/api|recaptcha\/enterprise)\.js$/.test(u.pathname));
  expect(vendor, 'the vendor script, once').toHaveLength(1);

  const password = page.locator('input[name=password]');
  await password.fill(`${PAT.password}-wrong`);
  await solve(page);
  await submitButton(page).click();
  await expect(page.locator('form .form_error[role=alert]')).toBeVisible();
  if (checkbox) await expect(captchaBox(page).getByRole('checkbox'), 'a token is good once').not.toBeChecked();
  await password.fill(PAT.password);
  await solve(page);
  await submitButton(page).click();
  await expectSignedInAs(page, PAT);
  await expectEveryStartHadAToken(api, 2);
});

test('a failed challenge: a clear message, the password kept, the retry signs in', async ({ page, request, guard }) => {
  guard.allow(/status of 422/, 'provider refusals while the challenge fails');
  const api = recordApi(page);
  await toPasswordStep(page, PAT.username);
  const password = page.locator('input[name=password]');
  await password.fill(PAT.password);
  await nextChallenge(request, 'fail');
  if (checkbox) {
    await captchaBox(page).getByRole('checkbox').click();
    await expect(captchaBox(page).locator('.stand-in-captcha-status')).toHaveText('Verification failed');
  }
  await submitButton(page).click();
  await expect(page.locator('form .form_error[role=alert]')).toHaveText(checkbox ? REQUIRED : FAILED);
  await expect(password).toHaveValue(PAT.password);
  expect(api.calls.filter((c) => c.key === 'PUT /api/experience'), 'no interaction started without a token').toHaveLength(0);
  await solve(page);
  await submitButton(page).click();
  await expectSignedInAs(page, PAT);
  await expectEveryStartHadAToken(api);
});

test('an expired token: the provider refuses it, the page says so, the retry signs in', async ({ page, request, guard }) => {
  guard.allow(/status of 422/, 'session.captcha_failed on purpose');
  const api = recordApi(page);
  await toPasswordStep(page, PAT.username);
  const password = page.locator('input[name=password]');
  await password.fill(PAT.password);
  await nextChallenge(request, 'expire');
  await solve(page);
  await submitButton(page).click();
  await expect(page.locator('form .form_error[role=alert]')).toHaveText(FAILED);
  await expect(password).toHaveValue(PAT.password);
  await solve(page);
  await submitButton(page).click();
  await expectSignedInAs(page, PAT);
  await expectEveryStartHadAToken(api, 2);
});

test('code sign-in: the code is sent with a token, then signed in', async ({ page, request }) => {
  const api = recordApi(page);
  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(PAT.phone);
  await solve(page);
  const message = await codeSentBy(request, PAT.phone, () => submitButton(page).click());
  await expectCodeScreen(page, 'sign-in');
  await typeCode(page, message.code);
  await expectSignedInAs(page, PAT);
  await expectEveryStartHadAToken(api);
});

test('registration: the code is sent with a token for a Register interaction, then the new account is signed in', async ({ page, request, guard }) => {
  allowMissingProfile(guard);
  const api = recordApi(page);
  await startDemo(page, 'first_screen=register', /\/register/);
  const email = freshEmail('captcha');
  await page.locator('input[name=identifier]').fill(email);
  await solve(page);
  await passTerms(page, settings, 'register', () => submitButton(page).click());
  const message = await codeSentBy(request, email, () => submitButton(page).click());
  await expectCodeScreen(page, 'register');
  await completeRegistration(page, message.code);
  await expectEveryStartHadAToken(api);
  const start = api.calls.find((c) => c.key === 'PUT /api/experience');
  expect(JSON.parse(start.body).interactionEvent).toBe('Register');
});

test('forgot password: the code is sent with a token', async ({ page, request }) => {
  const api = recordApi(page);
  await toPasswordStep(page, PAT.email);
  await page.getByRole('link', { name: /forgot/i }).click();
  await page.waitForURL(/\/forgot-password/);
  await solve(page);
  await codeSentBy(request, PAT.email, () => submitButton(page).click());
  await expectCodeScreen(page, 'forgot-password');
  await expectEveryStartHadAToken(api);
});

test('the CSP names the widget host under the strict profile, nothing more', async ({ request, baseURL }) => {
  const response = await request.get('/sign-in');
  const csp = response.headers()['content-security-policy'];
  const meta = /<meta name="sign-in-captcha-script" content="([^"]+)">/.exec(await response.text());
  expect(meta, 'the page is configured with the stand-in').not.toBeNull();
  if (csp.includes('wasm-unsafe-eval')) {
    const standIn = new URL(meta[1]);
    expect(standIn.origin, 'an outside script').not.toBe(new URL(baseURL).origin);
    expect(csp).toContain(`script-src 'self' `);
    expect(csp.match(new RegExp(standIn.origin.replace(/[.:/]/g, '\\$&'), 'g'))).toHaveLength(2);
  } else {
    expect(meta[1].startsWith('/'), 'same origin under Logto’s header').toBe(true);
  }
});

test('axe: the password step with its captcha box', async ({ page }, testInfo) => {
  await toPasswordStep(page, PAT.username);
  if (checkbox) await expect(captchaBox(page).getByRole('checkbox')).toBeVisible();
  await expectNoAxeViolations(page, testInfo, 'password step with the captcha');
});
