// Failures between the page and the provider: network down, 5xx, malformed answers, double submits.
import {
  test,
  expect,
  USERS,
  PUT_EXPERIENCE,
  POST_PASSWORD,
  POST_SUBMIT,
  startSignIn,
  fillCredentials,
  expectSignedIn,
  visibleError,
  expectReadable,
  expectNotBlank,
  recordApi,
  holdRequests,
  form,
} from './fixtures.mjs';
import { LAZY_ASSET } from './provider.mjs';
import { allowBrokenAnswers, breakEachWay, recordNavigations, UNFOLLOWED } from './broken-answers.mjs';

const { alice } = USERS;
const EXPERIENCE = '**/api/experience**';
const isPut = (url) => url.pathname === '/api/experience';
const isPassword = (url) => url.pathname === '/api/experience/verification/password';

async function expectRecoverable(page, f, what) {
  const err = await visibleError(page);
  test.info().annotations.push({ type: `${what} message`, description: `${err.where}: ${err.text}` });
  expectReadable(err.text, `${what} message`);
  await expectNotBlank(page);
  await expect(f.identifier).toHaveValue(alice.username);
  await expect(f.submit).toBeEnabled();
  await expect(f.submit).not.toHaveAttribute('aria-busy', 'true');
  return err;
}

test('provider down mid-flow: clear message, identifier kept, button re-enabled; works once it is back', async ({ page, guard }) => {
  guard.allow(/net::ERR_FAILED|ERR_CONNECTION|Failed to load resource/, 'requests are aborted on purpose');
  const f = await startSignIn(page);
  const aborted = [];
  const abort = (route) => {
    aborted.push(route.request().url());
    return route.abort('connectionrefused');
  };
  await page.route(EXPERIENCE, abort);

  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  await expectRecoverable(page, f, 'network failure');
  expect(aborted.length, 'the page tried the provider').toBeGreaterThan(0);

  await page.unroute(EXPERIENCE, abort);
  if ((await f.password.inputValue()) === '') await f.password.fill(alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);
});

test('5xx answer: clear message, no blank page; works once the provider recovers', async ({ page, guard }) => {
  guard.allow(/status of 500/, 'a 500 is injected on purpose');
  const f = await startSignIn(page);
  const fail = (route) => route.fulfill({ status: 500, contentType: 'text/plain', body: 'Internal Server Error' });
  await page.route(isPut, fail);

  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  await expectRecoverable(page, f, '5xx');

  await page.unroute(isPut, fail);
  if ((await f.password.inputValue()) === '') await f.password.fill(alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);
});

test('503 with an HTML body on the password step: a clear message, not the HTML', async ({ page, guard }) => {
  guard.allow(/status of 503/, 'a 503 is injected on purpose');
  const f = await startSignIn(page);
  await page.route(isPassword, (route) =>
    route.fulfill({ status: 503, contentType: 'text/html', body: '<html><body><h1>503 Service Unavailable</h1></body></html>' }),
  );
  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  const err = await expectRecoverable(page, f, '503 html');
  expect(err.text).not.toMatch(/<h1>|<html/i);
});

for (const [name, contentType, body] of [
  ['200 with an HTML body', 'text/html', '<!doctype html><title>proxy</title><p>Not JSON'],
  ['200 with broken JSON', 'application/json', '{"verificationId": '],
  ['200 with JSON of the wrong shape', 'application/json', '{"unexpected": true}'],
]) {
  test(`malformed response (${name}) on the password step: clear message, no blank page`, async ({ page }) => {
    const f = await startSignIn(page);
    const bad = (route) => route.fulfill({ status: 200, contentType, body });
    await page.route(isPassword, bad);

    await fillCredentials(page, alice.username, alice.password);
    await f.submit.click();
    await expectRecoverable(page, f, `malformed (${name})`);

    await page.unroute(isPassword, bad);
    if ((await f.password.inputValue()) === '') await f.password.fill(alice.password);
    await f.submit.click();
    await expectSignedIn(page, alice);
  });
}

test('double click on submit: one request of each kind, button disabled and aria-busy while pending', async ({ page }) => {
  const api = recordApi(page);
  const f = await startSignIn(page);
  const hold = await holdRequests(page, isPut);

  await fillCredentials(page, alice.username, alice.password);
  await f.submit.dblclick();
  await expect.poll(() => hold.held()).toBe(1);
  await expect(f.submit).toBeDisabled();
  await expect(f.submit).toHaveAttribute('aria-busy', 'true');
  // A third click while pending changes nothing either.
  await f.submit.click({ force: true, timeout: 2_000 }).catch(() => {});
  await page.waitForTimeout(300);
  expect(hold.held()).toBe(1);

  hold.release();
  await expectSignedIn(page, alice);
  expect(api.count(PUT_EXPERIENCE)).toBe(1);
  expect(api.count(POST_PASSWORD)).toBe(1);
  expect(api.count(POST_SUBMIT)).toBe(1);
});

test('Enter twice in the password field: exactly one PUT /api/experience', async ({ page }) => {
  const api = recordApi(page);
  const f = await startSignIn(page);
  const hold = await holdRequests(page, isPut);

  await fillCredentials(page, alice.username, alice.password);
  await f.password.press('Enter');
  await f.password.press('Enter');
  await expect.poll(() => hold.held()).toBe(1);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  expect(hold.held()).toBe(1);
  await expect(f.submit).toBeDisabled();

  hold.release();
  await expectSignedIn(page, alice);
  expect(api.count(PUT_EXPERIENCE)).toBe(1);
  expect(api.count(POST_PASSWORD)).toBe(1);
  expect(api.count(POST_SUBMIT)).toBe(1);
});

test('429 without a Logto body: "too many attempts", and when to try again from Retry-After', async ({ page, guard }) => {
  guard.allow(/status of 429/, 'a 429 is injected on purpose');
  const f = await startSignIn(page);
  const limited = (route) =>
    route.fulfill({ status: 429, contentType: 'text/plain', headers: { 'Retry-After': '30' }, body: 'Too Many Requests' });
  await page.route(isPassword, limited);
  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  const err = await expectRecoverable(page, f, '429');
  expect(err.text).toBe('Too many attempts. Try again in 30 seconds.');

  await page.unroute(isPassword, limited);
  if ((await f.password.inputValue()) === '') await f.password.fill(alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);
});

test('a provider message of 100 KB in one word: shown cut, the page stays responsive', async ({ page, guard }) => {
  guard.allow(/status of 422/, 'a 422 is injected on purpose');
  const f = await startSignIn(page);
  const word = 'x'.repeat(100_000);
  await page.route(isPassword, (route) =>
    route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ code: 'session.x', message: word }) }),
  );
  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  const err = await expectRecoverable(page, f, 'huge message');
  expect(err.text.length, 'cut to a readable length').toBeLessThanOrEqual(301);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'the long word wraps instead of widening the page').toBeLessThanOrEqual(0);
});

test('a screen whose code cannot be fetched says so, and loads on retry', async ({ page, guard }) => {
  guard.allow(/net::ERR_FAILED|Failed to load resource|failed to load/, 'the lazy screens\' chunks are blocked on purpose');
  await page.route(LAZY_ASSET, (route) => route.abort('internetdisconnected'));
  await page.goto('/unknown-session');
  await expect(page.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
  await expect(page.getByText("This step of the page couldn't be loaded.")).toBeVisible();
  await page.unroute(LAZY_ASSET);
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText('Your sign-in session has ended.')).toBeVisible();
  await expect(page.getByText("This step of the page couldn't be loaded.")).toHaveCount(0);
  expect(new URL(page.url()).pathname).toBe('/unknown-session');
});

test('the sign-in form\'s submit code cannot be fetched: a clear message, the input kept, the next submit signs in', async ({ page, guard }) => {
  guard.allow(/net::ERR_FAILED|Failed to load resource|failed to load/, 'the chunks are blocked on purpose');
  const api = recordApi(page);
  await page.route(LAZY_ASSET, (route) => route.abort('internetdisconnected'));
  const f = await startSignIn(page);
  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  const err = await expectRecoverable(page, f, 'chunk unavailable');
  expect(err.text).toContain("couldn't be loaded");
  await expect(f.password).toHaveValue(alice.password);
  expect(api.count(PUT_EXPERIENCE), 'nothing reached the provider').toBe(0);
  await page.unroute(LAZY_ASSET);
  await f.submit.click();
  await expectSignedIn(page, alice);
});

// Every broken answer on every call of the password sign-in (end2end/broken-answers.mjs). Before the check went
// through, the retry starts that call again; after it, the retry resumes from the failed call with the verification
// already held, so the provider checks the password once.
for (const call of [
  { method: 'PUT', path: '/api/experience', reads: false },
  { method: 'POST', path: '/api/experience/verification/password', reads: true },
  { method: 'POST', path: '/api/experience/identification', reads: false, afterVerification: true },
  { method: 'POST', path: '/api/experience/submit', reads: true, afterVerification: true },
]) {
  test(`password sign-in, ${call.method} ${call.path}: every broken answer shows a message, keeps the input, the retry resumes there`, async ({ page, guard }) => {
    allowBrokenAnswers(guard);
    await page.clock.install();
    const api = recordApi(page);
    const f = await startSignIn(page);
    await fillCredentials(page, alice.username, alice.password);
    await breakEachWay(page, call, {
      attempt: () => f.submit.click(),
      ready: () => expect(f.submit).toBeEnabled(),
      kept: async () => {
        await expect(f.identifier).toHaveValue(alice.username);
        await expect(f.password).toHaveValue(alice.password);
      },
    });
    await f.submit.click();
    await expectSignedIn(page, alice);
    if (call.afterVerification) {
      expect(api.count(POST_PASSWORD), 'the password was checked once').toBe(1);
      expect(api.count(PUT_EXPERIENCE), 'one interaction').toBe(1);
    }
  });
}

// The magic-link landing (/one-time-token, docs/experience-api.md, Magic links) broken each way on each of its calls: it
// says why with a Try again, still on the landing (the token left the address bar, so a reload cannot help). Before
// the token is verified the retry starts over; after it, the retry resumes at the failed call, so the provider gets the
// token once (a used token is refused). A new email registers: the switch to Register is the call after the token.
const LINK_VERIFY = { method: 'POST', path: '/api/experience/verification/one-time-token/verify', reads: true };
for (const call of [
  { method: 'PUT', path: '/api/experience', reads: false },
  LINK_VERIFY,
  { method: 'POST', path: '/api/experience/identification', reads: false, afterVerification: true },
  { method: 'POST', path: '/api/experience/submit', reads: true, afterVerification: true },
  { method: 'PUT', path: '/api/experience/interaction-event', reads: false, afterVerification: true, newEmail: true },
]) {
  const who = call.newEmail ? 'a new email' : 'an account';
  test(`magic link for ${who}, ${call.method} ${call.path}: every broken answer is said on the landing, and Try again resumes there`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    guard.allow(/status of (404|422)/, 'a new email: identification answers user.user_not_exist, then user.missing_profile');
    await page.clock.install();
    const email = call.newEmail ? `ml-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com` : USERS.erin.email;
    const minted = await request.post('/admin/one-time-tokens', { data: { email } });
    expect(minted.status()).toBe(201);
    const { token } = await minted.json();
    const api = recordApi(page);
    const tryAgain = page.getByRole('button', { name: 'Try again' });
    await breakEachWay(page, call, {
      attempt: (i) =>
        i === 0
          ? page.goto(`/demo?one_time_token=${encodeURIComponent(token)}&login_hint=${encodeURIComponent(email)}`)
          : tryAgain.click(),
      ready: async () => {
        await expect(tryAgain).toBeEnabled();
        await expect(page.getByRole('heading', { level: 1 })).toHaveText('Something went wrong');
      },
      kept: async () => {
        await expect(page).toHaveURL(/\/one-time-token(\?|$)/);
        expect(page.url()).not.toContain(token);
      },
    });
    await tryAgain.click();
    if (call.newEmail) {
      // default.json signs up with a username and a password: the new account asks for them next.
      await page.waitForURL(/\/continue\//);
      await expect(page.locator('input[name=identifier]')).toBeEditable();
    } else {
      await expectSignedIn(page, { name: 'Erin', username: 'erin' });
    }
    if (call.afterVerification) {
      expect(api.count(`POST ${LINK_VERIFY.path}`), 'the token was sent once').toBe(1);
      expect(api.count(PUT_EXPERIENCE), 'one interaction').toBe(1);
    }
  });
}

test('password sign-in: another password is checked anew; a retry with the same input resumes after the check', async ({ page, guard }) => {
  guard.allow(/status of (422|502)/, 'a wrong password and a 502 on purpose');
  const api = recordApi(page);
  const f = await startSignIn(page);
  await fillCredentials(page, alice.username, 'Not-Alices-Passw0rd!');
  await f.submit.click();
  await visibleError(page);
  await page.route('**/api/experience/identification', (route) => route.fulfill({ status: 502, body: 'Bad Gateway' }), { times: 1 });
  await f.password.fill(alice.password);
  await f.submit.click();
  await expect(f.submit).toBeEnabled();
  await visibleError(page);
  await f.password.fill('');
  await f.password.fill(alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);
  expect(api.count(POST_PASSWORD), 'wrong, then right (held for the retry)').toBe(2);
});

test("a provider's refusal is worded in the page's language: ui_locales=fr sends Accept-Language fr and shows the French message", async ({ page, guard }) => {
  guard.allow(/status of 422/, 'a wrong password on purpose');
  const api = recordApi(page);
  const f = await startSignIn(page, { query: 'ui_locales=fr' });
  await fillCredentials(page, alice.username, 'Not-Alices-Passw0rd!');
  await f.submit.click();
  const err = await visibleError(page);
  expect(err.text).toBe('Le compte ou le mot de passe est incorrect. Vérifiez-les et réessayez.');
  const call = api.calls.find((c) => c.key === POST_PASSWORD);
  expect((await call.headers)['accept-language']).toMatch(/^fr/);
});

test('submit answers a redirectTo the page must not open (javascript:, data:, relative): it stays, says so, keeps the input; the retry signs in', async ({ page }) => {
  const api = recordApi(page);
  const f = await startSignIn(page);
  await fillCredentials(page, alice.username, alice.password);
  const here = page.url();
  const moves = recordNavigations(page);
  await breakEachWay(page, { method: 'POST', path: '/api/experience/submit', reads: true }, {
    breakages: UNFOLLOWED,
    attempt: () => f.submit.click(),
    ready: () => expect(f.submit).toBeEnabled(),
    kept: async () => {
      await expect(f.identifier).toHaveValue(alice.username);
      await expect(f.password).toHaveValue(alice.password);
      expect(page.url(), 'still on the sign-in screen').toBe(here);
    },
  });
  expect(moves.seen, 'no navigation and no dialog').toEqual([]);
  await f.submit.click();
  await expectSignedIn(page, alice);
  expect(api.count(POST_PASSWORD), 'the password was checked once').toBe(1);
});

// Boot without usable SSR data (ui_locales=fr is not what the server rendered, so the page fetches its settings and the
// French phrases): an answer to either call that is not what was asked, or none, is a boot failure that names its
// cause; Try again loads the landing URL again, query included (ui_locales left the address bar at boot).
const JSON_ANSWER = (body) => ({ status: 200, contentType: 'application/json', body });
const BOOT_CALLS = [
  {
    what: 'settings',
    path: '/api/.well-known/sign-in-exp',
    shapes: [['an array', JSON_ANSWER('[]')], ['signIn of the wrong type', JSON_ANSWER('{"signIn": 5}')], ['null', JSON_ANSWER('null')]],
  },
  {
    what: 'phrases',
    path: '/api/.well-known/phrases',
    shapes: [['an array', JSON_ANSWER('[]')], ['translation of the wrong type', JSON_ANSWER('{"translation": 5}')], ['null', JSON_ANSWER('null')]],
  },
];

for (const call of BOOT_CALLS) {
  test(`${call.what} of the wrong shape or out of reach at boot: the cause is named, Try again reloads the landing URL with its query`, async ({ page, guard }) => {
    allowBrokenAnswers(guard);
    await startSignIn(page);
    const landing = new URL(page.url());
    landing.searchParams.set('ui_locales', 'fr');
    let answer = null;
    const isCall = (url) => url.pathname === call.path;
    await page.route(isCall, (route) => {
      if (!answer) return route.fallback();
      return answer.abort ? route.abort(answer.abort) : route.fulfill(answer);
    });
    const UNREADABLE = "This page's settings couldn't be read from the server. Please try again.";
    const NETWORK = "We couldn't reach the server. Check your connection and try again.";
    const tryAgain = page.getByRole('button', { name: 'Try again' });
    const landed = () => page.waitForRequest((r) => r.isNavigationRequest() && r.frame() === page.mainFrame());
    const cases = [
      ...call.shapes.map(([name, answer]) => [name, answer, UNREADABLE]),
      ['an HTML 502 page', { status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' }, UNREADABLE],
      ['a dropped connection', { abort: 'connectionreset' }, NETWORK],
    ];
    for (const [i, [name, broken, says]] of cases.entries()) {
      answer = broken;
      const document = landed();
      if (i === 0) await page.goto(landing.toString());
      else await tryAgain.click();
      expect((await document).url(), `${name}: the landing URL, query included`).toBe(landing.toString());
      await expect(page.getByRole('heading', { name: 'Something went wrong' }), name).toBeVisible();
      await expect(page.locator('[role=alert]').filter({ visible: true }), name).toHaveText(says);
      await expect(form(page).identifier, name).toHaveCount(0);
    }
    answer = null;
    const document = landed();
    await tryAgain.click();
    expect((await document).url()).toBe(landing.toString());
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    const f = form(page);
    await expect(f.identifier).toBeEditable();
    await fillCredentials(page, alice.username, alice.password);
    await f.submit.click();
    await expectSignedIn(page, alice);
  });
}

// A landing URL with a #fragment and nothing for the page to take out of the address bar (app_id stays): the boot
// failure's Try again must load the page again, not just move to the fragment of the page already shown.
test('a boot failure on a landing URL with a #fragment: Try again loads the page again', async ({ page, guard }) => {
  allowBrokenAnswers(guard);
  await startSignIn(page);
  const landing = new URL(page.url());
  landing.hash = 'top';
  // No SSR block, so the page fetches its settings; the first fetch is dropped.
  await page.route(
    (url) => url.pathname === '/sign-in',
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback();
      const res = await route.fetch();
      const body = (await res.text()).replace(/<script type="application\/json" id="logto-ssr">[\s\S]*?<\/script>/, '');
      const headers = { ...res.headers() };
      delete headers['content-encoding'];
      delete headers['content-length'];
      await route.fulfill({ response: res, headers, body });
    },
  );
  let drop = true;
  await page.route(
    (url) => url.pathname === '/api/.well-known/sign-in-exp',
    (route) => (drop ? route.abort('connectionreset') : route.fallback()),
  );
  await page.goto('about:blank');
  await page.goto(landing.toString());
  await expect(page.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
  expect(page.url()).toBe(landing.toString());
  drop = false;
  const document = page.waitForRequest((r) => r.isNavigationRequest() && r.frame() === page.mainFrame());
  await page.getByRole('button', { name: 'Try again' }).click();
  await document;
  const f = form(page);
  await expect(f.identifier).toBeEditable();
  await fillCredentials(page, alice.username, alice.password);
  await f.submit.click();
  await expectSignedIn(page, alice);
});
