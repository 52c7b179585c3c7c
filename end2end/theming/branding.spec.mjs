// Branding from the provider (provider/config/theming.json): brand colour and dark mode on the very first paint,
// custom CSS from SSR and from the API path applied exactly once, customContent sanitized, light/dark logos, axe in
// dark mode.
import fs from 'node:fs';
import { expectNoAxeViolations as checkAxe } from '../axe.mjs';
import path from 'node:path';
import { test, expect, form } from '../fixtures.mjs';
import { repoRoot } from '../provider.mjs';

const CONFIG = JSON.parse(fs.readFileSync(path.join(repoRoot, 'provider', 'config', 'theming.json'), 'utf8'));

// Computed colours as the browser reports them.
const TEAL_50 = 'rgb(240, 253, 250)'; // the tenant CSS's light page background (#f0fdfa)
const DARK_BG_BODY_BASE = 'rgb(18, 20, 22)'; // tokens.css dark --color-bg-body-base (#121416)
const BG_BODY = { light: 'rgb(255, 255, 255)', dark: 'rgb(30, 33, 36)' }; // tokens.css --color-bg-body (<html>)

const expectNoAxeViolations = (page, testInfo, label) => checkAxe(page, testInfo, label, { screenshot: true });

async function landOnSignIn(page, query = '') {
  await page.goto(`/demo${query}`);
  await page.waitForURL(/\/sign-in(\?|$)/);
  const f = form(page);
  await expect(f.identifier).toBeVisible();
  await expect(f.submit).toBeEnabled();
  return f;
}

// Runs in the sign-in document before any of its scripts: snapshots the theme on every animation frame (a rAF
// callback runs right before the frame is painted) until well after the UI appears, and keeps the paint entries.
const RECORD_FRAMES = () => {
  const frames = [];
  const paints = [];
  window.__frames = frames;
  window.__paints = paints;
  let after = -1;
  const snap = () => {
    const root = document.documentElement;
    const main = document.querySelector('main.logto_main-content');
    const container = document.querySelector('.logto_page-container');
    return {
      t: performance.now(),
      theme: root.getAttribute('data-theme'),
      htmlBg: getComputedStyle(root).backgroundColor,
      brand: getComputedStyle(root).getPropertyValue('--color-brand-default').trim().toLowerCase(),
      content: !!main,
      mainRadius: main ? getComputedStyle(main).borderTopLeftRadius : null,
      containerBg: container ? getComputedStyle(container).backgroundColor : null,
      customCss: document.querySelectorAll('style[data-custom-css]').length,
    };
  };
  const loop = () => {
    const s = snap();
    frames.push(s);
    if (s.content && after < 0) after = 0;
    if (after >= 0) after += 1;
    if (after < 30 && frames.length < 3000) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) paints.push({ name: e.name, startTime: e.startTime });
    }).observe({ type: 'paint', buffered: true });
  } catch {
    /* no paint timing: the rAF frames still tell */
  }
};

for (const scheme of ['dark', 'light']) {
  test(`brand colour, ${scheme} theme and custom CSS are in the first painted frame`, async ({ page }, testInfo) => {
    const brand = (scheme === 'dark' ? CONFIG.color.darkPrimaryColor : CONFIG.color.primaryColor).toLowerCase();
    const containerBg = scheme === 'dark' ? DARK_BG_BODY_BASE : TEAL_50;
    await page.emulateMedia({ colorScheme: scheme }); // before the first navigation
    await page.addInitScript(RECORD_FRAMES);
    await landOnSignIn(page);
    await expect.poll(() => page.evaluate(() => window.__frames.filter((f) => f.content).length)).toBeGreaterThan(5);
    const { frames, paints } = await page.evaluate(() => ({ frames: window.__frames, paints: window.__paints }));
    fs.writeFileSync(testInfo.outputPath('frames.json'), JSON.stringify({ paints, frames }, null, 2));
    await testInfo.attach('frames.json', { path: testInfo.outputPath('frames.json'), contentType: 'application/json' });

    expect(frames.length, 'frames were recorded').toBeGreaterThan(0);
    // No frame at all, even before the UI, with another theme or the default brand colour.
    const wrong = frames.filter((f) => f.theme !== scheme || f.brand !== brand || f.htmlBg !== BG_BODY[scheme]);
    expect(wrong, `every frame has data-theme=${scheme}, --color-brand-default ${brand} and the ${scheme} background`).toEqual([]);

    const first = frames.find((f) => f.content);
    expect(first, 'a frame with the UI').toBeTruthy();
    expect(first).toMatchObject({ theme: scheme, brand, mainRadius: '20px', containerBg, customCss: 1 });
    for (const f of frames.filter((x) => x.content)) {
      expect(f, 'every frame with the UI has the custom CSS and the theme').toMatchObject({ mainRadius: '20px', containerBg, customCss: 1 });
    }

    // The state at first contentful paint: the last frame started before it.
    const fcp = paints.find((p) => p.name === 'first-contentful-paint');
    expect(fcp, 'first-contentful-paint was observed').toBeTruthy();
    const atFcp = frames.filter((f) => f.t <= fcp.startTime).at(-1);
    expect(atFcp, 'a frame before first contentful paint').toBeTruthy();
    expect(atFcp).toMatchObject({ theme: scheme, brand });

    // And the live page agrees (theme.rs wrote the full set over the loader's early paint).
    await expect(form(page).submit).toHaveCSS('background-color', await page.evaluate((hex) => {
      const el = document.createElement('i');
      el.style.color = hex;
      document.body.append(el);
      const c = getComputedStyle(el).color;
      el.remove();
      return c;
    }, brand));
  });
}

test('custom CSS inlined by the server (SSR) is applied once', async ({ page }) => {
  await landOnSignIn(page);
  const styles = page.locator('style[data-custom-css]');
  await expect(styles).toHaveCount(1);
  expect(await styles.textContent()).toBe(CONFIG.customCss);
  await expect(page.locator('main.logto_main-content')).toHaveCSS('border-top-left-radius', '20px');
  await expect(page.locator('.logto_page-container')).toHaveCSS('background-color', TEAL_50);
});

test('custom CSS when the page fetches its settings itself (API path) is still applied once', async ({ page }) => {
  const settingsRequests = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/.well-known/sign-in-exp') settingsRequests.push(r.url());
  });
  // ui_locales makes the SSR block unusable for this visit, so the page asks the provider for its settings.
  await landOnSignIn(page, '?ui_locales=fr');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  expect(settingsRequests.length, 'the page fetched /api/.well-known/sign-in-exp').toBeGreaterThan(0);
  const styles = page.locator('style[data-custom-css]');
  await expect(styles).toHaveCount(1);
  expect(await styles.textContent()).toBe(CONFIG.customCss);
  await expect(page.locator('main.logto_main-content')).toHaveCSS('border-top-left-radius', '20px');
  await expect(page.locator('.logto_page-container')).toHaveCSS('background-color', TEAL_50);
});

// Hostile customContent for /sign-in, put into the server-rendered settings of the sign-in document.
const HOSTILE =
  '<p class="promo">Hello</p><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>' +
  '<a href="javascript:window.__pwned=3">x</a>';

async function serveCustomContent(page, html) {
  await page.route(
    (url) => url.pathname === '/sign-in',
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback();
      const res = await route.fetch();
      const body = await res.text();
      const re = /(<script type="application\/json" id="logto-ssr">Object\.freeze\()([\s\S]*?)(\)<\/script>)/;
      const m = body.match(re);
      if (!m) throw new Error('no SSR block in the sign-in document');
      const ssr = JSON.parse(m[2]);
      ssr.signInExperience.data.customContent = { '/sign-in': html };
      const json = JSON.stringify(ssr).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
      const headers = { ...res.headers() };
      delete headers['content-encoding'];
      delete headers['content-length'];
      await route.fulfill({ response: res, headers, body: body.replace(re, (_, a, __, c) => a + json + c) });
    },
  );
}

for (const width of [1280, 375]) {
  test(`customContent is sanitized: no script, handler or javascript: URL runs (${width}px)`, async ({ page, guard }, testInfo) => {
    guard.allow(/status of 404/, 'the sanitized <img src="x"> points at nothing');
    await page.setViewportSize({ width, height: 800 });
    await landOnSignIn(page);
    // Route handlers don't see the documents of a redirect chain (/demo → /oidc/auth → /sign-in), so load the
    // sign-in document again, directly, with the hostile content in its SSR block.
    await serveCustomContent(page, HOSTILE);
    await page.goto(page.url());
    await expect(form(page).submit).toBeEnabled();
    const box = page.locator('.logto_custom-content');
    await expect(box).toHaveCount(1);
    const promo = box.locator('.promo');
    await expect(promo).toHaveText('Hello');
    if (width >= 1000) {
      await expect(promo).toBeVisible();
      const link = box.locator('a');
      if (await link.count()) await link.first().click();
      await page.waitForTimeout(300);
    } else {
      await expect(box).toBeHidden();
      await expect(promo).toBeHidden();
    }
    expect(await page.evaluate(() => window.__pwned), 'no hostile code ran').toBeUndefined();
    const dom = await page.evaluate(() => {
      const c = document.querySelector('.logto_custom-content');
      return {
        html: c.innerHTML,
        scriptsInside: c.querySelectorAll('script').length,
        handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
        jsLinks: [...document.querySelectorAll('[href], [src]')].filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') || el.getAttribute('src') || '')).length,
      };
    });
    fs.writeFileSync(testInfo.outputPath('custom-content.html'), dom.html);
    await testInfo.attach('custom-content.html', { path: testInfo.outputPath('custom-content.html'), contentType: 'text/plain' });
    expect(dom.scriptsInside, 'no <script> in the custom content').toBe(0);
    expect(dom.handlers, 'no event-handler attribute anywhere').toBe(0);
    expect(dom.jsLinks, 'no javascript: URL anywhere').toBe(0);
    expect(dom.html).not.toMatch(/<script|onerror|javascript:/i);
  });
}

test('custom content from the config is shown beside the form on wide screens only', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await landOnSignIn(page);
  await expect(page.locator('aside .logto_custom-content .promo')).toBeVisible();
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(page.locator('.logto_custom-content .promo')).toBeHidden();
});

for (const scheme of ['light', 'dark']) {
  test(`the ${scheme} logo in the ${scheme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await landOnSignIn(page);
    const logo = page.locator('img.brand_logo');
    const want = scheme === 'dark' ? CONFIG.branding.darkLogoUrl : CONFIG.branding.logoUrl;
    await expect(logo).toHaveAttribute('src', want);
    await expect.poll(() => logo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the logo loaded').toBe(true);
  });
}

test('the logo follows a live switch of the system theme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await landOnSignIn(page);
  await expect(page.locator('img.brand_logo')).toHaveAttribute('src', CONFIG.branding.logoUrl);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('img.brand_logo')).toHaveAttribute('src', CONFIG.branding.darkLogoUrl);
  await expect(page.locator('html')).toHaveCSS('--color-brand-default', CONFIG.color.darkPrimaryColor.toLowerCase());
});

for (const width of [1280, 375]) {
  test(`axe: /sign-in in dark mode at ${width}px`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await landOnSignIn(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectNoAxeViolations(page, testInfo, `sign-in-dark-${width}`);
  });
}
