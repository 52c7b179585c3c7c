// The browser-storage keys the loader's direct sign-in writes before the app runs, and the cookie it reads. The app's
// own list is `core/src/storage_keys.rs` (the cookie: `core/src/one_tap.rs`); a test checks that every name here has the
// same value.
export const APP_ID = 'app_id';
export const ORGANIZATION_ID = 'organization_id';
export const UI_LOCALES = 'ui_locales';
export const NOTICE = 'sign-in:notice';
export const FALLBACK_BUNDLE_PREFIX = 'logto:redirect-context:fallback:';
export const socialState = (connectorId) => `social_auth_state:${connectorId}`;
export const verificationIds = (origin) => `logto:${origin}:verification-ids`;
export const fallbackBundle = (state) => `${FALLBACK_BUNDLE_PREFIX}${state}`;
export const ONE_TAP_CREDENTIAL_COOKIE = '_logto_google_one_tap_credential';
