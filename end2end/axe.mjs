// axe-core checks shared by the browser suite: the WCAG 2.2 AA and best-practice rules, with violations listed
// readably (rule, impact, first elements) so a failure says what to fix.
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** The page's violations, one readable line (plus up to five elements) each. */
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  expect(results.passes.length, 'axe actually ran rules').toBeGreaterThan(0);
  return {
    raw: results.violations,
    summary: results.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`)
          .join('\n'),
    ),
  };
}

/**
 * Fails (softly, with `soft`) on any violation, and attaches the raw results to the report — with a full-page
 * screenshot of the checked state when `screenshot` is set (theming checks look at them).
 */
export async function expectNoAxeViolations(page, testInfo, label, { soft = false, screenshot = false } = {}) {
  const { raw, summary } = await axeViolations(page);
  await testInfo.attach(`axe-${label}.json`, { body: JSON.stringify(raw, null, 2), contentType: 'application/json' });
  if (screenshot) {
    const shot = testInfo.outputPath(`${label}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach(`${label}.png`, { path: shot, contentType: 'image/png' });
  }
  (soft ? expect.soft : expect)(summary, `axe violations on ${label}`).toEqual([]);
}
