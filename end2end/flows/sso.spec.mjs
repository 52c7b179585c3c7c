// Enterprise SSO (docs/experience-api.md, Enterprise SSO): "Use single sign-on" → /single-sign-on/email → work email → the
// organization's connector → mock IdP → signed in; unknown domains get a clear error; SSO-only domains skip the
// password.
import { test, expect, recordApi, PUT_EXPERIENCE } from '../fixtures.mjs';
import { axeViolations } from '../axe.mjs';
import { SSO, AUTH_URI, VERIFY, uniqueEmail, recordDocuments, atIdp, acceptTermsQuestion, expectSignedInAs, openSignIn } from './social-helpers.mjs';

const NOT_SET_UP = "Single sign-on isn't set up for this email's organization.";
const DIRECT_FAILED = "We couldn't open that sign-in provider. Choose another way to sign in.";

async function toSingleSignOn(page) {
  await openSignIn(page);
  const link = page.locator('a.signIn_singleSignOn');
  await expect(link).toBeVisible();
  await link.click();
  await page.waitForURL(/\/single-sign-on\/email(\?|$)/);
  const email = page.locator('input[name=identifier]');
  await expect(email).toBeEditable();
  return email;
}

test('SSO by email domain: /single-sign-on → someone@acme.test → Acme IdP → signed in', async ({ page, guard }) => {
  guard.allow(/status of 404/, 'identification answers 404 user.sso_identity_not_exist for a new SSO identity; Chromium logs it');
  const api = recordApi(page);
  const { documents } = recordDocuments(page);
  const email = await toSingleSignOn(page);
  expect(new URL(page.url()).searchParams.get('app_id')).toBe('demo-app');

  await email.fill(`someone@${SSO.domain}`);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/mock-idp\/authorize/);
  await expect(page.locator('#connector-name')).toHaveText(SSO.name);

  const lookup = api.calls.find((c) => c.key === 'GET /api/experience/sso-connectors');
  expect(lookup, 'the connectors of the email domain were looked up').toBeTruthy();
  expect(new URL(lookup.request.url()).searchParams.get('email')).toBe(`someone@${SSO.domain}`);
  expect(documents).toContain(`/direct/sso/${SSO.connectorId}`);
  expect(api.keys().slice(-2)).toEqual([PUT_EXPERIENCE, AUTH_URI('sso', SSO.connectorId)]);

  const ssoEmail = uniqueEmail('sso', SSO.domain);
  await atIdp(page, { email: ssoEmail, name: 'Acme Person', connector: SSO.name });
  await acceptTermsQuestion(page);
  await expectSignedInAs(page, 'Acme Person');
  expect(api.count(VERIFY('sso', SSO.connectorId))).toBe(1);
  expect(api.keys().at(-1)).toBe('POST /api/experience/submit');
});

test('SSO with an email of another domain: "not set up" error, the email is kept', async ({ page }) => {
  const api = recordApi(page);
  const email = await toSingleSignOn(page);
  const other = 'someone@elsewhere.test';
  await email.fill(other);
  await page.locator('button[type=submit]').click();

  const error = page.getByText(NOT_SET_UP);
  await expect(error).toBeVisible();
  await expect(email).toHaveValue(other);
  await expect(email).toBeEditable();
  expect(page.url()).toMatch(/\/single-sign-on\/email(\?|$)/);
  expect(api.keys().filter((k) => k.includes('authorization-uri'))).toEqual([]);

  expect((await axeViolations(page)).summary, 'axe with the error shown').toEqual([]);
});

test('axe: /single-sign-on has no violations', async ({ page }) => {
  await toSingleSignOn(page);
  expect((await axeViolations(page)).summary).toEqual([]);
});

test('password sign-in with an @acme.test email on /sign-in goes to SSO instead', async ({ page }) => {
  const api = recordApi(page);
  const { documents } = recordDocuments(page);
  const f = await openSignIn(page);
  await f.identifier.fill(`worker@${SSO.domain}`);
  // The password form (when shown) must not be what signs this user in.
  if (await f.password.isVisible()) await f.password.fill('Any-Passw0rd!x');
  await f.submit.click();

  await page.waitForURL(/\/mock-idp\/authorize/);
  await expect(page.locator('#connector-name')).toHaveText(SSO.name);
  expect(documents).toContain(`/direct/sso/${SSO.connectorId}`);
  expect(api.count('POST /api/experience/verification/password'), 'no password verification').toBe(0);
  expect(api.count(AUTH_URI('sso', SSO.connectorId))).toBe(1);
});

test('SSO from /sign-in whose start fails: back on /single-sign-on with the notice and the email kept; Continue goes on', async ({ page, guard }) => {
  guard.allow(/status of 502/, 'the authorization URI is refused once on purpose');
  const api = recordApi(page);
  const authUri = `/api/experience/verification/sso/${SSO.connectorId}/authorization-uri`;
  let broken = 0;
  await page.route((url) => url.pathname === authUri, (route) => {
    if (broken++ > 0) return route.fallback();
    return route.fulfill({ status: 502, contentType: 'text/html', body: '<!doctype html><h1>502 Bad Gateway</h1>' });
  });
  const f = await openSignIn(page);
  const typed = `worker@${SSO.domain}`;
  await f.identifier.fill(typed);
  if (await f.password.isVisible()) await f.password.fill('Any-Passw0rd!x');
  await f.submit.click();

  await page.waitForURL(/\/single-sign-on(\?|$)/);
  await expect(page.locator('.notice_region')).toHaveText(DIRECT_FAILED);
  const email = page.locator('input[name=identifier]');
  await expect(email).toHaveValue(typed);
  await expect(email).toBeEditable();
  expect(broken, 'the start was tried once').toBe(1);

  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/mock-idp\/authorize/);
  await expect(page.locator('#connector-name')).toHaveText(SSO.name);
  const lookup = api.calls.filter((c) => c.key === 'GET /api/experience/sso-connectors').at(-1);
  expect(new URL(lookup.request.url()).searchParams.get('email'), 'the kept email was the one looked up').toBe(typed);
});
