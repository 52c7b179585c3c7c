// Password sign-in through the real OIDC redirect chain of the reference provider.
import {
  test,
  expect,
  USERS,
  PASSWORD_FLOW,
  startSignIn,
  fillCredentials,
  expectSignedIn,
  visibleError,
  expectReadable,
  recordApi,
  holdRequests,
  form,
} from './fixtures.mjs';

const { alice } = USERS;

test('OIDC round trip: /demo → sign-in → alice → demo callback, with the Experience API calls in order', async ({ page }) => {
  const api = recordApi(page);
  const documents = [];
  page.on('request', (req) => {
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) documents.push(new URL(req.url()).pathname);
  });

  const f = await startSignIn(page);
  expect(new URL(page.url()).searchParams.get('app_id')).toBe('demo-app');
  // The landing was reached through the authorization endpoint, not typed in.
  expect(documents.slice(0, 3)).toEqual(['/demo', '/oidc/auth', '/sign-in']);
  expect(api.calls, 'no Experience API call before the user acts').toHaveLength(0);

  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);

  expect(api.keys()).toEqual(PASSWORD_FLOW);

  const [put, password, identification, submit] = api.calls;
  for (const call of api.calls) {
    const headers = await call.headers;
    expect(headers['logto-app-id'], `${call.key} sends Logto-App-Id`).toBe('demo-app');
    expect(headers['accept-language'], `${call.key} sends Accept-Language`).toBeTruthy();
    if (call.body) expect(headers['content-type'] ?? '', `${call.key} content type`).toMatch(/application\/json/);
  }
  // What the provider received and answered.
  expect(JSON.parse(put.body)).toMatchObject({ interactionEvent: 'SignIn' });
  expect(put.status).toBe(204);
  expect(JSON.parse(password.body)).toEqual({
    identifier: { type: 'username', value: alice.username },
    password: alice.password,
  });
  expect(password.status).toBe(200);
  const passwordAnswer = await password.response;
  const { verificationId } = JSON.parse(passwordAnswer ?? 'null') ?? {};
  expect(JSON.parse(identification.body)).toMatchObject({ verificationId: expect.any(String) });
  if (passwordAnswer !== null) expect(JSON.parse(identification.body).verificationId).toBe(verificationId);
  expect(identification.status).toBe(204);
  expect(submit.status).toBe(200);
  // The browser followed redirectTo (the OIDC resume URL) before landing on the callback.
  const submitAnswer = await submit.response;
  const resume = documents.find((p) => /^\/oidc\/auth\/[^/]+/.test(p));
  expect(resume, 'navigated to /oidc/auth/<uid>').toBeTruthy();
  if (submitAnswer !== null) expect(new URL(JSON.parse(submitAnswer).redirectTo, page.url()).pathname).toBe(resume);
  expect(documents.at(-1)).toBe('/demo/callback');
});

test('wrong password: message in an alert, identifier kept, retry succeeds', async ({ page, guard }) => {
  guard.allow(/status of 422/, 'the provider answers 422 session.invalid_credentials; Chromium logs it');
  const api = recordApi(page);
  const f = await startSignIn(page);

  await fillCredentials(page, alice.username, 'Wr0ng-Passw0rd!x');
  await f.submit.click();

  const err = await visibleError(page);
  test.info().annotations.push({ type: 'wrong-password message', description: `${err.where}: ${err.text}` });
  expectReadable(err.text, 'wrong-password message');
  expect(err.text).toMatch(/incorrect|invalid|wrong|password/i);
  await expect(f.identifier).toHaveValue(alice.username);
  await expect(f.submit).toBeEnabled();
  await expect(f.submit).not.toHaveAttribute('aria-busy', 'true');
  expect(api.calls.find((c) => c.key === 'POST /api/experience/verification/password')?.status).toBe(422);

  await f.password.focus();
  await expect(f.password).toBeFocused();
  await f.password.fill(alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);
});

test('wrong password: the password field is marked and points at the message, until edited or sent again', async ({ page, guard }) => {
  guard.allow(/status of 422/, 'the provider answers 422 session.invalid_credentials; Chromium logs it');
  const f = await startSignIn(page);
  await expect(f.password).not.toHaveAttribute('aria-invalid', /./);

  const refuse = async () => {
    await fillCredentials(page, alice.username, 'Wr0ng-Passw0rd!x');
    await f.password.press('Enter');
    const message = page.locator('form .form_error[role=alert]');
    await expect(message).toBeVisible();
    const id = await message.getAttribute('id');
    expect(id, 'the message has an id').toBeTruthy();
    await expect(f.password).toHaveAttribute('aria-invalid', 'true');
    await expect(f.password).toHaveAttribute('aria-describedby', new RegExp(`(^|\\s)${id}(\\s|$)`));
    await expect(f.password, 'the person is back in the field to fix').toBeFocused();
    // Only the password is marked: the identifier is not the one said to be wrong.
    await expect(f.identifier).not.toHaveAttribute('aria-invalid', /./);
  };

  await refuse();
  // Editing the password takes the mark away (the message stays until the next attempt).
  await f.password.press('End');
  await page.keyboard.type('x');
  await expect(f.password).not.toHaveAttribute('aria-invalid', /./);
  await expect(f.password).not.toHaveAttribute('aria-describedby', /./);

  // Refused again, then a new attempt: unmarked while it runs.
  await refuse();
  const gate = await holdRequests(page, '**/api/experience/verification/password');
  await f.submit.click();
  await expect.poll(gate.held).toBe(1);
  await expect(f.password).not.toHaveAttribute('aria-invalid', /./);
  await expect(f.password).not.toHaveAttribute('aria-describedby', /./);
  gate.release();
  await expect(f.password).toHaveAttribute('aria-invalid', 'true');
  await gate.dispose();

  await f.password.fill(alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);
});

test('a submit with something missing moves focus to the first field to fix, in document order', async ({ page }) => {
  const api = recordApi(page);
  const f = await startSignIn(page);
  // Password typed, identifier empty, Enter in the password field: focus goes up to the identifier.
  await f.password.fill(alice.password);
  await f.password.press('Enter');
  await expect(f.identifier).toHaveAttribute('aria-invalid', 'true');
  await expect(f.identifier).toBeFocused();
  // Both empty, sent with the button: the identifier again (the first of the two).
  await f.password.fill('');
  await f.submit.click();
  await expect(f.password).toHaveAttribute('aria-invalid', 'true');
  await expect(f.identifier).toBeFocused();
  // Identifier typed, password empty, Enter in the identifier field: focus goes down to the password.
  await f.identifier.fill(alice.username);
  await f.identifier.press('Enter');
  await expect(f.identifier).not.toHaveAttribute('aria-invalid', /./);
  await expect(f.password).toHaveAttribute('aria-invalid', 'true');
  await expect(f.password).toBeFocused();
  expect(api.calls, 'nothing was sent').toHaveLength(0);
});

test('unknown user: a clear message, identifier kept', async ({ page, guard }) => {
  guard.allow(/status of (422|404)/, 'the provider rejects the unknown account; Chromium logs it');
  const f = await startSignIn(page);
  await fillCredentials(page, 'nobody-here', 'Whatever-Passw0rd!');
  await f.submit.click();

  const err = await visibleError(page);
  test.info().annotations.push({ type: 'unknown-user message', description: `${err.where}: ${err.text}` });
  expectReadable(err.text, 'unknown-user message');
  expect(err.text).toMatch(/incorrect|invalid|not exist|doesn.t exist|not found|account/i);
  await expect(f.identifier).toHaveValue('nobody-here');
  await expect(f.submit).toBeEnabled();
});

test('keyboard: identifier first, Tab to password, Enter submits', async ({ page }) => {
  const f = await startSignIn(page);
  const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.tagName);
  if ((await focusedName()) !== 'identifier') {
    // Not autofocused: the first Tab stop must be the identifier.
    await page.keyboard.press('Tab');
  }
  await expect(f.identifier).toBeFocused();
  await page.keyboard.type(alice.username);
  await page.keyboard.press('Tab');
  await expect(f.password).toBeFocused();
  await page.keyboard.type(alice.password);
  await page.keyboard.press('Enter');
  await expectSignedIn(page, alice);
});

test('labels: the fields have real labels (default config: Username, Password)', async ({ page }) => {
  const f = await startSignIn(page);
  await expect(page.getByLabel('Username', { exact: true })).toHaveAttribute('name', 'identifier');
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('name', 'password');
  await expect(f.identifier).toHaveAttribute('autocomplete', /username/);
  await expect(f.password).toHaveAttribute('autocomplete', /current-password/);
  await expect(f.password).toHaveAttribute('type', 'password');
  await expect(f.submit).toHaveText(/sign in/i);
  // No form-level error before the user did anything.
  await expect(page.locator('[role=alert]').filter({ visible: true, hasText: /\S/ })).toHaveCount(0);
});

test('the page renders into <div id="app"> (where tenant CSS for Logto\'s page looks) and <html> has lang and dir', async ({ page }) => {
  await startSignIn(page);
  await expect(page.locator('#app > .logto_page-container main.logto_main-content')).toBeVisible();
  await expect(page.locator('body > .logto_page-container'), 'nothing rendered outside #app').toHaveCount(0);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expect(page).toHaveTitle('Sign in to your account');
  await expect(page.locator('footer.logto_signature')).toHaveText('Sign-in by Logto');
});

test('captcha and One Tap off (the default): every script comes from the page itself, and the captcha code is never fetched', async ({ page }) => {
  const scripts = [];
  const assets = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (req.resourceType() === 'script') scripts.push(url);
    if (url.pathname.startsWith('/assets/')) assets.push(url.pathname);
  });
  const f = await startSignIn(page);
  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);
  const pageOrigin = new URL(page.url()).origin;
  expect(scripts.length, 'the page loaded its scripts').toBeGreaterThan(0);
  expect(scripts.filter((url) => url.origin !== pageOrigin).map(String), 'no outside script').toEqual([]);
  expect(assets.filter((path) => path.includes('split-captcha')), 'no captcha code').toEqual([]);
});
