// Shared fixtures and helpers of the browser suite.
//
// Every test gets a `page` that is watched for console errors, uncaught page errors and CSP violations
// (`securitypolicyviolation` events, recorded by an init script). The test fails at teardown when any were seen,
// unless the test declared them expected with `guard.allow(/regex/, 'why')` (e.g. the browser's own
// "Failed to load resource: … 422" line when the test provokes a 422 on purpose).
import { test as base, expect } from '@playwright/test';

export { expect };

export const USERS = {
  alice: { username: 'alice', password: 'Al1ce-Passw0rd!x', name: 'Alice' },
  erin: { username: 'erin', password: 'Er1n-Passw0rd!x', email: 'erin@example.com' },
  pat: { username: 'pat', password: 'P4t-Passw0rd!xy' },
};

// Runs in every document before its own scripts; not subject to the page's CSP.
const INIT_SCRIPT = () => {
  if (window.__e2eCspInstalled) return;
  window.__e2eCspInstalled = true;
  window.__cspViolations = [];
  document.addEventListener(
    'securitypolicyviolation',
    (e) => {
      const v = {
        directive: e.effectiveDirective || e.violatedDirective,
        blockedURI: e.blockedURI,
        sourceFile: e.sourceFile,
        line: e.lineNumber,
        sample: e.sample,
        disposition: e.disposition,
        documentURI: e.documentURI,
      };
      window.__cspViolations.push(v);
      try {
        window.__e2eReportCsp(v);
      } catch {
        /* binding missing: the teardown still reads window.__cspViolations */
      }
    },
    true,
  );
};

class Guard {
  constructor() {
    /** @type {{kind: string, text: string, url?: string, page?: string}[]} */
    this.events = [];
    this.allowed = [];
    this.pages = new Set();
  }

  /** Declare a console error (matched against its text and URL) expected in this test. */
  allow(re, why = '') {
    this.allowed.push({ re, why });
  }

  /** Start watching a page (the default `page` is watched automatically). */
  async watch(page) {
    if (this.pages.has(page)) return;
    this.pages.add(page);
    await page.exposeBinding('__e2eReportCsp', ({ frame }, v) => {
      this.events.push({
        kind: 'csp-violation',
        text: `${v.directive} blocked ${v.blockedURI || '(inline)'}${v.sample ? ` sample=${v.sample}` : ''}`,
        url: v.sourceFile ? `${v.sourceFile}:${v.line}` : v.documentURI,
        page: frame.url(),
      });
    });
    await page.addInitScript(INIT_SCRIPT);
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const loc = msg.location();
      this.events.push({ kind: 'console.error', text: msg.text(), url: loc?.url, page: page.url() });
    });
    page.on('pageerror', (err) => {
      this.events.push({ kind: 'pageerror', text: `${err.name}: ${err.message}`, url: err.stack?.split('\n')[1]?.trim(), page: page.url() });
    });
    page.on('crash', () => this.events.push({ kind: 'crash', text: 'page crashed', page: page.url() }));
  }

  isAllowed(e) {
    if (e.kind !== 'console.error') return false; // CSP violations, page errors and crashes are never allowed
    return this.allowed.some(({ re }) => re.test(e.text) || (e.url && re.test(e.url)));
  }

  unexpected() {
    return this.events.filter((e) => !this.isAllowed(e));
  }
}

export const test = base.extend({
  guard: async ({}, use, testInfo) => {
    const guard = new Guard();
    await use(guard);
    if (guard.events.length) {
      await testInfo.attach('console-and-csp.json', {
        body: JSON.stringify({ events: guard.events, allowed: guard.allowed.map(({ re, why }) => ({ re: String(re), why })) }, null, 2),
        contentType: 'application/json',
      });
    }
    const unexpected = guard.unexpected();
    expect(
      unexpected.map((e) => `${e.kind}: ${e.text}${e.url ? ` @ ${e.url}` : ''}`),
      'no console errors, page errors or CSP violations',
    ).toEqual([]);
  },

  page: async ({ page, guard }, use) => {
    await guard.watch(page);
    await use(page);
    // Violations recorded in the last document, in case the binding could not deliver them.
    const late = await page.evaluate(() => window.__cspViolations || []).catch(() => []);
    for (const v of late) {
      const text = `${v.directive} blocked ${v.blockedURI || '(inline)'}${v.sample ? ` sample=${v.sample}` : ''}`;
      if (!guard.events.some((e) => e.kind === 'csp-violation' && e.text === text)) {
        guard.events.push({ kind: 'csp-violation', text, url: v.sourceFile || v.documentURI, page: page.url() });
      }
    }
  },
});

/**
 * Adds an account to the provider the test runs against (`POST /admin/users`, loopback only; see provider/README.md)
 * and returns it (`{id, username, name, primaryEmail, primaryPhone, password}`). For a test that needs an account in a
 * state it then changes, or that no other test may touch: the providers outlive a run and serve both workers.
 */
export async function createUser(request, { password, ...fields }) {
  const res = await request.post('/admin/users', { data: { ...fields, ...(password !== undefined && { password }) } });
  expect(res.status(), `POST /admin/users ${JSON.stringify(fields)}: ${await res.text()}`).toBe(201);
  return { ...(await res.json()), password };
}

// ---------------------------------------------------------------------------------------------------------------
// Page helpers

export function form(page) {
  return {
    identifier: page.locator('input[name=identifier]'),
    password: page.locator('input[name=password]'),
    submit: page.locator('button[name=submit][type=submit]'),
    formError: page.locator('form [role=alert]'),
  };
}

/** Start a real OIDC authorization request through the demo client and wait for an interactive form. */
export async function startSignIn(page, { query = '' } = {}) {
  await page.goto('/demo');
  await page.waitForURL(/\/sign-in(\?|$)/);
  if (query) {
    const url = new URL(page.url());
    for (const [k, v] of new URLSearchParams(query)) url.searchParams.set(k, v);
    await page.goto(url.toString());
  }
  const f = form(page);
  await expect(f.identifier).toBeVisible();
  await expect(f.identifier).toBeEnabled();
  await expect(f.password).toBeVisible();
  await expect(f.submit).toBeEnabled();
  return f;
}

export async function fillCredentials(page, username, password) {
  const f = form(page);
  await f.identifier.fill(username);
  await f.password.fill(password);
  return f;
}

/** Expect to land on the demo client's callback page, signed in as `user`. */
export async function expectSignedIn(page, user = USERS.alice) {
  await page.waitForURL(/\/demo\/callback/, { timeout: 30_000 });
  await expect(page.locator('body')).toContainText(`Signed in as ${user.name}`);
  await expect(page.locator('strong')).toHaveText(user.name);
  await expect(page.locator('code').first()).toHaveText(user.username);
}

// Strings that must never reach the user as an "error message".
const RAW = /TypeError|SyntaxError|JsValue|\[object |undefined|panicked|unreachable|Failed to fetch|NetworkError|^\s*[a-z_]+(\.[a-z_]+)+\s*$/;

/**
 * The error message the user sees after a failed submit: a visible `[role=alert]` (form-level), or a field error
 * (`p.field_error`) linked from an `aria-invalid` input by `aria-describedby`. Returns `{ text, where }`.
 */
export async function visibleError(page) {
  // Visible only: `#boot-error` is a hidden role=alert that is always in the document.
  const alert = page.locator('[role=alert]').filter({ visible: true, hasText: /\S/ });
  const fieldError = page.locator('p.field_error').filter({ visible: true, hasText: /\S/ });
  await expect(alert.or(fieldError).first(), 'an error message is shown').toBeVisible();
  if (await alert.count()) {
    return { text: (await alert.first().innerText()).trim(), where: 'alert' };
  }
  const p = fieldError.first();
  const id = await p.getAttribute('id');
  expect(id, 'field error has an id').toBeTruthy();
  const input = page.locator(`[aria-describedby~="${id}"]`);
  await expect(input, 'field error is linked by aria-describedby').toHaveCount(1);
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  return { text: (await p.innerText()).trim(), where: 'field' };
}

/** Assert a message is readable: not empty, not a developer string or a raw phrase key. */
export function expectReadable(text, what = 'message') {
  expect(text.length, `${what} is not empty`).toBeGreaterThan(5);
  expect(text, `${what} is not a raw developer string`).not.toMatch(RAW);
}

/** The engine the project is about (its metadata: `wasm` or `js`) is the one that runs the page. */
export async function expectProjectEngine(page) {
  await expect(page.locator('html')).toHaveAttribute('data-engine', base.info().project.metadata.engine);
}

/**
 * A new screen is announced (#15, item 3): its headline is the document's title (tabs, history and screen readers tell
 * screens apart by it) and the focus is on `focusTarget`: the screen's first field, or its headline when it has none
 * (never left on the page's body).
 */
export async function expectScreenAnnounced(page, headline, focusTarget = page.getByRole('heading', { level: 1 })) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(headline);
  await expect(page).toHaveTitle(headline);
  await expect(focusTarget, `focus on "${headline}"`).toBeFocused();
}

/** The page is not blank: the layout is there and the boot-failure screen is not shown. */
export async function expectNotBlank(page) {
  await expect(page.locator('main')).toBeVisible();
  const text = await page.locator('body').innerText();
  expect(text.trim().length, 'page shows text').toBeGreaterThan(10);
  const bootError = page.locator('#boot-error');
  if (await bootError.count()) await expect(bootError).toBeHidden();
}

/**
 * Record the Experience API calls a page makes: method, path, request body, headers (all headers, as sent),
 * response status and body.
 */
export function recordApi(page, prefix = '/api/experience') {
  const calls = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.startsWith(prefix)) return;
    const call = {
      method: req.method(),
      path: url.pathname,
      key: `${req.method()} ${url.pathname}`,
      body: req.postData(),
      headers: req.allHeaders().catch(() => req.headers()),
      status: null,
      failed: null,
      response: null,
      request: req,
    };
    calls.push(call);
  });
  // Read bodies as soon as each response arrives: after the page navigates away they may be gone.
  page.on('response', (res) => {
    const req = res.request();
    const call = calls.find((c) => c.request === req);
    if (!call) return;
    call.status = res.status();
    call.response = res.text().catch(() => null);
  });
  page.on('requestfailed', (req) => {
    const call = calls.find((c) => c.request === req);
    if (call) call.failed = req.failure()?.errorText ?? 'failed';
  });
  return {
    calls,
    keys: () => calls.map((c) => c.key),
    count: (key) => calls.filter((c) => c.key === key).length,
  };
}

export const PUT_EXPERIENCE = 'PUT /api/experience';
export const POST_PASSWORD = 'POST /api/experience/verification/password';
export const POST_IDENTIFICATION = 'POST /api/experience/identification';
export const POST_SUBMIT = 'POST /api/experience/submit';
export const PASSWORD_FLOW = [PUT_EXPERIENCE, POST_PASSWORD, POST_IDENTIFICATION, POST_SUBMIT];

/** A gate that holds matching requests until `release()` (to observe the pending state). */
export async function holdRequests(page, urlPattern) {
  let release;
  const gate = new Promise((r) => (release = r));
  let held = 0;
  const handler = async (route) => {
    held += 1;
    await gate;
    await route.continue().catch(() => {});
  };
  await page.route(urlPattern, handler);
  return {
    release: () => release(),
    held: () => held,
    dispose: () => page.unroute(urlPattern, handler),
  };
}
