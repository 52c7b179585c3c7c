// Missing profile: flows.json's sign-up requires an email, and an account without one (like the seeded alice) is asked
// for it after its password: user.missing_profile → /continue/email → code → signed in. The test makes its own
// account (`POST /admin/users`) rather than use alice, who would keep the email it gives her: so every run, and a
// copy running beside it, starts from an account without one.
import { test, expect, recordApi, createUser } from '../fixtures.mjs';
import {
  codeSentBy,
  expectCodeScreen,
  typeCode,
  expectSignedInAs,
  callbackClaims,
  signInWithPassword,
  freshEmail,
  freshUsername,
  allowMissingProfile,
} from './identifier-helpers.mjs';

test('an account without an email → password → /continue/email → code → signed in, the email now on the account', async ({ page, request, guard }) => {
  allowMissingProfile(guard);
  const user = await createUser(request, { username: freshUsername('Nm'), name: 'Nomail Person', password: 'Nm7-Passw0rd!kq' });
  expect(user.primaryEmail).toBeNull();
  const api = recordApi(page);
  await signInWithPassword(page, user);

  await page.waitForURL(/\/continue\/email/);
  const identification = api.calls.find((c) => c.key === 'POST /api/experience/identification' && c.status === 422)
    ?? api.calls.find((c) => c.key === 'POST /api/experience/submit' && c.status === 422);
  const answer = JSON.parse((await identification?.response) ?? '{}');
  expect(answer.code).toBe('user.missing_profile');
  expect(JSON.stringify(answer.data)).toContain('email');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/email/i);
  const field = page.locator('input[name=identifier]');
  await expect(field).toBeEditable();
  await expect(field).toHaveAttribute('type', 'email');
  const email = freshEmail('nomail');
  await field.fill(email);
  const message = await codeSentBy(request, email, () => page.locator('button[name=submit][type=submit]').click());
  await expectCodeScreen(page, /continue/);
  await expect(page.locator('main')).toContainText(email);
  await typeCode(page, message.code);
  await expectSignedInAs(page, user);
  const claims = await callbackClaims(page);
  if ('email' in claims) expect(claims.email).toBe(email);

  const profile = api.calls.find((c) => c.key === 'POST /api/experience/profile');
  expect(JSON.parse(profile.body)).toMatchObject({ type: 'email', verificationId: expect.any(String) });
  // Inside the same interaction: no second PUT /api/experience.
  expect(api.count('PUT /api/experience')).toBe(1);
});
