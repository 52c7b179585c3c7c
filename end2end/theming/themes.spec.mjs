// The example themes in style/themes/ change only tokens (custom properties on `:root` / `html[data-theme=…]`), and
// the page stays accessible (axe, contrast included) with each of them, light and dark, wide and narrow.
import fs from 'node:fs';
import { expectNoAxeViolations } from '../axe.mjs';
import path from 'node:path';
import { test, expect, form } from '../fixtures.mjs';
import { repoRoot } from '../provider.mjs';

const THEMES_DIR = path.join(repoRoot, 'style', 'themes');
const THEMES = fs.readdirSync(THEMES_DIR).filter((f) => f.endsWith('.css')).sort();

// Tokens the app sets inline on <html> from the provider's colour config: a theme setting them would be overridden
// (or would need !important and fight the provider's console). Themes leave them alone.
const RUNTIME_TOKENS = /^--color-(brand-|overlay-brand-|on-brand$)/;
const SELECTOR = /^(:root|html\[data-theme=(["']?)(light|dark)\2\])$/;

/** Every custom property tokens.css defines. */
function definedTokens() {
  const css = fs.readFileSync(path.join(repoRoot, 'style', 'tokens.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  return new Set([...css.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1]));
}

/**
 * A strict reading of a theme file: only flat `selector { declarations }` rules (no at-rules, no nesting), and what
 * is left once they are taken out must be blank. Returns the rules and the problems found.
 */
function parseTheme(css) {
  const src = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const rules = [];
  const rest = src.replace(/([^{}]*)\{([^{}]*)\}/g, (_, sel, body) => {
    const declarations = body
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const i = d.indexOf(':');
        return { text: d, name: i < 0 ? d : d.slice(0, i).trim(), value: i < 0 ? '' : d.slice(i + 1).trim() };
      });
    rules.push({ selectors: sel.split(',').map((s) => s.trim().replace(/\s+/g, ' ')), declarations });
    return '';
  });
  return { rules, rest: rest.trim() };
}

/** The token values a theme gives for one scheme (light: `:root`; dark: `:root` overridden by the dark rule). */
function themeTokens(rules, scheme) {
  const out = {};
  for (const wanted of scheme === 'dark' ? [':root', 'dark'] : [':root']) {
    for (const r of rules) {
      const hit = r.selectors.some((s) => (wanted === ':root' ? s === ':root' : /data-theme=["']?dark/.test(s)));
      if (hit) for (const d of r.declarations) out[d.name] = d.value;
    }
  }
  return out;
}

test('there are at least two example themes', () => {
  expect(THEMES.length).toBeGreaterThanOrEqual(2);
});

for (const file of THEMES) {
  const css = fs.readFileSync(path.join(THEMES_DIR, file), 'utf8');
  const name = file.replace(/\.css$/, '');

  test(`${name}: changes only tokens`, () => {
    const tokens = definedTokens();
    const { rules, rest } = parseTheme(css);
    expect.soft(rest, 'nothing outside flat rules (no at-rules, no nesting, no stray text)').toBe('');
    expect(rules.length, 'has rules').toBeGreaterThan(0);
    const problems = [];
    for (const r of rules) {
      for (const s of r.selectors) if (!SELECTOR.test(s)) problems.push(`selector "${s}" is not :root or html[data-theme=…]`);
      for (const d of r.declarations) {
        if (!/^--[\w-]+$/.test(d.name)) problems.push(`"${d.text}" is not a custom property`);
        else if (!tokens.has(d.name)) problems.push(`${d.name} is not a token of style/tokens.css`);
        if (RUNTIME_TOKENS.test(d.name)) problems.push(`${d.name} is set at runtime from the provider's colour config`);
        if (/!important/i.test(d.value)) problems.push(`${d.name} uses !important`);
        if (!d.value) problems.push(`${d.name} has no value`);
        if (/url\(|@import|expression\(/i.test(d.value)) problems.push(`${d.name} loads something: ${d.value}`);
      }
    }
    expect(problems).toEqual([]);
    expect(
      rules.some((r) => r.selectors.some((s) => /data-theme=["']?dark/.test(s))),
      'themes dark mode too',
    ).toBe(true);
  });

  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 375]) {
      test(`${name}: /sign-in in ${scheme} at ${width}px, axe clean`, async ({ page }, testInfo) => {
        await page.setViewportSize({ width, height: width > 600 ? 800 : 740 });
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto('/demo');
        await page.waitForURL(/\/sign-in(\?|$)/);
        const f = form(page);
        await expect(f.submit).toBeEnabled();
        await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
        // The theme alone, as a designer would see it: take the tenant's own custom CSS out, then append the theme
        // (as a deployer appending it, or pasting it into Logto's custom CSS, would).
        await page.evaluate(() => document.querySelectorAll('style[data-custom-css]').forEach((s) => s.remove()));
        await page.addStyleTag({ content: css });

        // The theme's tokens are in force, and they reach the elements that use them.
        const expected = themeTokens(parseTheme(css).rules, scheme);
        const actual = await page.evaluate((names) => {
          const cs = getComputedStyle(document.documentElement);
          return Object.fromEntries(names.map((n) => [n, cs.getPropertyValue(n).trim()]));
        }, Object.keys(expected));
        expect(actual).toEqual(expected);
        const colour = (hex) =>
          page.evaluate((h) => {
            const el = document.createElement('i');
            el.style.color = h;
            document.body.append(el);
            const c = getComputedStyle(el).color;
            el.remove();
            return c;
          }, hex);
        await expect(f.identifier).toHaveCSS('background-color', await colour(expected['--color-bg-layer-1']));
        await expect(page.locator('.brand_title')).toHaveCSS('color', await colour(expected['--color-type-primary']));
        if (width > 600) {
          await expect(page.locator('main')).toHaveCSS('background-color', await colour(expected['--color-bg-float']));
        }

        await expectNoAxeViolations(page, testInfo, `${name}-${scheme}-${width}`, { screenshot: true });
      });
    }
  }
}
