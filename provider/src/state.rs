//! Everything the handlers share.

use crate::config::SieConfig;
use crate::csp::CspProfile;
use crate::i18n::Phrases;
use crate::session::Store;
use crate::users::Users;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// The one OIDC client this double knows: Logto's built-in public SPA client.
pub const DEMO_CLIENT_ID: &str = "demo-app";

pub struct Shared {
    /// `http://host:port`, no trailing slash.
    pub origin: String,
    pub sie: SieConfig,
    users: Mutex<Users>,
    pub phrases: Phrases,
    pub dist: PathBuf,
    pub csp: CspProfile,
    /// Signs the test id_tokens (HS256).
    pub jwt_key: [u8; 32],
    store: Mutex<Store>,
}

pub type AppState = Arc<Shared>;

impl Shared {
    pub fn new(origin: String, sie: SieConfig, users: Users, phrases: Phrases, dist: PathBuf, csp: CspProfile) -> Self {
        Self {
            origin,
            sie,
            users: Mutex::new(users),
            phrases,
            dist,
            csp,
            jwt_key: crate::random::bytes::<32>(),
            store: Mutex::new(Store::default()),
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

    pub fn issuer(&self) -> String {
        format!("{}/oidc", self.origin)
    }

    /// The redirect URIs registered for `client_id`, or `None` for an unknown client.
    pub fn redirect_uris(&self, client_id: &str) -> Option<Vec<String>> {
        (client_id == DEMO_CLIENT_ID).then(|| vec![format!("{}/demo/callback", self.origin)])
    }
}
