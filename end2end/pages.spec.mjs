// Pages other than the form: unknown session, not found, and the provider's session guard.
import { test, expect, expectReadable, expectNotBlank, expectScreenAnnounced, startSignIn } from './fixtures.mjs';

async function errorPage(page) {
  const title = page.locator('.errorPage_title');
  await expect(title).toBeVisible();
  const text = (await title.innerText()).trim();
  expectReadable(text, 'error page title');
  // The headline is the document's title and takes the focus, so a screen reader says where the person landed.
  await expectScreenAnnounced(page, text);
  await expectNotBlank(page);
  return text;
}

test('/unknown-session renders a readable error page', async ({ page }) => {
  await page.goto('/unknown-session');
  const title = await errorPage(page);
  test.info().annotations.push({ type: 'unknown-session title', description: title });
  const description = page.locator('.errorPage_description');
  if (await description.count()) expectReadable((await description.innerText()).trim(), 'error page description');
  expect(new URL(page.url()).pathname).toBe('/unknown-session');
});

test('a route that does not exist renders a readable not-found page', async ({ page, guard }) => {
  guard.allow(/status of 404/, 'the provider may answer an unknown path with 404 + the SPA shell');
  await startSignIn(page); // a live interaction, so that the session guard is not what answers
  await page.goto('/this-screen-does-not-exist?app_id=demo-app');
  const title = await errorPage(page);
  test.info().annotations.push({ type: 'not-found title', description: title });
  expect(title).toMatch(/not found|404|exist|(could|can)(n.t| ?not) find|no such/i);
  expect(new URL(page.url()).pathname).toBe('/this-screen-does-not-exist');
});

test('/sign-in without an interaction is sent to /unknown-session by the provider', async ({ page }) => {
  const documents = [];
  page.on('response', (res) => {
    if (res.request().isNavigationRequest()) documents.push({ path: new URL(res.url()).pathname, status: res.status() });
  });
  await page.goto('/sign-in?app_id=demo-app'); // fresh context: no interaction cookie
  await expect(page).toHaveURL(/\/unknown-session/);
  expect(documents[0]?.path).toBe('/sign-in');
  expect(documents[0]?.status, 'the provider redirects (3xx) rather than the page').toBeGreaterThanOrEqual(300);
  expect(documents[0]?.status).toBeLessThan(400);
  await errorPage(page);
});
