// A magic link opened while another account is signed in (docs/experience-api.md, Switch account): the provider
// remembers the first sign-in (`_session`), lands the link on /switch-account, the page says who is signed in (legacy
// `GET /api/interaction/consent`) and "Switch account" goes on with the link to the link's account.
import { test, expect } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';
import { BREAKAGES, allowBrokenAnswers } from '../broken-answers.mjs';
import { ERIN, PAT, expectSignedInAs } from './identifier-helpers.mjs';

async function mint(request, email) {
  const minted = await request.post('/admin/one-time-tokens', { data: { email } });
  expect(minted.status()).toBe(201);
  return (await minted.json()).token;
}

const linkQuery = (token, email) => `one_time_token=${encodeURIComponent(token)}&login_hint=${encodeURIComponent(email)}`;

/** Signs `user` in through the demo client with a magic link (nobody signed in yet). */
async function signInWithLink(page, request, user) {
  await page.goto(`/demo?${linkQuery(await mint(request, user.email), user.email)}`);
  await expectSignedInAs(page, user);
}

test('a magic link for another account: the switch-account screen names the signed-in account, and switching signs the other one in', async ({ page, request }, testInfo) => {
  await signInWithLink(page, request, ERIN);

  const token = await mint(request, PAT.email);
  const consent = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/interaction/consent');
  await page.goto(`/demo?${linkQuery(token, PAT.email)}`);
  await page.waitForURL(/\/switch-account\?/);
  expect((await consent).status()).toBe(200);
  const url = new URL(page.url());
  expect(url.searchParams.get('login_hint')).toBe(PAT.email);
  expect(url.searchParams.get('one_time_token')).toBe(token);

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`You are signed in as ${ERIN.email}`);
  await expect(page.locator('main')).toContainText(`${ERIN.email} is signed out here`);
  await expect(page.locator('main')).toContainText(`The link is for ${PAT.email}.`);
  const button = page.getByRole('button', { name: 'Switch account' });
  await expect(button).toBeEnabled();
  await expectNoAxeViolations(page, testInfo, 'switch-account');

  const verify = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/experience/verification/one-time-token/verify');
  await button.click();
  expect((await verify).postDataJSON()).toEqual({ identifier: { type: 'email', value: PAT.email }, token });
  await expectSignedInAs(page, PAT);

  // The provider now remembers pat: a link for erin offers to switch away from pat.
  await page.goto(`/demo?${linkQuery(await mint(request, ERIN.email), ERIN.email)}`);
  await page.waitForURL(/\/switch-account\?/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`You are signed in as ${PAT.email}`);
});

// Every way the consent call's answer can break (end2end/broken-answers.mjs) gives the same screen: the account is
// not named, that is said, and the link still works.
test('when the signed-in account cannot be read (every broken answer), the screen says so and the link still works', async ({ page, request, guard }, testInfo) => {
  allowBrokenAnswers(guard);
  await page.clock.install();
  await signInWithLink(page, request, ERIN);
  let breakage = null;
  const stalled = [];
  await page.route('**/api/interaction/consent', (route) => {
    if (breakage.abort) return route.abort(breakage.abort);
    if (breakage.stall) return stalled.push(route);
    return route.fulfill(breakage.answer);
  });

  const token = await mint(request, PAT.email);
  for (const [i, broken] of BREAKAGES.entries()) {
    breakage = broken;
    if (i === 0) await page.goto(`/demo?${linkQuery(token, PAT.email)}`);
    else await page.reload();
    await page.waitForURL(/\/switch-account\?/);
    if (broken.stall) {
      await expect.poll(() => stalled.length, 'the consent call was sent').toBe(1);
      await page.clock.runFor(20_500);
    }
    await expect(page.getByRole('heading', { level: 1 }), broken.name).toHaveText('Switch account');
    await expect(page.getByRole('alert'), broken.name).toContainText("couldn't check which account is signed in");
    await expect(page.locator('main'), broken.name).toContainText(`The link is for ${PAT.email}.`);
  }
  await expectNoAxeViolations(page, testInfo, 'switch-account-unknown');
  for (const route of stalled) await route.abort().catch(() => {});

  await page.getByRole('button', { name: 'Switch account' }).click();
  await expectSignedInAs(page, PAT);
});

test('the signed-in account\u2019s own magic link skips the switch screen; a used one shows the link error', async ({ page, request }) => {
  await signInWithLink(page, request, ERIN);
  const token = await mint(request, ERIN.email);
  await page.goto(`/demo?${linkQuery(token, ERIN.email)}`);
  await expectSignedInAs(page, ERIN);

  await page.goto(`/demo?${linkQuery(token, ERIN.email)}`);
  await page.waitForURL(/\/one-time-token\/error/);
  await expect(page.locator('.errorPage_title')).toHaveText("This link doesn't work");
  // The provider said why (`errorMessage` on the landing URL): that is what the page shows.
  await expect(page.locator('.errorPage_description')).toHaveText('That sign-in link has already been used.');
});
