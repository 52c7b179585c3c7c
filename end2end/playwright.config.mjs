// Browser suite of the sign-in page: headless Debian Chromium against the reference provider serving `dist/`.
//
//   npx playwright test --config end2end/playwright.config.mjs            (or: npm run test:e2e)
//   npx playwright test --config end2end/playwright.config.mjs --project strict
//
// Needs a built `dist/` (`cargo xtask build`); `cargo xtask test` builds first and then runs this.
// One provider per CSP profile; the project's baseURL selects the profile.
import { defineConfig } from '@playwright/test';
import {
  chromiumArgs,
  chromiumPath,
  providerCommand,
  providerLauncher,
  readinessUrl,
  repoRoot,
} from './provider.mjs';

const CI = !!process.env.CI;

// E2E_PORT_BASE moves the three providers (default 3911..3913), e.g. for two checkouts on one machine.
const base = Number(process.env.E2E_PORT_BASE || 3911);
export const PROFILES = {
  strict: { port: base, csp: 'strict', engine: 'wasm' },
  logto: { port: base + 1, csp: 'logto', engine: 'js' },
  none: { port: base + 2, csp: 'none', engine: null }, // either engine may run; wasm is expected to be allowed
  // The identifier, social and SSO flows (end2end/flows/): the rich config without MFA prompts, as captured.
  flows: { port: base + 3, csp: 'strict', engine: 'wasm', config: 'provider/config/flows.json' },
  // MFA and passkeys (end2end/mfa/): WebAuthn needs a real hostname as its relying party id, hence localhost.
  mfa: { port: base + 4, csp: 'strict', engine: 'wasm', config: 'provider/config/mfa.json', hostname: 'localhost' },
  // The same, under Logto's CSP (JS engine), for the MFA screens' announcements, focus, TOTP and sign-in layout.
  'mfa-js': { port: base + 26, csp: 'logto', engine: 'js', config: 'provider/config/mfa.json', hostname: 'localhost' },
  // Email/phone codes as MFA factors, suggestion mode, MFA screens resuming without sessionStorage
  // (end2end/mfa-email/): mfa.json plus the EmailVerificationCode and PhoneVerificationCode factors.
  'mfa-email': {
    port: base + 8,
    csp: 'strict',
    engine: 'wasm',
    config: 'provider/config/mfa-email.json',
    hostname: 'localhost',
  },
  // Registration-only tenant with custom profile fields (end2end/extra/).
  extra: { port: base + 7, csp: 'strict', engine: 'wasm', config: 'provider/config/registration-only.json' },
  // Themes, branding, custom CSS/content and languages (end2end/theming/): rich config with light-only tenant CSS,
  // distinct light/dark logos and no MFA prompt. (base + 5 is the gallery's static server.)
  theming: { port: base + 6, csp: 'strict', engine: 'wasm', config: 'provider/config/theming.json' },
  // Third-party consent and the device flow (end2end/third-party/), in both engines: username + password sign-in,
  // the applications of provider/config/applications.json.
  'third-party': { port: base + 22, csp: 'strict', engine: 'wasm', config: 'provider/config/default.json' },
  'third-party-js': { port: base + 23, csp: 'logto', engine: 'js', config: 'provider/config/default.json' },
};

// The sign-in experience's settings as a test dimension (end2end/matrix/): the same flows against tenants that differ
// in one setting, each its own provider (`--set` overrides the base file). The cells are the settings that change
// what a person sees or must do: the three terms policies (Manual in both engines), the sign-in modes (SignIn only
// here; Register only is the `extra` project), social-only registration, MFA under Manual terms, and passkey sign-in
// with the button hidden.
const FLOWS = 'provider/config/flows.json';
const ENGINE_OF_CSP = { strict: 'wasm', logto: 'js' };
/** A cell: its provider's port offset, base config and `--set` overrides; the strict CSP (wasm engine) unless said;
 * `spec` names its own spec in end2end/matrix/ (else it runs flows.spec.mjs); `without`, the tests its settings make
 * moot (not run there, rather than skipped). */
const cell = (offset, set, { config = FLOWS, csp = 'strict', hostname, spec, without } = {}) => ({
  port: base + offset,
  csp,
  engine: ENGINE_OF_CSP[csp],
  config,
  set,
  ...(hostname && { hostname }),
  ...(spec && { specs: new RegExp(`matrix[\\\\/]${spec}\\.spec\\.mjs$`) }),
  ...(without && { without }),
});
/** A Google connector next to the mock one, and One Tap for it. */
const ONE_TAP = [
  'socialConnectors=[{"id":"mock-social-connector","target":"mock-social","name":{"en":"Mock Social"}},{"id":"google-universal","target":"google","name":{"en":"Google"}}]',
  'socialSignInConnectorTargets=["mock-social","google"]',
  'googleOneTap={"isEnabled":true,"autoSelect":false,"closeOnTapOutside":true,"itpSupport":true,"clientId":"stand-in-client.apps.googleusercontent.com","connectorId":"google-universal"}',
];
/** mfa.json's factors under the policy that lets each person choose. */
const MFA_USER_CONTROLLED = ['mfa.policy=UserControlled'];
const MFA_ONBOARDING = { config: 'provider/config/mfa.json', hostname: 'localhost', spec: 'mfa-onboarding' };
/** The terms checkbox test, moot where no screen of the cell asks for the terms. */
const TERMS_FOCUS = /terms: a submit the terms hold back/;
export const MATRIX = {
  'terms-manual': cell(9, ['agreeToTermsPolicy=Manual']),
  'terms-manual-js': cell(10, ['agreeToTermsPolicy=Manual'], { csp: 'logto' }),
  'terms-registration-only': cell(11, ['agreeToTermsPolicy=ManualRegistrationOnly']),
  'terms-automatic': cell(12, ['agreeToTermsPolicy=Automatic'], { without: TERMS_FOCUS }),
  // flows.json asks for the terms on registration only, which this cell has none of.
  'sign-in-only': cell(13, ['signInMode=SignIn'], { without: TERMS_FOCUS }),
  'social-registration': cell(14, ['signUp={"identifiers":[],"password":false,"verify":false,"secondaryIdentifiers":[]}'], {
    spec: 'social-registration',
  }),
  // WebAuthn needs a real hostname as its relying party id, hence localhost.
  'mfa-manual': cell(15, ['agreeToTermsPolicy=Manual'], { config: 'provider/config/mfa.json', hostname: 'localhost', spec: 'mfa' }),
  // Username + password only, passkey sign-in on, no button and no autofill: the identifier comes first.
  'passkey-hidden': cell(16, ['passkeySignIn={"enabled":true,"showPasskeyButton":false,"allowAutofill":false}'], {
    config: 'provider/config/default.json',
    hostname: 'localhost',
    spec: 'passkey',
  }),
  // Hostile settings: script and data URLs where the page makes links and images of the configured URLs.
  'hostile-urls': cell(
    17,
    [
      'termsOfUseUrl=javascript:alert(1)',
      'privacyPolicyUrl= JaVa\tScRiPt:alert(2)',
      'branding.logoUrl=data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="alert(3)"/>',
      'agreeToTermsPolicy=Manual',
      'customCss=main { outline: 0; } /* </style><script>alert(4)</script> */',
    ],
    { csp: 'logto', spec: 'hostile-urls' },
  ),
  // MFA the person may turn on (the UserControlled policy): the /mfa-onboarding question, in both engines.
  'mfa-user-controlled': cell(27, MFA_USER_CONTROLLED, MFA_ONBOARDING),
  'mfa-user-controlled-js': cell(28, MFA_USER_CONTROLLED, { ...MFA_ONBOARDING, csp: 'logto' }),
  // Passkey button and autofill on, served from an IP address, where WebAuthn refuses the origin.
  'passkey-ip-origin': cell(18, ['passkeySignIn={"enabled":true,"showPasskeyButton":true,"allowAutofill":true}'], {
    config: 'provider/config/default.json',
    spec: 'passkey-ip-origin',
  }),
  // Captcha on (end2end/matrix/captcha.spec.mjs), through the provider's stand-in for the vendor's script: Turnstile
  // invisible under the strict CSP (wasm engine; the stand-in is an outside script the policy names), reCAPTCHA
  // Enterprise checkbox under Logto's CSP (JS engine; same-origin stand-in).
  'captcha-invisible': cell(
    19,
    ['captchaPolicy={"enabled":true}', 'captchaConfig={"type":"Turnstile","siteKey":"stand-in-site-key","mode":"invisible"}'],
    { spec: 'captcha' },
  ),
  'captcha-checkbox-js': cell(
    20,
    [
      'captchaPolicy={"enabled":true}',
      'captchaConfig={"type":"RecaptchaEnterprise","siteKey":"stand-in-site-key","mode":"checkbox"}',
    ],
    { csp: 'logto', spec: 'captcha' },
  ),
  // Google One Tap on (end2end/matrix/one-tap.spec.mjs), through the provider's stand-in for Google's script: under
  // the strict CSP (wasm engine) an outside script the policy names, under Logto's (JS engine) same-origin.
  'one-tap': cell(24, ONE_TAP, { spec: 'one-tap' }),
  'one-tap-js': cell(25, ONE_TAP, { csp: 'logto', spec: 'one-tap' }),
  // A development tenant with support contacts: the notice on every screen, the contacts on error screens.
  'dev-tenant': cell(
    21,
    ['isDevelopmentTenant=true', 'supportEmail=help@example.com', 'supportWebsiteUrl=https://example.com/help'],
    { config: 'provider/config/default.json', spec: 'dev-tenant' },
  ),
};
// The cells without `specs` run the flows of end2end/matrix/flows.spec.mjs.
const MATRIX_FLOWS = /matrix[\\/]flows\.spec\.mjs$/;

const launcher = providerLauncher();

// The designers' gallery (end2end/gallery/): `cargo xtask gallery` writes dist-gallery/, which needs no provider;
// xtask's static server serves it (SPA fallback, the strict CSP).
export const GALLERY = { port: base + 5 };
const galleryServer = {
  // `exec`: the server stops with the test run (see providerCommand).
  command: `exec cargo xtask gallery --serve --no-build --port ${GALLERY.port}`,
  cwd: repoRoot,
  url: `http://127.0.0.1:${GALLERY.port}/gallery`,
  reuseExistingServer: !CI,
  timeout: 600_000,
  stdout: 'ignore',
  stderr: 'pipe',
  name: 'static:dist-gallery',
};

const browserUse = {
  browserName: 'chromium',
  headless: true,
  locale: 'en-US',
  launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
  trace: 'retain-on-failure',
  screenshot: 'only-on-failure',
  actionTimeout: 15_000,
  navigationTimeout: 30_000,
};

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.mjs$/,
  outputDir: './test-results',
  globalSetup: './global-setup.mjs',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: CI,
  workers: CI ? 1 : 2,
  retries: CI ? 1 : 0,
  reporter: [['list']],
  use: browserUse,
  webServer: [...Object.values(PROFILES), ...Object.values(MATRIX)].map(({ port, csp, config, hostname, set }) => ({
    command: providerCommand({ port, csp, config, hostname, set }),
    cwd: repoRoot,
    url: readinessUrl(port),
    reuseExistingServer: !CI,
    // `cargo run` may have to compile the provider first.
    timeout: launcher.slow ? 600_000 : 60_000,
    stdout: process.env.E2E_PROVIDER_LOGS ? 'pipe' : 'ignore',
    stderr: 'pipe',
    name: `provider:${config ?? csp}${set ? ` ${set.join(' ')}` : ''}`,
  })).concat(galleryServer),
  projects: [
    {
      // Every gallery state in light/dark × LTR/RTL × narrow/wide: screenshots and axe. Needs `cargo xtask gallery`.
      name: 'gallery',
      testMatch: /gallery[\\/].*\.spec\.mjs$/,
      use: { ...browserUse, baseURL: `http://127.0.0.1:${GALLERY.port}` },
      metadata: GALLERY,
    },
    {
      name: 'strict',
      testIgnore: /(flows|mfa|mfa-email|gallery|theming|extra|matrix|walkthrough|third-party)\//,
      use: { ...browserUse, baseURL: `http://127.0.0.1:${PROFILES.strict.port}` },
      metadata: PROFILES.strict,
    },
    {
      name: 'flows',
      testMatch: /flows\/.*\.spec\.mjs$/,
      use: { ...browserUse, baseURL: `http://127.0.0.1:${PROFILES.flows.port}` },
      metadata: PROFILES.flows,
    },
    {
      // What a person notices (#15's walk-through, end2end/walkthrough/): focus, words and layout at 375 and 1280 px,
      // in both engines. Both run flows.json: here under the flows provider (wasm engine), in `walkthrough-js` under
      // the terms-manual-js cell's provider (JS engine; terms asked on sign-in too). No provider of their own.
      name: 'walkthrough',
      testMatch: /walkthrough[\\/].*\.spec\.mjs$/,
      use: { ...browserUse, baseURL: `http://127.0.0.1:${PROFILES.flows.port}` },
      metadata: PROFILES.flows,
    },
    {
      name: 'walkthrough-js',
      testMatch: /walkthrough[\\/].*\.spec\.mjs$/,
      use: { ...browserUse, baseURL: `http://127.0.0.1:${MATRIX['terms-manual-js'].port}` },
      metadata: MATRIX['terms-manual-js'],
    },
    {
      name: 'extra',
      testMatch: /extra\/.*\.spec\.mjs$/,
      use: { ...browserUse, baseURL: `http://127.0.0.1:${PROFILES.extra.port}` },
      metadata: PROFILES.extra,
    },
    {
      name: 'mfa',
      testMatch: /mfa\/.*\.spec\.mjs$/,
      use: { ...browserUse, baseURL: `http://localhost:${PROFILES.mfa.port}` },
      metadata: PROFILES.mfa,
    },
    {
      // TOTP binding and verification, and the other ways in with a passkey button, in the JS engine (what a person
      // notices there does not depend on the engine).
      name: 'mfa-js',
      testMatch: /mfa[\\/](totp|other-ways)\.spec\.mjs$/,
      use: { ...browserUse, baseURL: `http://localhost:${PROFILES['mfa-js'].port}` },
      metadata: PROFILES['mfa-js'],
    },
    {
      name: 'mfa-email',
      testMatch: /mfa-email[\\/].*\.spec\.mjs$/,
      use: { ...browserUse, baseURL: `http://localhost:${PROFILES['mfa-email'].port}` },
      metadata: PROFILES['mfa-email'],
    },
    {
      // Brand, dark mode, custom CSS/content, example themes and languages, on the first paint.
      name: 'theming',
      testMatch: /theming[\\/].*\.spec\.mjs$/,
      use: { ...browserUse, baseURL: `http://127.0.0.1:${PROFILES.theming.port}` },
      metadata: PROFILES.theming,
    },
    ...['third-party', 'third-party-js'].map((name) => ({
      name,
      testMatch: /third-party[\\/].*\.spec\.mjs$/,
      use: { ...browserUse, baseURL: `http://127.0.0.1:${PROFILES[name].port}` },
      metadata: PROFILES[name],
    })),
    {
      // Logto's production CSP: no 'wasm-unsafe-eval', so the JS (wasm2js) engine must run.
      name: 'logto',
      // Top-level specs only (flows/identifier-code-signin.spec.mjs must not match "signin.spec.mjs").
      testMatch: /[\\/](engines|signin|errors|register|pages)\.spec\.mjs$/,
      testIgnore: /(flows|mfa)[\\/]/,
      // The JS engine is already the one this profile runs.
      grepInvert: /\?engine=js forces the JS build/,
      use: { ...browserUse, baseURL: `http://127.0.0.1:${PROFILES.logto.port}` },
      metadata: PROFILES.logto,
    },
    {
      name: 'none',
      testMatch: /[\\/]engines\.spec\.mjs$/,
      testIgnore: /(flows|mfa)[\\/]/,
      use: { ...browserUse, baseURL: `http://127.0.0.1:${PROFILES.none.port}` },
      metadata: PROFILES.none,
    },
    ...Object.entries(MATRIX).map(([name, cell]) => ({
      name,
      testMatch: cell.specs ?? MATRIX_FLOWS,
      ...(cell.without && { grepInvert: cell.without }),
      use: { ...browserUse, baseURL: `http://${cell.hostname ?? '127.0.0.1'}:${cell.port}` },
      metadata: cell,
    })),
  ],
});
