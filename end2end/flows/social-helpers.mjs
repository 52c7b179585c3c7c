// Helpers shared by the social, direct sign-in and SSO specs (end2end/flows/{social,direct,sso}.spec.mjs).
// Not a spec: the `flows` project only runs `*.spec.mjs`.
import { expect, createUser } from '../fixtures.mjs';
import { freshUsername } from './identifier-helpers.mjs';

export const SOCIAL = { connectorId: 'mock-social-connector', target: 'mock-social', name: 'Mock Social' };
export const SSO = { connectorId: 'acme-sso-connector', name: 'Acme SSO', domain: 'acme.test' };

export const AUTH_URI = (flow, id) => `POST /api/experience/verification/${flow}/${id}/authorization-uri`;
export const VERIFY = (flow, id) => `POST /api/experience/verification/${flow}/${id}/verify`;

/** A unique email (the provider keeps the users it creates across tests). */
export function uniqueEmail(prefix = 's', domain = 'example.com') {
  return `${prefix}${Date.now()}${Math.floor(Math.random() * 1e4)}@${domain}`;
}

export const isMockIdp = (url) => new URL(url).pathname.startsWith('/mock-idp/');

// Runs in every document before its scripts: records every `form` or `input[name=identifier]` the page ever gets
// (parsed or inserted), per document path, into localStorage (survives the navigations; same origin as the IdP).
const FORM_PROBE = () => {
  if (window.__e2eFormProbe) return;
  window.__e2eFormProbe = true;
  const path = location.pathname;
  const read = (key) => {
    try {
      return JSON.parse(localStorage.getItem(key)) ?? [];
    } catch {
      return [];
    }
  };
  const push = (key, value) => {
    try {
      localStorage.setItem(key, JSON.stringify([...read(key), value]));
    } catch {
      /* storage unavailable: the test sees no documents and fails */
    }
  };
  push('e2e:probe-docs', path);
  const seen = (node) => {
    if (!(node instanceof Element)) return;
    const hits = [];
    if (node.matches('form, input[name=identifier]')) hits.push(node);
    hits.push(...node.querySelectorAll('form, input[name=identifier]'));
    for (const el of hits) push('e2e:probe-forms', { path, tag: el.tagName.toLowerCase(), name: el.getAttribute('name') });
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) seen(n);
  }).observe(document, { childList: true, subtree: true });
  if (document.documentElement) seen(document.documentElement);
};

export async function installFormProbe(page) {
  await page.addInitScript(FORM_PROBE);
}

/** What the probe recorded: the documents it watched and the forms seen outside the mock IdP. */
export async function formProbe(page) {
  return page.evaluate(() => ({
    docs: JSON.parse(localStorage.getItem('e2e:probe-docs') ?? '[]'),
    forms: JSON.parse(localStorage.getItem('e2e:probe-forms') ?? '[]').filter((f) => !f.path.startsWith('/mock-idp/')),
  }));
}

/** Every main-frame document request (pathnames) and every engine download (`.wasm` / `.wasm.js`). */
export function recordDocuments(page) {
  const documents = [];
  const engines = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (req.isNavigationRequest() && req.frame() === page.mainFrame()) documents.push(url.pathname);
    if (/\.wasm(\.js)?$/.test(url.pathname)) engines.push(url.pathname);
  });
  return { documents, engines };
}

/** On the mock IdP page: choose who to be, then approve / cancel / error. */
export async function atIdp(page, { email, name, action = 'approve', connector = SOCIAL.name } = {}) {
  await page.waitForURL(/\/mock-idp\/authorize/);
  await expect(page.locator('#connector-name')).toHaveText(connector);
  if (email !== undefined) await page.locator('input[name=email]').fill(email);
  if (name !== undefined) await page.locator('input[name=name]').fill(name);
  await page.locator(`button[value=${action}]`).click();
}

/** Accept the terms question a new account from a social/SSO identity gets under flows.json's
 * ManualRegistrationOnly policy (the callback has no form to tick a box on). */
export async function acceptTermsQuestion(page) {
  const question = page.getByRole('dialog');
  await expect(question.getByRole('heading', { level: 1 })).toHaveText(/terms/i);
  await question.getByRole('button', { name: /accept/i }).click();
}

/** Finish the "choose a username" step a new social user gets under flows.json. */
export async function chooseUsername(page, username) {
  await page.waitForURL(/\/continue\/username/);
  const input = page.locator('input[name=identifier]');
  await expect(input).toBeEnabled();
  await input.fill(username);
  await page.locator('button[type=submit]').click();
}

/** The demo client's callback, signed in as `name` (and `username` when given). */
export async function expectSignedInAs(page, name, username) {
  await page.waitForURL(/\/demo\/callback/, { timeout: 30_000 });
  await expect(page.locator('body')).toContainText(`Signed in as ${name}`);
  await expect(page.locator('strong')).toHaveText(name);
  if (username) await expect(page.locator('code').first()).toHaveText(username);
}

/** The non-blocking notice ("toast") of the landing screens, which must be visible and say `text`. */
export async function expectNotice(page, text) {
  const notice = page.locator('.notice_region');
  await expect(notice).toContainText(text);
  await expect(notice).toBeVisible();
  return notice;
}

/**
 * Create a social user in a separate browser context (new user → username → signed in) and return it.
 * The context's page is watched by the test's guard too.
 */
export async function createSocialUser({ browser, guard, baseURL }, { email = uniqueEmail('ret'), name = 'Returning Person' } = {}) {
  const context = await browser.newContext({ baseURL, locale: 'en-US' });
  try {
    const page = await context.newPage();
    await guard.watch(page);
    guard.allow(/status of 404/, 'new social user: identification answers 404 user.identity_not_exist; Chromium logs it');
    guard.allow(/status of 422/, 'new social user: identification answers 422 user.missing_profile (username); Chromium logs it');
    const username = `u${Date.now()}${Math.floor(Math.random() * 1e3)}`;
    await page.goto(`/demo?direct_sign_in=social:${SOCIAL.target}`);
    await atIdp(page, { email, name });
    await acceptTermsQuestion(page);
    await chooseUsername(page, username);
    await expectSignedInAs(page, name, username);
    return { email, name, username };
  } finally {
    await context.close();
  }
}

/**
 * Start a real OIDC request through the demo client and wait for the sign-in screen. (The fixtures' `startSignIn`
 * expects a password field; under flows.json the first screen asks for the identifier only.)
 */
export async function openSignIn(page) {
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  const identifier = page.locator('input[name=identifier]');
  await expect(identifier).toBeEditable();
  const submit = page.locator('button[name=submit][type=submit]');
  await expect(submit).toBeEnabled();
  return { identifier, password: page.locator('input[name=password]'), submit };
}

/**
 * An account of its own with an email and a password, and no social identity (a seeded one, once linked, would sign in
 * directly on every later run against the same provider). `tag` makes its username, email and password its own.
 */
export function accountToLink(request, tag, name) {
  return createUser(request, {
    username: freshUsername(tag),
    name,
    primaryEmail: uniqueEmail(tag.toLowerCase()),
    password: `${tag}7-Passw0rd!qz`,
  });
}

/** From a new sign-in, the social button and the mock IdP's person of `owner`'s email: "Link your accounts?". */
export async function toLinkQuestion(page, owner) {
  await openSignIn(page);
  await page.locator('a.button_social').click();
  await atIdp(page, { email: owner.primaryEmail, name: 'Owner Social' });
  await page.waitForURL(new RegExp(`/social/link/${SOCIAL.connectorId}(\\?|$)`));
}
