// Direct sign-in (docs/experience-api.md, Direct sign-in): `/direct/social/<target>` or `/direct/sso/<connectorId>`
// forwards the browser to the identity provider without drawing a page. It runs from the loader before any engine is
// fetched, so the two Experience API calls start as soon as this script runs: the app's WebAssembly is never downloaded
// on this path. The storage it writes (state, verification id, fallback bundle) uses Logto's keys, which the app's
// callback reads.

import * as keys from './storage-keys.js';

const STATE_TTL_MS = 10 * 60 * 1000;
// Core writes route values into `fallback`; Logto's own page looked up route keys. Accept both.
const FALLBACK_ROUTES = {
  signIn: 'sign-in', register: 'register', sso: 'single-sign-on', identifierSignIn: 'identifier-sign-in',
  identifierRegister: 'identifier-register', resetPassword: 'reset-password',
};

function readSsr() {
  const text = document.getElementById('logto-ssr')?.textContent.trim() ?? '';
  const json = text.startsWith('Object.freeze(') ? text.slice(14, -1) : text;
  try {
    return JSON.parse(json)?.signInExperience?.data ?? null;
  } catch {
    return null;
  }
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The connector a direct target names: social by target (a web one, `Web` before `Universal`), SSO by id.
export function findConnector(config, method, target) {
  if (method === 'social') {
    const web = (config.socialConnectors ?? []).filter((c) => c.target === target && c.platform !== 'Native');
    return web.find((c) => c.platform === 'Web') ?? web[0] ?? null;
  }
  if (method === 'sso') return (config.ssoConnectors ?? []).find((c) => c.id === target) ?? null;
  return null;
}

function remember(flow, connectorId, state, verificationId, session) {
  sessionStorage.setItem(keys.socialState(connectorId), state);
  const idsKey = keys.verificationIds(location.origin);
  let ids = {};
  try { ids = JSON.parse(sessionStorage.getItem(idsKey)) ?? {}; } catch { /* replaced below */ }
  ids[flow === 'sso' ? 'EnterpriseSso' : 'Social'] = verificationId;
  sessionStorage.setItem(idsKey, JSON.stringify(ids));
  // In-app browsers may lose sessionStorage across the IdP round trip: keep a short-lived copy (docs/experience-api.md,
  // Social sign-in).
  const now = Date.now();
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const key = localStorage.key(i);
    if (!key?.startsWith(keys.FALLBACK_BUNDLE_PREFIX)) continue;
    try { if (JSON.parse(localStorage.getItem(key)).expiresAt < now) localStorage.removeItem(key); } catch { localStorage.removeItem(key); }
  }
  localStorage.setItem(keys.fallbackBundle(state), JSON.stringify({
    state, flow, connectorId, verificationId, ...session, createdAt: now, expiresAt: now + STATE_TTL_MS,
  }));
}

// An absolute `http(s)://host…` URL with no space or control character (core/src/config.rs, `is_absolute_http_url`).
const isAbsoluteHttpUrl = (url) => typeof url === 'string' && /^https?:\/\/[^/\\?#\s]\S*$/i.test(url) && !/[\x00-\x1f\x7f]/.test(url);

// Returns false when this is not a direct sign-in URL; otherwise forwards the browser and returns true.
export function directSignIn() {
  const match = /^\/direct\/([^/]+)(?:\/([^/]+))?\/?$/.exec(location.pathname);
  if (!match) return false;
  // A path that is not valid percent-encoding (`%E0%A4%A`) names no connector: `null`, and the fallback below.
  const decode = (part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return null;
    }
  };
  const [method, target] = [decode(match[1]), match[2] === undefined ? '' : decode(match[2])];
  const params = new URLSearchParams(location.search);
  const session = {};
  for (const [param, key] of [[keys.APP_ID, 'appId'], [keys.ORGANIZATION_ID, 'organizationId'], [keys.UI_LOCALES, 'uiLocales']]) {
    const value = params.get(param);
    if (value) { sessionStorage.setItem(param, value); session[key] = value; } else if (param !== keys.APP_ID) sessionStorage.removeItem(param);
  }
  const appId = session.appId ?? sessionStorage.getItem(keys.APP_ID);
  const fallback = FALLBACK_ROUTES[params.get('fallback')] ?? (Object.values(FALLBACK_ROUTES).includes(params.get('fallback')) ? params.get('fallback') : 'sign-in');
  const fallBack = (notice) => {
    sessionStorage.setItem(keys.NOTICE, notice);
    location.replace(`/${fallback}${appId ? `?app_id=${encodeURIComponent(appId)}` : ''}`);
  };

  if (method === null || target === null) {
    fallBack('error.direct_sign_in_unknown_target');
    return true;
  }

  const headers = { 'Content-Type': 'application/json', 'Accept-Language': navigator.language || 'en' };
  if (appId) headers['Logto-App-Id'] = appId;
  // Like the app's calls, none waits more than 20 s: a provider that never answers ends on the fallback screen too.
  const signal = () => AbortSignal.timeout?.(20_000);
  const call = (path, method, body) => fetch(path, { method, headers, body: JSON.stringify(body), credentials: 'same-origin', signal: signal() })
    .then((res) => (res.ok ? res : Promise.reject(new Error(`${method} ${path}: ${res.status}`))));
  const config = readSsr();
  const configP = config ? Promise.resolve(config)
    : fetch(`/api/.well-known/sign-in-exp${appId ? `?appId=${encodeURIComponent(appId)}` : ''}`, { signal: signal() }).then((r) => r.json());
  // The interaction is started while the config (if not injected) is still on its way.
  const started = call('/api/experience', 'PUT', { interactionEvent: 'SignIn' });

  configP.then(async (settings) => {
    const connector = findConnector(settings, method, target);
    if (!connector) return fallBack('error.direct_sign_in_unknown_target');
    // External One Tap: the app ran One Tap itself and passed Google's credential, which the landing left in a cookie;
    // One Tap's callback verifies it, with no round trip to Google. (Only social connectors have a target.)
    const oneTap = settings.googleOneTap;
    if (connector.target === 'google' && oneTap?.isEnabled && document.cookie.includes(`${keys.ONE_TAP_CREDENTIAL_COOKIE}=`)) {
      await started.catch(() => {});
      return location.replace(`/callback/${encodeURIComponent(oneTap.connectorId)}`);
    }
    // No terms check here, as in Logto: an application that asked for direct sign-in expects the forward. A new
    // account is only made after the callback, which asks for the terms first when the policy wants them.
    const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
    const redirectUri = `${location.origin}/callback/${connector.id}`;
    const flow = method === 'sso' ? 'sso' : 'social';
    await started;
    const res = await call(`/api/experience/verification/${flow}/${encodeURIComponent(connector.id)}/authorization-uri`, 'POST', { state, redirectUri });
    const { authorizationUri, verificationId } = await res.json();
    // Only a plain absolute http(s) URL is followed, as the app's rule for a `redirectTo` (core `is_absolute_http_url`):
    // a `javascript:` or `data:` answer ends on the fallback screen instead of running.
    if (!isAbsoluteHttpUrl(authorizationUri)) throw new Error('no usable authorizationUri');
    remember(flow, connector.id, state, verificationId, session);
    location.assign(authorizationUri);
  }).catch((error) => {
    console.warn('Direct sign-in failed', error);
    fallBack('error.direct_sign_in_failed');
  });
  return true;
}
