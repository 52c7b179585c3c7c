//! Everything the handlers share.

use crate::applications::Catalogue;
use crate::config::SieConfig;
use crate::csp::CspProfile;
use crate::i18n::Phrases;
use crate::interactions::Store;
use crate::users::Users;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

/// The one OIDC client this double knows: Logto's built-in public SPA client.
pub const DEMO_CLIENT_ID: &str = "demo-app";

pub struct Shared {
    /// `http://host:port`, no trailing slash.
    pub origin: String,
    pub sie: SieConfig,
    /// Third-party applications, API resources and organizations.
    pub catalogue: Catalogue,
    users: Mutex<Users>,
    /// The users as loaded, for [`Shared::reset`].
    seed_users: Users,
    pub phrases: Phrases,
    pub dist: PathBuf,
    pub csp: CspProfile,
    /// The CSP sources (`'sha256-…'`) of the page's inline scripts, as the build wrote them next to `index.html`.
    pub inline_script_hashes: String,
    /// Signs the test id_tokens (HS256).
    pub jwt_key: [u8; 32],
    store: Mutex<Store>,
    /// How far the tests have moved the clock forward (expiry checks use [`Shared::now`]).
    clock_offset: Mutex<Duration>,
}

pub type AppState = Arc<Shared>;

/// The file `cargo xtask build` writes into `dist/` with the CSP hash of the page's inline script.
const INLINE_SCRIPT_HASHES: &str = "inline-script-hashes.csp";

impl Shared {
    pub fn new(origin: String, sie: SieConfig, users: Users, phrases: Phrases, dist: PathBuf, csp: CspProfile) -> Self {
        Self {
            origin,
            sie,
            catalogue: Catalogue::default(),
            seed_users: users.clone(),
            users: Mutex::new(users),
            phrases,
            inline_script_hashes: std::fs::read_to_string(dist.join(INLINE_SCRIPT_HASHES))
                .map(|h| h.trim().to_owned())
                .unwrap_or_default(),
            dist,
            csp,
            jwt_key: crate::random::bytes::<32>(),
            store: Mutex::new(Store::default()),
            clock_offset: Mutex::new(Duration::ZERO),
        }
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock must not take the whole double down with it.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The user directory (accounts are created by registration). Lock order: `store()` before `users()`.
    pub fn users(&self) -> MutexGuard<'_, Users> {
        self.users.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Test hook: back to the state at start (the seeded users, no interactions, codes or sessions, the real
    /// clock), so a test can rely on what the users file says.
    pub fn reset(&self) {
        *self.store() = Store::default();
        *self.users() = self.seed_users.clone();
        *self.clock_offset.lock().unwrap_or_else(|e| e.into_inner()) = Duration::ZERO;
    }

    /// The clock that code and token expiry use: real time plus whatever the tests skipped.
    pub fn now(&self) -> Instant {
        Instant::now() + *self.clock_offset.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wall-clock time on the same (possibly advanced) clock, for timestamps shown to people.
    pub fn wall_now(&self) -> SystemTime {
        SystemTime::now() + *self.clock_offset.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Test hook: moves [`Shared::now`] forward (expiry tests do not sleep).
    pub fn advance_clock(&self, by: Duration) {
        *self.clock_offset.lock().unwrap_or_else(|e| e.into_inner()) += by;
    }

    /// A stand-in's script URL the page is configured with (the captcha's, One Tap's): on the provider's other
    /// loopback name (`localhost` for `127.0.0.1` and the reverse) under the strict CSP, so that it is an outside
    /// script like the vendor's, which the policy must name; same-origin under Logto's header, which names only the
    /// vendors' own URLs besides `'self'`.
    pub fn stand_in_url(&self, path: &str) -> String {
        stand_in_url(&self.origin, self.csp, path)
    }

    /// The page's captcha script (`<meta name="sign-in-captcha-script">`) while the policy is on: the stand-in's.
    pub fn captcha_script(&self) -> Option<String> {
        let config = sign_in_core::captcha::CaptchaConfig::from_value(self.sie.typed.captcha()?)?;
        Some(self.stand_in_url(crate::captcha::stand_in_path(&config)))
    }

    /// One Tap's script (`<meta name="sign-in-one-tap-script">`) while it is on: the stand-in's.
    pub fn one_tap_script(&self) -> Option<String> {
        self.sie.google_one_tap.as_ref().map(|_| self.stand_in_url(crate::one_tap::SCRIPT_PATH))
    }

    /// What the strict CSP adds for the outside widgets that are on (see `CaptchaConfig::csp_sources`,
    /// `GoogleOneTap::csp_sources`).
    pub fn widget_csp_sources(&self) -> Vec<(&'static str, String)> {
        let mut sources = Vec::new();
        if let Some(config) = self.sie.typed.captcha().and_then(sign_in_core::captcha::CaptchaConfig::from_value) {
            sources.extend(config.csp_sources(self.captcha_script().as_deref()));
        }
        if let Some(script) = self.one_tap_script() {
            sources.extend(sign_in_core::one_tap::GoogleOneTap::csp_sources(Some(&script)));
        }
        sources
    }

    pub fn issuer(&self) -> String {
        format!("{}/oidc", self.origin)
    }

    /// The redirect URIs registered for `client_id`, or `None` for an unknown client.
    pub fn redirect_uris(&self, client_id: &str) -> Option<Vec<String>> {
        if client_id == DEMO_CLIENT_ID {
            return Some(vec![format!("{}/demo/callback", self.origin)]);
        }
        self.catalogue.app(client_id).map(|app| app.redirect_uris(&self.origin))
    }

    /// Whether `client_id` is a third-party application (its sign-ins end on the consent screen).
    pub fn is_third_party(&self, client_id: &str) -> bool {
        self.catalogue.app(client_id).is_some()
    }
}

/// See [`Shared::stand_in_url`].
fn stand_in_url(origin: &str, csp: CspProfile, path: &str) -> String {
    if csp != CspProfile::Strict {
        return path.to_owned();
    }
    let other = if origin.contains("://localhost") {
        origin.replacen("://localhost", "://127.0.0.1", 1)
    } else {
        origin.replacen("://127.0.0.1", "://localhost", 1)
    };
    format!("{other}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stand_in_is_an_outside_script_under_the_strict_csp_only() {
        assert_eq!(
            stand_in_url("http://127.0.0.1:9", CspProfile::Strict, "/gsi/client"),
            "http://localhost:9/gsi/client"
        );
        assert_eq!(stand_in_url("http://localhost:9", CspProfile::Strict, "/a.js"), "http://127.0.0.1:9/a.js");
        assert_eq!(stand_in_url("http://localhost:9", CspProfile::Logto, "/a.js"), "/a.js");
        assert_eq!(stand_in_url("http://localhost:9", CspProfile::None, "/a.js"), "/a.js");
    }
}
