// Broken answers (#14): a call of a flow gets, in turn, each way an answer can break (Playwright route interception:
// the provider never sees the broken requests). After each, the page must show a readable message, keep what the
// person entered and let them try again; then the call goes through and the flow finishes. Not a spec: the specs
// (errors.spec.mjs, flows/broken-answers.spec.mjs, mfa/broken-answers.spec.mjs) say which calls and how to retry.
//
// "No answer at all" relies on the page's own timeout (20 s, `AbortSignal.timeout`): the specs install Playwright's
// clock before the page loads and run it forward instead of waiting.
import { test, expect, visibleError, expectReadable, expectNotBlank } from './fixtures.mjs';

const UNKNOWN = 'Something went wrong on our side. Please try again.';

/** What a call's answer can be instead of the provider's; `reads`: only for calls whose answer body the page reads. */
export const BREAKAGES = [
  { name: 'broken JSON', reads: true, answer: { status: 200, contentType: 'application/json', body: '{"verificationId": ' }, says: UNKNOWN },
  { name: 'JSON of the wrong shape', reads: true, answer: { status: 200, contentType: 'application/json', body: '{"unexpected": [1, 2]}' }, says: UNKNOWN },
  { name: 'an HTML 502 page', answer: { status: 502, contentType: 'text/html', body: '<!doctype html><h1>502 Bad Gateway</h1>' }, says: UNKNOWN },
  { name: '401 without Logto\'s body', answer: { status: 401, contentType: 'text/plain', body: 'Unauthorized' }, says: UNKNOWN },
  { name: '403 without Logto\'s body', answer: { status: 403, contentType: 'text/html', body: '<h1>Forbidden</h1>' }, says: UNKNOWN },
  { name: '404 without Logto\'s body', answer: { status: 404, contentType: 'text/plain', body: 'Not Found' }, says: UNKNOWN },
  {
    name: '429 with Retry-After',
    answer: { status: 429, contentType: 'text/plain', headers: { 'Retry-After': '7' }, body: 'Too Many Requests' },
    says: 'Too many attempts. Try again in 7 seconds.',
  },
  { name: 'a dropped connection', abort: 'connectionreset', says: "We couldn't reach the server. Check your connection and try again." },
  { name: 'no answer at all', stall: true, says: 'The server took too long to answer. Please try again.' },
];

const UNSAFE_REDIRECT = "The server pointed this page to an address it won't open, so you're still here. Please try again.";

/**
 * A call's `{redirectTo}` answer naming an address the page must not open (#14): script and data URLs (one disguised
 * by case and a leading space), a relative path, a broken absolute URL. Breakages for `breakEachWay`'s `breakages`.
 */
export const UNFOLLOWED = [
  'javascript:alert(1)',
  ' JaVaScRiPt:alert(document.domain)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '/oidc/auth/relative',
  'https:/one-slash.example',
].map((redirectTo) => ({
  name: `redirectTo ${JSON.stringify(redirectTo)}`,
  reads: true,
  answer: { status: 200, contentType: 'application/json', body: JSON.stringify({ redirectTo }) },
  says: UNSAFE_REDIRECT,
}));

/**
 * Records, from now on, each document the page's main frame commits and each dialog (what a followed `javascript:`
 * URL would open): `seen` should stay empty where the page must not move.
 */
export function recordNavigations(page) {
  const seen = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.push(`navigated: ${frame.url()}`);
  });
  page.on('dialog', (dialog) => {
    seen.push(`dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return { seen };
}

/** The browser's own console lines for the injected failures. */
export function allowBrokenAnswers(guard) {
  guard.allow(/status of (401|403|404|429|502)|Failed to load resource|net::ERR_/, 'broken answers are injected on purpose');
}

/**
 * Breaks every request of `call` (`{method, path, reads}`) with each breakage in turn. `attempt(i)` makes the page send
 * the call (the first time, or again); `ready()` waits for the page to accept another try; `kept()` checks what the
 * person entered; `read(page)` finds the message (`{text}`; the page's error by default) and `says(breakage)` is what
 * it must say; `breakages`: which (all of `BREAKAGES` by default). Returns once every breakage was shown; later requests
 * go through.
 */
export async function breakEachWay(
  page,
  call,
  { attempt, ready, kept = async () => {}, read = visibleError, says = (b) => b.says, breakages = BREAKAGES },
) {
  const state = { breakage: null, hits: 0, stalled: [] };
  const matches = (url) => url.pathname === call.path;
  const handler = async (route) => {
    const breakage = state.breakage;
    if (!breakage || route.request().method() !== call.method) return route.fallback();
    state.hits += 1;
    if (breakage.abort) return route.abort(breakage.abort);
    if (breakage.stall) return state.stalled.push(route);
    return route.fulfill(breakage.answer);
  };
  await page.route(matches, handler);
  for (const [i, breakage] of breakages.filter((b) => call.reads || !b.reads).entries()) {
    state.breakage = breakage;
    const before = state.hits;
    await attempt(i);
    await expect.poll(() => state.hits, { message: `${breakage.name}: ${call.method} ${call.path} was sent` }).toBeGreaterThan(before);
    if (breakage.stall) await page.clock.runFor(20_500);
    await ready();
    const err = await read(page);
    test.info().annotations.push({ type: `${call.method} ${call.path}: ${breakage.name}`, description: err.text });
    expectReadable(err.text, breakage.name);
    expect(err.text, breakage.name).toBe(says(breakage));
    await expectNotBlank(page);
    await kept();
  }
  state.breakage = null;
  for (const route of state.stalled) await route.abort().catch(() => {});
  await page.unroute(matches, handler);
}
