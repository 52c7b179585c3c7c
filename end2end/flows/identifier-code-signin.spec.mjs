// Verification-code sign-in (identifier first) on the `flows` provider: email is password-primary, phone is
// code-only. The codes come from the provider's outbox (`GET /outbox/latest?to=…`).
import { test, expect, recordApi, expectReadable, createUser } from '../fixtures.mjs';
import {
  ERIN,
  codeSentBy,
  codeBoxes,
  expectCodeScreen,
  typeCode,
  boxValues,
  expectSignedInAs,
  startDemo,
  signInByEmailCode,
  freshEmail,
  freshPhone,
  freshUsername,
} from './identifier-helpers.mjs';

/** An account like pat's (everything flows.json's sign-up asks for) with a phone of its own. */
const phoneUser = (request) =>
  createUser(request, {
    username: freshUsername('Ph'),
    name: 'Phone Person',
    primaryPhone: freshPhone(),
    primaryEmail: freshEmail('ph'),
    password: 'Ph7-Passw0rd!kq',
  });

// Phone is the code-only sign-in of flows.json. The phone tests make their own account with a phone of their own
// (`POST /admin/users`) instead of using pat's: codes sent to one address by tests running side by side (the other
// worker, `--repeat-each`, a run just before) would be taken for each other's, and the provider sends at most 5 a
// minute per address. Paste and reload are in codes-entry.spec.mjs.

const wrongCode = (code) => code.split('').map((d) => String((Number(d) + 5) % 10)).join('');

async function identifierFirst(page, value) {
  await startDemo(page, '', /\/sign-in/);
  const identifier = page.locator('input[name=identifier]');
  await expect(identifier).toBeEditable();
  // Identifier-first: no password field on the landing screen.
  await expect(page.locator('input[name=password]')).toHaveCount(0);
  await identifier.fill(value);
  return page.locator('button[name=submit][type=submit]');
}

test('email is password-primary: /sign-in → /sign-in/password, and the password screen offers the code instead', async ({ page }) => {
  const submit = await identifierFirst(page, ERIN.email);
  await submit.click();
  await page.waitForURL(/\/sign-in\/password/);
  await expect(page.locator('input[name=password]')).toBeVisible();
  await expect(page.locator('main')).toContainText(ERIN.email);
  // flows.json: email has `verificationCode: true`, so Logto's password screen offers the switch
  // ("Sign in with a verification code") — issue 5: "switch between password and code".
  const toCode = page.getByRole('link', { name: /verification code|code instead|with a code/i }).or(
    page.getByRole('button', { name: /verification code|code instead|with a code/i }),
  );
  await expect(toCode, 'a way to sign in with an email code from /sign-in/password').toHaveCount(1, { timeout: 3_000 });
});

test('phone code sign-in: code typed digit by digit → signed in; the provider got the calls it expects', async ({ page, request }) => {
  const user = await phoneUser(request);
  const api = recordApi(page);
  const submit = await identifierFirst(page, user.primaryPhone);
  const message = await codeSentBy(request, user.primaryPhone, () => submit.click());
  expect(message).toMatchObject({ type: 'sms', template: 'SignIn' });

  const boxes = await expectCodeScreen(page, /sign-in/);
  await expect(page.locator('main')).toContainText(user.primaryPhone);
  await expect(boxes[0]).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(boxes[0]).toHaveAttribute('inputmode', 'numeric');
  // Code-only method: no "use password instead" link.
  await expect(page.getByRole('link', { name: /password/i })).toHaveCount(0);

  await typeCode(page, message.code.slice(0, 3));
  await expect(boxes[3], 'typing advances to the next box').toBeFocused();
  await typeCode2(page, message.code.slice(3));
  await expectSignedInAs(page, user);

  const keys = api.keys();
  expect(keys).toEqual([
    'PUT /api/experience',
    'POST /api/experience/verification/verification-code',
    'POST /api/experience/verification/verification-code/verify',
    'POST /api/experience/identification',
    'POST /api/experience/submit',
  ]);
  const [put, send, verify, identification] = api.calls;
  expect(JSON.parse(put.body)).toEqual({ interactionEvent: 'SignIn' });
  expect(JSON.parse(send.body)).toEqual({ identifier: { type: 'phone', value: user.primaryPhone }, interactionEvent: 'SignIn' });
  const { verificationId } = JSON.parse(await send.response);
  expect(JSON.parse(verify.body)).toEqual({ identifier: { type: 'phone', value: user.primaryPhone }, verificationId, code: message.code });
  expect(verify.status).toBe(200);
  expect(JSON.parse(identification.body)).toEqual({ verificationId });
});

// Continues typing in whatever box has the focus (the first three digits already moved it).
async function typeCode2(page, digits) {
  for (const digit of digits) await page.keyboard.type(digit, { delay: 30 });
}

test('wrong code: inline error tied to the boxes, boxes cleared, retry with the right code signs in', async ({ page, request, guard }) => {
  guard.allow(/status of (400|422)/, 'the provider refuses the wrong code (verification_code.code_mismatch); Chromium logs it');
  const user = await phoneUser(request);
  const api = recordApi(page);
  const submit = await identifierFirst(page, user.primaryPhone);
  const message = await codeSentBy(request, user.primaryPhone, () => submit.click());
  const boxes = await expectCodeScreen(page, /sign-in/);
  await expect(page.getByRole('heading', { level: 1 }), 'the screen says what to do').toHaveText('Enter the code');
  await expect(page).toHaveTitle('Enter the code');

  await typeCode(page, wrongCode(message.code));
  const error = page.locator('#code-error');
  await expect(error).toBeVisible();
  const text = (await error.innerText()).trim();
  test.info().annotations.push({ type: 'wrong-code message', description: text });
  expectReadable(text, 'wrong-code message');
  expect(text).toMatch(/code/i);
  await expect(error).toHaveAttribute('role', 'alert');
  for (const box of boxes) {
    await expect(box).toHaveValue('');
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(box).toHaveAttribute('aria-describedby', 'code-error');
  }
  expect(await boxValues(page)).toBe('');
  await expect(boxes[0], 'the boxes emptied: the next digit goes in the first').toBeFocused();
  const verify = api.calls.find((c) => c.key === 'POST /api/experience/verification/verification-code/verify');
  expect(verify.status, 'the provider refused the wrong code').toBeGreaterThanOrEqual(400);
  expect(JSON.parse(verify.body).code).toBe(wrongCode(message.code));
  await expect(page).toHaveURL(/\/sign-in\/verification-code/);

  await typeCode(page, message.code);
  await expectSignedInAs(page, user);
  expect(api.count('POST /api/experience/verification/verification-code'), 'no second code was sent').toBe(1);
});

test('unknown phone at code sign-in: phone is not a sign-up identifier, so no "create account?" offer but a clear message', async ({ page, request, guard }) => {
  guard.allow(/status of (404|422)/, 'the provider answers user.user_not_exist for the unknown phone; Chromium logs it');
  const phone = `1415${String(Date.now()).slice(-7)}`;
  const api = recordApi(page);
  const submit = await identifierFirst(page, phone);
  const message = await codeSentBy(request, phone, () => submit.click());
  await expectCodeScreen(page, /sign-in/);
  await typeCode(page, message.code);

  const visible = page.locator('[role=alert], [role=alertdialog]').filter({ visible: true, hasText: /\S/ });
  await expect(visible.first()).toBeVisible();
  await expect(page.getByRole('alertdialog'), 'no "create account?" offer: signUp.identifiers is [email]').toHaveCount(0);
  const text = (await visible.first().innerText()).trim();
  test.info().annotations.push({ type: 'unknown-phone message', description: text });
  expectReadable(text, 'unknown-phone message');
  expect(text).toMatch(/account|exist|not found|registered/i);
  const identification = api.calls.find((c) => c.key === 'POST /api/experience/identification');
  expect(identification?.status, 'identification refused').toBeGreaterThanOrEqual(400);
  expect(JSON.parse((await identification.response) ?? '{}').code).toBe('user.user_not_exist');
  expect(api.keys(), 'no switch to Register').not.toContain('PUT /api/experience/interaction-event');
  await expect(page).not.toHaveURL(/\/demo\/callback/);
});

test('unknown email at code sign-in → "create account?" → Confirm registers it (when the email code path exists)', async ({ page, request, guard }) => {
  guard.allow(/status of (404|422)/, 'the provider answers user.user_not_exist; Chromium logs it');
  const email = freshEmail('cs');
  await signInByEmailCode(page, request, email);
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(email);
  await dialog.getByRole('button', { name: /confirm/i }).click();
  // flows.json: ManualRegistrationOnly — the new account waits for the terms.
  const terms = page.getByRole('dialog');
  await expect(terms.getByRole('link', { name: /terms/i })).toBeVisible();
  await terms.getByRole('button', { name: /accept/i }).click();
  await page.waitForURL(/\/continue\/username|\/demo\/callback/);
});
