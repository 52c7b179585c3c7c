// Helpers of the walk-through specs (end2end/walkthrough/, issue #15): what a person notices, measured. They run in
// both engines against provider/config/flows.json: the `walkthrough` project (wasm engine, terms asked on
// registration) and `walkthrough-js` (JS engine, the terms-manual-js provider: terms asked on sign-in too).
import { expect, expectProjectEngine } from '../fixtures.mjs';
import { expectNoAxeViolations } from '../axe.mjs';

export const NARROW = { width: 375, height: 740 };
export const WIDE = { width: 1280, height: 800 };
export const VIEWPORTS = { narrow: NARROW, wide: WIDE };

/** The password reset's first screen: `first_screen=reset_password` lands on Logto's `/reset-password` path. */
export const RESET = /\/(reset-password|forgot-password)(\?|$)/;

/** `/demo` with extra authorization parameters, landing on a screen of the page (`landing`). */
export async function startDemo(page, query, landing) {
  await page.goto(`/demo${query ? `?${query}` : ''}`);
  await page.waitForURL(landing);
  await expect(page.locator('main')).toBeVisible();
  await expectProjectEngine(page);
}

/** Ticks the terms box when the screen asks for the terms (the JS project asks on sign-in too). */
export async function acceptTermsIfAsked(page) {
  const box = page.locator('input[name=terms]');
  if (await box.count()) await box.check();
}

/** The element's box; fails when it has none (not rendered). */
export async function box(locator, what) {
  const b = await locator.boundingBox();
  expect(b, `${what} is drawn`).not.toBeNull();
  return b;
}

/**
 * The sign-in screen's other ways in (#15, item 10): one list, `labels` in this order, after the form and "or" (and
 * after the terms when asked there), "create account" last; no other way outside the list.
 */
export async function expectOtherWaysTogether(page, labels) {
  const main = page.locator('main');
  const list = main.locator('ul.signIn_otherWays');
  await expect(main.locator('ul'), 'one list of other ways').toHaveCount(1);
  await expect(list.locator('> li .button')).toHaveText(labels);
  await expect(main.locator('.button:not(button[type=submit])'), 'no other way outside the list').toHaveCount(labels.length);

  const form = await box(main.locator('form'), 'the form');
  const divider = await box(main.locator('.signIn_divider'), 'the divider');
  const ways = await box(list, 'the list');
  const create = await box(main.locator('.signIn_createAccount'), 'create account');
  expect(divider.y).toBeGreaterThan(form.y + form.height);
  expect(ways.y).toBeGreaterThan(divider.y + divider.height);
  expect(create.y, '"create account" comes last').toBeGreaterThan(ways.y + ways.height);
  const terms = main.locator('.signIn_terms');
  if (await terms.count()) {
    const t = await box(terms, 'the terms');
    expect(t.y, 'the terms between the form and the other ways').toBeGreaterThan(form.y + form.height);
    expect(t.y + t.height).toBeLessThan(divider.y);
  }
}

/** Whether two boxes share any area. */
export const overlap = (a, b) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Zero axe violations (WCAG 2.2 AA and best practices, contrast included) in the state on screen. */
export async function axeClean(page, testInfo, label) {
  await expectNoAxeViolations(page, testInfo, label);
}

/** WCAG contrast ratio of two CSS colours (`rgb(…)`/`rgba(…)`, opaque). */
export function contrast(a, b) {
  const lum = (css) => {
    const [r, g, b2] = css.match(/[\d.]+/g).slice(0, 3).map(Number);
    const lin = (c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b2);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The colour painted behind `selector`: the background of the nearest ancestor (or itself) that has one. */
export async function backgroundBehind(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    for (let node = el; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
  });
}
