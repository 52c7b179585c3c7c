// The designers' gallery (`cargo xtask gallery` → dist-gallery/, served statically; no provider behaviour): every
// state in light/dark × LTR (en) / RTL (ar) × narrow (375×740) / wide (1280×800). Each combination is screenshotted
// to end2end/test-results/gallery/<state>-<theme>-<dir>-<viewport>.png and checked by axe: zero violations,
// contrast included, for the default theme.
//
// One page load per state and language; theme (prefers-color-scheme, which the app follows live) and viewport
// (body.mobile|desktop, live too) change in place, so 8 combinations cost 2 loads.
import { test, expect } from '@playwright/test';
import { axeViolations } from '../axe.mjs';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../test-results/gallery/', import.meta.url));
const VIEWPORTS = { narrow: { width: 375, height: 740 }, wide: { width: 1280, height: 800 } };
const LANGS = [
  ['en', 'ltr'],
  ['ar', 'rtl'],
];
const THEMES = ['light', 'dark'];

const submit = (page) => page.locator('button[type=submit]').first();

async function signInWithPassword(page) {
  await page.locator('input[name=identifier]').fill('jane');
  await page.locator('input[name=password]').fill('Um4-Passw0rd!x');
  const terms = page.locator('input#terms');
  if (await terms.count()) await terms.check();
  await submit(page).click();
}

async function typeCode(page) {
  await page.locator('input.code_box').first().click();
  await page.keyboard.type('123456');
}

const alertShown = (page) => expect(page.locator('[role=alert]:visible').first()).toBeVisible();

// Per state (the gallery's ids and routes, src/gallery.rs): what shows the screen is ready, and what to do for the state to
// appear when opening it is not enough.
const STATES = {
  'sign-in': { path: '/sign-in', ready: 'form.signIn_form' },
  'sign-in-notice': { path: '/sign-in', ready: '.notice_toast' },
  'sign-in-field-errors': {
    path: '/sign-in',
    ready: 'form.signIn_form',
    act: async (page) => {
      await submit(page).click();
      await expect(page.locator('.field_error').first()).toBeVisible();
    },
  },
  'sign-in-password-form': { path: '/sign-in', ready: 'input[name=password]' },
  'sign-in-wrong-password': {
    path: '/sign-in',
    ready: 'input[name=password]',
    act: async (page) => {
      await signInWithPassword(page);
      await expect(page.locator('.form_error')).toBeVisible();
    },
  },
  'sign-in-pending': {
    path: '/sign-in',
    ready: 'input[name=password]',
    act: async (page) => {
      await signInWithPassword(page);
      await expect(submit(page)).toHaveAttribute('aria-busy', 'true');
    },
  },
  'sign-in-password': { path: '/sign-in/password', ready: 'input[name=password]' },
  'sign-in-password-captcha': { path: '/sign-in/password', ready: '.captcha .captcha_label' },
  'sign-in-dev-tenant': { path: '/sign-in', ready: '.layout_devTenant' },
  'sign-in-passkey': { path: '/sign-in/passkey', ready: 'form.mfa_form button' },
  'sign-in-methods': { path: '/sign-in/verification-methods', ready: 'ul.signIn_methodList' },
  'sign-in-code': { path: '/sign-in/verification-code', ready: 'input.code_box' },
  'sign-in-code-mismatch': {
    path: '/sign-in/verification-code',
    ready: 'input.code_box',
    act: async (page) => {
      await typeCode(page);
      await alertShown(page);
    },
  },
  'single-sign-on': { path: '/single-sign-on/email', ready: 'form.singleSignOn_form' },
  'single-sign-on-connectors': { path: '/single-sign-on/connectors', ready: 'main .button' },
  register: { path: '/register', ready: 'form.register_form' },
  'register-password': { path: '/register/password', ready: 'input[name=newPassword]' },
  'register-password-rejected': {
    path: '/register/password',
    ready: 'input[name=newPassword]',
    act: async (page) => {
      await page.locator('input[name=newPassword]').fill('Um4-Passw0rd!x');
      await page.locator('input[name=confirmPassword]').fill('Um4-Passw0rd!x');
      await submit(page).click();
      await alertShown(page);
    },
  },
  'continue-username': { path: '/continue/username', ready: 'form.continue_form' },
  'forgot-password': { path: '/forgot-password', ready: 'form.sendCode_form' },
  'mfa-verification': { path: '/mfa-verification', ready: 'ul.mfa_factorList' },
  'mfa-verify-totp-mismatch': {
    path: '/mfa-verification/Totp',
    ready: 'input.code_box',
    act: async (page) => {
      await typeCode(page);
      await alertShown(page);
    },
  },
  'mfa-verify-backup-code': { path: '/mfa-verification/BackupCode', ready: 'form.mfa_form' },
  'mfa-verify-email': { path: '/mfa-verification/EmailVerificationCode', ready: 'input.code_box' },
  'mfa-binding': { path: '/mfa-binding', ready: 'ul.mfa_factorList' },
  'mfa-bind-totp': { path: '/mfa-binding/Totp', ready: '.mfa_totpSetup' },
  'mfa-bind-backup-code': { path: '/mfa-binding/BackupCode', ready: '.mfa_backupCodes' },
  'mfa-bind-webauthn': { path: '/mfa-binding/WebAuthn', ready: 'main button' },
  'mfa-onboarding': { path: '/mfa-onboarding', ready: 'main button' },
  'create-passkey': { path: '/create-passkey', ready: 'main button' },
  'social-link': { path: '/social/link/mock-social', ready: 'main button.button_primary' },
  'switch-account': { path: '/switch-account?login_hint=pat%40example.com&one_time_token=gallery', ready: 'button.switchAccount_button' },
  'one-time-token-terms': { path: '/one-time-token?login_hint=pat%40example.com&one_time_token=gallery', ready: '.termsQuestion button' },
  consent: { path: '/consent?app_id=notes-app', ready: 'select#consent-organization' },
  'consent-no-organization': { path: '/consent?app_id=notes-app', ready: '.consent_noOrganization' },
  'consent-denied': {
    path: '/consent?app_id=notes-app',
    ready: 'button.consent_authorize',
    act: async (page) => {
      await page.locator('button.consent_authorize').click();
      await expect(page.locator('.errorPage_title')).toBeVisible();
    },
  },
  'consent-unavailable': { path: '/consent?app_id=notes-app', ready: '.errorPage_container button' },
  'consent-ended': { path: '/consent?app_id=notes-app', ready: '.errorPage_title' },
  'consent-unsafe-redirect': {
    path: '/consent?app_id=notes-app',
    ready: 'button.consent_authorize',
    act: async (page) => {
      await page.locator('button.consent_authorize').click();
      await alertShown(page);
    },
  },
  device: { path: '/device', ready: 'input[name=user_code]' },
  'device-required': {
    path: '/device',
    ready: 'input[name=user_code]',
    act: async (page) => {
      await submit(page).click();
      await expect(page.locator('.field_error')).toBeVisible();
    },
  },
  'device-invalid': { path: '/device?user_code=BCDF-GHJK&error=not_found', ready: '.field_error' },
  'device-expired': { path: '/device?user_code=BCDF-GHJK&error=expired', ready: '.field_error' },
  'device-used': { path: '/device?user_code=BCDF-GHJK&error=already_used', ready: '.field_error' },
  'device-success': { path: '/device/success', ready: '.device_success' },
  'unknown-session': { path: '/unknown-session', ready: '.errorPage_title' },
  'error-support': { path: '/unknown-session', ready: '.errorPage_support a' },
  'not-found': { path: '/gallery-no-such-screen', ready: '.errorPage_title' },
};

async function axe(page, label) {
  const { summary } = await axeViolations(page);
  return summary.map((s) => `[${label}] ${s}`);
}

/** The gallery's index as rendered: [{id, path}] in order. */
async function indexStates(page) {
  await page.goto('/gallery');
  const links = page.locator('a.gallery_state');
  await expect(links.first()).toBeVisible();
  return links.evaluateAll((as) => as.map((a) => ({ id: a.dataset.state, path: a.dataset.path })));
}

test.describe.configure({ mode: 'parallel' });

test.beforeAll(() => {
  if (!fs.existsSync(fileURLToPath(new URL('../../dist-gallery/index.html', import.meta.url)))) {
    throw new Error('dist-gallery/index.html is missing: run `cargo xtask gallery` first (`cargo xtask test` does).');
  }
  fs.mkdirSync(OUT, { recursive: true });
});

test('the index lists exactly the states this suite covers, and its switches force theme and direction', async ({ page }) => {
  const listed = await indexStates(page);
  expect(listed).toEqual(Object.entries(STATES).map(([id, { path }]) => ({ id, path })));
  await expect(page.locator('iframe[name=gallery-preview]')).toBeVisible();

  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/sign-in?gallery=sign-in&ui_locales=en&theme=dark&dir=rtl');
  await expect(page.locator('form.signIn_form')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // `system` and `auto` give control back to the system and the language.
  await page.goto('/sign-in?gallery=sign-in&ui_locales=fr&theme=system&dir=auto');
  await expect(page.locator('form.signIn_form')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
});

for (const [id, { path, ready, act }] of Object.entries(STATES)) {
  test(`gallery: ${id}`, async ({ page }) => {
    test.setTimeout(120_000);
    const requests = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) requests.push(r.url());
    });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const problems = [];
    for (const [lang, dir] of LANGS) {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.setViewportSize(VIEWPORTS.narrow);
      await page.goto(`${path}${path.includes('?') ? '&' : '?'}gallery=${id}&ui_locales=${lang}`);
      await expect(page.locator('html')).toHaveAttribute('dir', dir);
      await expect(page.locator(ready).first()).toBeVisible();
      // Every screen names the document after its one headline, and a screen that opens puts the focus on a field or
      // on that headline, not on the body (#15, item 3).
      const headlines = await page.locator('h1').allTextContents();
      const title = await page.title();
      if (headlines.length !== 1) problems.push(`[${lang}] headlines: ${JSON.stringify(headlines)}`);
      else if (title !== headlines[0].trim()) problems.push(`[${lang}] title "${title}" is not the headline "${headlines[0]}"`);
      await expect
        .poll(() => page.evaluate(() => document.activeElement !== document.body))
        .toBe(true)
        .catch(() => problems.push(`[${lang}] focus left on the body`));
      if (act) await act(page);
      for (const theme of THEMES) {
        await page.emulateMedia({ colorScheme: theme });
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        for (const [name, size] of Object.entries(VIEWPORTS)) {
          await page.setViewportSize(size);
          await expect(page.locator('body')).toHaveClass(name === 'narrow' ? /\bmobile\b/ : /\bdesktop\b/);
          await page.screenshot({ path: `${OUT}${id}-${theme}-${dir}-${name}.png`, fullPage: true, animations: 'disabled' });
          problems.push(...(await axe(page, `${theme} ${dir} ${name}`)));
        }
      }
    }
    expect(problems, `title, focus and axe violations on ${id}`).toEqual([]);
    expect(errors, 'no page errors').toEqual([]);
    expect(requests, 'the gallery never calls a provider').toEqual([]);
  });
}
