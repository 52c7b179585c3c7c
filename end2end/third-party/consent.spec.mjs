// Third-party applications (docs/experience-api.md, "Consent"): the provider's notes app (provider/config/
// applications.json) asks for profile, email, organizations and an API scope; after sign-in the consent screen lists
// exactly that, the person picks an organization and authorizes, and the app's code carries the grant. Cancel,
// "Use another account", an account in no organization, a refused consent, and a first-party app that never asks.
import { test, expect, USERS, fillCredentials, form, expectScreenAnnounced } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';
import { allowBrokenAnswers, breakEachWay, recordNavigations, BREAKAGES, UNFOLLOWED } from '../broken-answers.mjs';

const { alice, erin, pat } = USERS;
const CONSENT = /\/consent\?app_id=notes-app$/;

async function signIn(page, user) {
  await page.waitForURL(/\/sign-in\?app_id=notes-app/);
  await fillCredentials(page, user.username, user.password);
  await form(page).submit.click();
  await page.waitForURL(CONSENT);
  await expect(page.getByRole('button', { name: 'Authorize' })).toBeEnabled();
}

async function toConsent(page, user) {
  await page.goto('/demo/third-party');
  await signIn(page, user);
}

const main = (page) => page.locator('main');

test('the consent lists what the app asks for; the chosen organization and the scopes reach the app', async ({ page }, testInfo) => {
  await toConsent(page, alice);
  // Its own title, and the headline takes the focus (a screen reader hears where it is), in both engines.
  await expectScreenAnnounced(page, 'Acme Notes wants to access your account');
  await expect(page.locator('img.consent_appLogo')).toHaveAttribute('src', /^data:image\/svg\+xml/);
  await expect(page.locator('.consent_account')).toContainText('Alice');
  await expect(page.locator('.consent_account')).toContainText('alice');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Acme Notes is asking for:');
  const groups = page.locator('.consent_group');
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0).locator('h3')).toHaveText('Your personal data');
  await expect(groups.nth(0).locator('li')).toHaveText([
    'Your name, username, picture and other profile details',
    'Your email address',
    'Your organizations',
  ]);
  await expect(groups.nth(1).locator('h3')).toHaveText('Notes API');
  await expect(groups.nth(1).locator('li')).toHaveText(['Read your notes']);
  const picker = page.getByLabel('Organization it may access');
  await expect(picker.locator('option')).toHaveText(['Acme', 'Globex']);
  await expect(picker).toHaveValue('org0acme0000');
  await expect(page.getByRole('link', { name: 'Terms of use' })).toHaveAttribute('href', 'https://notes.example/terms');
  await expect(page.getByRole('link', { name: 'Privacy policy' })).toHaveAttribute('href', 'https://notes.example/privacy');
  await expect(main(page)).toContainText(`you will be taken to ${new URL(page.url()).origin}`);
  await expectNoAxeViolations(page, testInfo, 'consent');

  await picker.selectOption({ label: 'Globex' });
  const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/interaction/consent');
  await page.getByRole('button', { name: 'Authorize' }).click();
  expect((await posted).postDataJSON()).toEqual({ organizationIds: ['org0globex00'] });
  await page.waitForURL(/\/demo\/third-party\/callback/);
  await expect(page.locator('body')).toContainText('Signed in as Alice');
  await expect(page.locator('#granted-scope')).toHaveText('openid profile email urn:logto:scope:organizations read:notes');
  const claims = JSON.parse(await page.locator('pre').textContent());
  expect(claims.aud).toBe('notes-app');
  expect(claims.organizations).toEqual(['org0globex00']);
});

test('Cancel returns access_denied to the app', async ({ page, guard }) => {
  guard.allow(/status of 400/, 'the demo client answers a refused request with 400');
  await toConsent(page, alice);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForURL(/\/demo\/third-party\/callback\?error=access_denied/);
  await expect(page.locator('body')).toContainText('The provider answered access_denied');
});

test('"Use another account" signs out and the next person is asked in turn', async ({ page }) => {
  await toConsent(page, alice);
  await page.getByRole('link', { name: 'Use another account' }).click();
  await signIn(page, erin);
  await expect(page.locator('.consent_account')).toContainText('erin@example.com');
  // erin is a member of Acme only.
  await expect(page.getByLabel('Organization it may access').locator('option')).toHaveText(['Acme']);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL(/\/demo\/third-party\/callback/);
  await expect(page.locator('strong')).toHaveText('Erin');
  expect(JSON.parse(await page.locator('pre').textContent()).organizations).toEqual(['org0acme0000']);
});

test('an account in no organization is told so and authorizes without one', async ({ page }, testInfo) => {
  await toConsent(page, pat);
  await expect(page.locator('.consent_noOrganization')).toHaveText(
    'You are not a member of any organization, so Acme Notes gets no organization access.',
  );
  await expect(page.locator('select')).toHaveCount(0);
  await expectNoAxeViolations(page, testInfo, 'consent-no-organization');
  const posted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/interaction/consent');
  await page.getByRole('button', { name: 'Authorize' }).click();
  expect((await posted).postDataJSON()).toEqual({ organizationIds: [] });
  await page.waitForURL(/\/demo\/third-party\/callback/);
  expect(JSON.parse(await page.locator('pre').textContent()).organizations).toEqual([]);
});

test('a consent the provider refuses shows access denied, with a way to use another account', async ({ page, guard }, testInfo) => {
  guard.allow(/status of 403/, 'the provider refuses the consent in this test');
  await toConsent(page, erin);
  // erin asks for an organization she is not a member of.
  await page.route('**/api/interaction/consent', (route) =>
    route.request().method() === 'POST' ? route.continue({ postData: JSON.stringify({ organizationIds: ['org0globex00'] }) }) : route.continue(),
  );
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expectScreenAnnounced(page, 'Access denied');
  await expectNoAxeViolations(page, testInfo, 'consent-denied');
  await page.getByRole('button', { name: 'Use another account' }).click();
  await page.waitForURL(/\/sign-in\?app_id=notes-app/);
});

test('a failure a sign-in would answer with another screen is said under the buttons; the choice is kept', async ({ page, guard }) => {
  guard.allow(/status of 400/, 'the consent call is answered session.not_found in this test');
  await toConsent(page, alice);
  const picker = page.getByLabel('Organization it may access');
  await picker.selectOption({ label: 'Globex' });
  const message = 'This sign-in has ended. Start again from the application.';
  await page.route('**/api/interaction/consent', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ code: 'session.not_found', message }) })
      : route.continue(),
  );
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(main(page).getByRole('alert')).toHaveText(message);
  await expect(page).toHaveURL(CONSENT);
  await expect(picker).toHaveValue('org0globex00');
  await expect(page.getByRole('button', { name: 'Authorize' })).toBeEnabled();
});

test('a first-party app never shows the consent screen', async ({ page }) => {
  const documents = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest()) documents.push(new URL(r.url()).pathname);
  });
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in\?app_id=demo-app/);
  await fillCredentials(page, alice.username, alice.password);
  await form(page).submit.click();
  await page.waitForURL(/\/demo\/callback/);
  expect(documents).not.toContain('/consent');
});

const CONSENT_API = '/api/interaction/consent';
const isConsentApi = (url) => url.pathname === CONSENT_API;

test('Authorize with every broken answer, or a redirectTo the page must not open: it stays, says so under the buttons, keeps the choice; the retry goes on', async ({ page, guard }) => {
  allowBrokenAnswers(guard);
  await page.clock.install();
  await toConsent(page, alice);
  const picker = page.getByLabel('Organization it may access');
  await picker.selectOption({ label: 'Globex' });
  const authorize = page.getByRole('button', { name: 'Authorize' });
  const moves = recordNavigations(page);
  await breakEachWay(page, { method: 'POST', path: CONSENT_API, reads: true }, {
    breakages: [...BREAKAGES, ...UNFOLLOWED],
    attempt: () => authorize.click(),
    ready: () => expect(authorize).toBeEnabled(),
    read: async () => ({ text: (await main(page).getByRole('alert').innerText()).trim() }),
    kept: async () => {
      await expect(page).toHaveURL(CONSENT);
      await expect(picker).toHaveValue('org0globex00');
    },
  });
  expect(moves.seen, 'no navigation and no dialog').toEqual([]);
  await authorize.click();
  await page.waitForURL(/\/demo\/third-party\/callback/);
  expect(JSON.parse(await page.locator('pre').textContent()).organizations).toEqual(['org0globex00']);
});

test('a redirectUri with a script or data scheme gets no Cancel; Authorize still works', async ({ page }) => {
  for (const redirectUri of ['javascript:alert(1)', ' JaVa\tScRiPt:alert(2)', 'data:text/html,<script>alert(3)</script>', 'vbscript:msgbox(4)']) {
    await page.route(isConsentApi, async (route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      const response = await route.fetch();
      const info = await response.json();
      await route.fulfill({ response, json: { ...info, redirectUri } });
    });
    if (redirectUri.startsWith('javascript')) await toConsent(page, alice);
    else await page.reload();
    await expect(page.getByRole('button', { name: 'Authorize' }), redirectUri).toBeEnabled();
    await expect(page.getByRole('button', { name: 'Cancel' }), redirectUri).toHaveCount(0);
    const unsafe = await page.evaluate(() =>
      [...document.querySelectorAll('[href], [src]')]
        .map((el) => el.getAttribute('href') ?? el.getAttribute('src'))
        .filter((url) => /^\s*(javascript|vbscript):/i.test(url.replace(/[\t\n\r]/g, ''))),
    );
    expect(unsafe, redirectUri).toEqual([]);
    await page.unrouteAll();
  }
  await page.reload();
  await expect(page.getByRole('button', { name: 'Cancel' }), 'the provider\'s own redirectUri').toBeVisible();
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL(/\/demo\/third-party\/callback/);
});

// What the application says about itself (its name, its redirectUri) is shown as words: markup in it makes no element
// and runs nothing, and no link or Cancel leads to a script URI (#14).
test('an app name and a redirectUri carrying markup or a script scheme are shown as plain text: no element, no link', async ({ page }) => {
  const name = '<img src=x onerror="window.__pwned=1">Notes<link></link><script>window.__pwned=2</script>';
  const native = 'com.example.notes:/callback?<img src=x onerror="window.__pwned=3">';
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  // A native app's URI is named as it is, an http(s) one by its origin only; a script URI as it is, and no Cancel.
  const cases = [
    { redirectUri: native, shown: native, cancel: true },
    { redirectUri: 'https://notes.example/callback?<b>x</b>', shown: 'https://notes.example', cancel: true },
    { redirectUri: 'javascript:alert(1)//<b>bold</b>', shown: 'javascript:alert(1)//<b>bold</b>', cancel: false },
  ];
  for (const [i, { redirectUri, shown, cancel }] of cases.entries()) {
    await page.route(isConsentApi, async (route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      const response = await route.fetch();
      const info = await response.json();
      await route.fulfill({ response, json: { ...info, application: { ...info.application, name, displayName: name }, redirectUri } });
    });
    if (i === 0) await toConsent(page, alice);
    else await page.reload();
    const headline = `${name} wants to access your account`;
    await expect(page.getByRole('heading', { level: 1 }), redirectUri).toHaveText(headline);
    await expect(page).toHaveTitle(headline);
    await expect(page.getByRole('heading', { level: 2 })).toHaveText(`${name} is asking for:`);
    await expect(page.locator('.consent_agreement'), redirectUri).toContainText(`of ${name}, and you will be taken to ${shown}.`);
    await expect(page.getByRole('button', { name: 'Cancel' }), redirectUri).toHaveCount(cancel ? 1 : 0);
    const made = await page.evaluate(() => ({
      // The app's logo is the one image; the account (alice, no avatar) shows its initial.
      images: [...document.querySelectorAll('main img')].filter((img) => !img.classList.contains('consent_appLogo')).length,
      scripts: document.querySelectorAll('main script, main b').length,
      pwned: window.__pwned ?? null,
      links: [...document.querySelectorAll('[href]')].map((a) => a.getAttribute('href')),
    }));
    expect(made, redirectUri).toMatchObject({ images: 0, scripts: 0, pwned: null });
    expect(made.links.filter((href) => /notes:|javascript:|callback/i.test(href)), redirectUri).toEqual([]);
    await page.unrouteAll();
  }
  expect(dialogs).toEqual([]);
});

// The consent details (GET) broken each way (end2end/broken-answers.mjs): a reason and a Try again that asks again; once
// the answer comes through, the consent is shown and goes on.
test('consent details that cannot be had: a reason and a Try again that works, for every broken answer', async ({ page, guard }) => {
  allowBrokenAnswers(guard);
  await page.clock.install();
  await toConsent(page, alice);
  const tryAgain = page.getByRole('button', { name: 'Try again' });
  await breakEachWay(page, { method: 'GET', path: CONSENT_API, reads: true }, {
    attempt: (i) => (i === 0 ? page.reload() : tryAgain.click()),
    ready: async () => {
      await expect(tryAgain).toBeVisible();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Something went wrong');
    },
    kept: () => expect(page).toHaveURL(CONSENT),
  });
  await tryAgain.click();
  await expect(page.getByRole('button', { name: 'Authorize' })).toBeEnabled();
  await page.getByRole('button', { name: 'Authorize' }).click();
  await page.waitForURL(/\/demo\/third-party\/callback/);
});
