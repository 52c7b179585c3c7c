//! Every key the page keeps in the browser's storage, in one place. Logto's own page reads and writes the first
//! group too, so those names are fixed; the `sign-in:` ones are ours. The loader's direct sign-in (JavaScript) writes
//! some of them before the app runs: `src/js/storage-keys.js` repeats those, and a test checks the two agree.

// sessionStorage, under Logto's names (docs/experience-api.md, Landing URL parameters).
pub const APP_ID: &str = "app_id";
pub const ORGANIZATION_ID: &str = "organization_id";
pub const UI_LOCALES: &str = "ui_locales";

/// The `state` a social/SSO round trip was started with, per connector (sessionStorage).
pub fn social_state(connector_id: &str) -> String {
    format!("social_auth_state:{connector_id}")
}

/// The verification ids of the round trips in progress, by kind (sessionStorage, JSON object).
pub fn verification_ids(origin: &str) -> String {
    format!("logto:{origin}:verification-ids")
}

/// The SSO connectors found for the email typed on `/single-sign-on`, for the chooser (sessionStorage, JSON array).
pub fn sso_connectors(origin: &str) -> String {
    format!("logto:{origin}:sso-connectors")
}

/// The short-lived copy of a round trip's context for browsers that lose sessionStorage (localStorage).
pub const FALLBACK_BUNDLE_PREFIX: &str = "logto:redirect-context:fallback:";

pub fn fallback_bundle(state: &str) -> String {
    format!("{FALLBACK_BUNDLE_PREFIX}{state}")
}

// sessionStorage, ours.
/// A native app's callback link for a connector: `/social/landing` keeps it, `/callback` uses it.
pub fn native_callback(connector_id: &str) -> String {
    format!("social:native-callback:{connector_id}")
}

/// A notice (phrase key) for the next screen, left by a reaction that moved there or by a reload.
pub const NOTICE: &str = "sign-in:notice";
/// The identifier chosen on identifier-first sign-in, for the screen after it.
pub const IDENTIFIER: &str = "sign-in:identifier";
/// The screen (path and query) where the visit last showed an identifier field, for a code screen's "change" link.
pub const IDENTIFIER_SCREEN: &str = "sign-in:identifier-screen";
/// The identifier a code screen's "change" link takes back to its field.
pub const IDENTIFIER_TO_CHANGE: &str = "sign-in:identifier-to-change";
/// The identifier flow in progress (event, identifier, verification id).
pub const FLOW: &str = "sign-in:flow";
/// The MFA step in progress.
pub const MFA: &str = "sign-in:mfa";
/// The social identity being registered, while sign-up asks for more.
pub const SOCIAL_LINK: &str = "sign-in:link-social";
/// The question "link this identity to the account with this address?", for a reload of `/social/link`.
pub const SOCIAL_LINK_QUESTION: &str = "sign-in:social-link";
/// The passkey options of identifier-first passkey sign-in, for `/sign-in/passkey`.
pub const PASSKEY_OPTIONS: &str = "sign-in:passkey-options";
/// Set once the terms were accepted in this visit.
pub const TERMS_ACCEPTED: &str = "sign-in:terms-accepted";
