//! Where enterprise SSO leads once the connectors for an email are known: straight to the only one (through the
//! page's direct sign-in path), or to the chooser, which reads the list back after a reload.

use crate::session;
use crate::settings::Settings;
use crate::submit::Outcome;
use sign_in_core::route::Page;
use sign_in_core::social::{self, RoundTrip, SsoChoice};
use sign_in_core::storage_keys;

/// Where an email's SSO connectors lead: straight to the only one, or to the chooser.
pub fn go_to_sso(settings: &Settings, choice: SsoChoice) -> Outcome {
    match choice {
        SsoChoice::One(id) => {
            start_sso(settings, &id);
            Outcome::Leaving
        }
        SsoChoice::Several(ids) => {
            remember_connectors(&ids);
            Outcome::Navigate(settings.link(Page::SingleSignOnConnectors))
        }
        SsoChoice::None => Outcome::Quiet,
    }
}

/// Leaves for the IdP through the page's own direct sign-in path (the loader makes the two calls).
fn start_sso(settings: &Settings, connector_id: &str) {
    let href = social::direct_href(RoundTrip::Sso, connector_id, settings.app_id().as_deref(), "single-sign-on");
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(&href);
    }
}

fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

pub fn remember_connectors(ids: &[String]) {
    session::set(&storage_keys::sso_connectors(&origin()), serde_json::to_string(ids).ok().as_deref());
}

pub fn remembered_connectors() -> Vec<String> {
    session::get(&storage_keys::sso_connectors(&origin()))
        .and_then(|json| crate::json::parse_as(&json))
        .unwrap_or_default()
}
