// A magic link for an email nobody uses registers an account; under flows.json's ManualRegistrationOnly terms
// policy the page asks for the terms first (there is no form to tick a box on): decline → the link error page,
// accept → the account is created (Logto's `interaction-event {Register}` after the token's verification).
import { test, expect, recordApi } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';
import { allowMissingProfile, freshEmail } from './identifier-helpers.mjs';

async function openLink(page, request, email) {
  const minted = await request.post('/admin/one-time-tokens', { data: { email } });
  expect(minted.status()).toBe(201);
  const { token } = await minted.json();
  await page.goto(`/demo?one_time_token=${encodeURIComponent(token)}&login_hint=${encodeURIComponent(email)}`);
  return token;
}

test('magic link for a new email: terms asked before the account is made; declining ends on the link error page', async ({ page, request, guard }, testInfo) => {
  allowMissingProfile(guard);
  guard.allow(/status of 404/, 'user.user_not_exist before registering, as Logto; Chromium logs it');
  const api = recordApi(page);
  const token = await openLink(page, request, freshEmail('ml'));
  const question = page.getByRole('dialog');
  await expect(question.getByRole('heading', { level: 1 })).toHaveText(/terms/i);
  await expect(question.getByRole('link', { name: /terms/i })).toHaveAttribute('href', 'https://example.com/terms');
  expect(page.url()).not.toContain(token);
  expect(api.count('PUT /api/experience/interaction-event'), 'nothing registered before the answer').toBe(0);
  await expectNoAxeViolations(page, testInfo, 'magic link terms question');
  await question.getByRole('button', { name: /cancel/i }).click();
  await page.waitForURL(/\/one-time-token\/error/);
  expect(api.count('PUT /api/experience/interaction-event')).toBe(0);

  // Accepting goes on with registration (the next screen asks what sign-up still needs, or signs in).
  await page.context().clearCookies();
  await openLink(page, request, freshEmail('ml'));
  await page.getByRole('dialog').getByRole('button', { name: /accept/i }).click();
  await page.waitForURL(/\/(continue\/|demo\/callback)/);
  const event = api.calls.find((c) => c.key === 'PUT /api/experience/interaction-event');
  expect(JSON.parse(event.body)).toEqual({ interactionEvent: 'Register' });
});
