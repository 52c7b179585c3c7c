// Helpers of the settings matrix (end2end/matrix/): every cell is a provider whose sign-in experience differs from its
// base file in one setting (see MATRIX in playwright.config.mjs). The specs read the tenant's settings from the
// provider and assert what a person must do under them, so one spec serves every cell.
import { expect } from '../fixtures.mjs';

/** The tenant's public sign-in experience, as the page gets it. */
export async function tenantSettings(request) {
  const res = await request.get('/api/.well-known/sign-in-exp');
  expect(res.status()).toBe(200);
  return res.json();
}

/** Back to the users file's accounts, so each test starts from what it says (loopback-only test endpoint). */
export async function resetProvider(request) {
  expect((await request.post('/admin/reset')).status(), 'POST /admin/reset').toBe(204);
}

/**
 * Whether `screen` ('sign-in' or 'register') carries the terms checkbox that actions wait for: terms links
 * configured and the policy `Manual` (every screen) or `ManualRegistrationOnly` (registration only).
 */
export function termsAsked(settings, screen) {
  const hasTerms = Boolean(settings.termsOfUseUrl || settings.privacyPolicyUrl);
  const policy = settings.agreeToTermsPolicy;
  return hasTerms && (policy === 'Manual' || (policy === 'ManualRegistrationOnly' && screen === 'register'));
}

/**
 * On a screen with an action gated by the terms: when the policy asks for them, `act` first proves the action is
 * refused with the checkbox's message (and the page stays put), then the box is ticked; otherwise there is no box.
 */
export async function passTerms(page, settings, screen, act) {
  const box = page.locator('input[name=terms]');
  if (!termsAsked(settings, screen)) {
    await expect(box, `no terms checkbox on ${screen} under ${settings.agreeToTermsPolicy}`).toHaveCount(0);
    return;
  }
  const url = page.url();
  await act();
  await expect(page.locator('#terms-error')).toBeVisible();
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  expect(page.url(), 'the action waited for the terms').toBe(url);
  await box.check();
  await expect(page.locator('#terms-error')).toHaveCount(0);
}

/** The terms question a screen without a form asks (a callback about to make an account): accept it. */
export async function acceptTermsQuestion(page) {
  const question = page.getByRole('dialog');
  await expect(question.getByRole('heading')).toHaveText(/terms/i);
  await question.getByRole('button', { name: /accept/i }).click();
}

export const submitButton = (page) => page.locator('button[name=submit][type=submit]');
