//! The values a sign-in visit keeps across navigations and reloads: sessionStorage under Logto's keys,
//! and `app_id` in the URL.

use sign_in_core::interaction::FlowState;
use sign_in_core::landing::{self, LandingParams};
use sign_in_core::social::{self, FallbackBundle, RoundTrip, StateCheck};
use sign_in_core::storage_keys;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

pub fn set(key: &str, value: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = match value {
            Some(v) => storage.set_item(key, v),
            None => storage.remove_item(key),
        };
    }
}

/// The visit's app, organization and language, after taking them from the landing URL like Logto:
/// URL values are stored; absent `organization_id`/`ui_locales` are forgotten; `app_id` stays in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visit {
    pub app_id: Option<String>,
    pub organization_id: Option<String>,
    pub ui_locales: Option<String>,
    /// Prefills the identifier; read from the URL only, never stored (as Logto).
    pub login_hint: Option<String>,
}

impl Visit {
    pub fn from_landing_url() -> Self {
        let Some(window) = web_sys::window() else { return Self::default() };
        let location = window.location();
        let search = location.search().unwrap_or_default();
        let params = LandingParams::from_query(&search);
        if let Some(app_id) = &params.app_id {
            set(storage_keys::APP_ID, Some(app_id));
        }
        set(storage_keys::ORGANIZATION_ID, params.organization_id.as_deref());
        set(storage_keys::UI_LOCALES, params.ui_locales.as_deref());

        let cleaned = landing::cleaned_query(&search);
        if cleaned != search.trim_start_matches('?') {
            let path = location.pathname().unwrap_or_default();
            let url = if cleaned.is_empty() { path } else { format!("{path}?{cleaned}") };
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        }
        Self {
            app_id: params.app_id.or_else(|| get(storage_keys::APP_ID)),
            organization_id: params.organization_id,
            ui_locales: params.ui_locales,
            login_hint: params.login_hint,
        }
    }
}

/// Leaves the page for a URL the provider gave (`redirectTo`), without a history entry.
pub fn replace_location(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(url);
    }
}

pub fn remember_identifier(identifier: &sign_in_core::api::Identifier) {
    set(storage_keys::IDENTIFIER, serde_json::to_string(identifier).ok().as_deref());
}

pub fn remembered_identifier() -> Option<sign_in_core::api::Identifier> {
    crate::json::parse_as(&get(storage_keys::IDENTIFIER)?)
}

/// The identifier a code screen's "change" link takes back to the screen where it was typed: that screen's field
/// shows it, once (over `login_hint`).
pub fn change_identifier(value: &str) {
    set(storage_keys::IDENTIFIER_TO_CHANGE, Some(value));
}

pub fn take_identifier_to_change() -> Option<String> {
    let value = get(storage_keys::IDENTIFIER_TO_CHANGE)?;
    set(storage_keys::IDENTIFIER_TO_CHANGE, None);
    Some(value)
}

/// The screen (path and query) where the visit last showed an identifier field: a code screen's "change" link goes
/// back there.
pub fn remember_identifier_screen() {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return };
    let here = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    set(storage_keys::IDENTIFIER_SCREEN, Some(&here));
}

pub fn identifier_screen() -> Option<String> {
    get(storage_keys::IDENTIFIER_SCREEN)
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The verification id of a social/SSO round trip coming back with `returned_state`, if this browser
/// started it: the state must match sessionStorage, or (when sessionStorage was lost, as in some in-app
/// browsers) a fresh fallback bundle for the same connector, which is consumed.
pub fn finish_round_trip(round_trip: RoundTrip, connector_id: &str, returned_state: Option<&str>) -> Option<String> {
    let origin = web_sys::window()?.location().origin().ok()?;
    match social::check_state(get(&storage_keys::social_state(connector_id)).as_deref(), returned_state) {
        StateCheck::Match => {
            let ids = crate::json::parse(&get(&storage_keys::verification_ids(&origin))?)?;
            ids.get(round_trip.verification_type())?.as_str().map(str::to_owned)
        }
        StateCheck::Mismatch => None,
        StateCheck::Missing => {
            let state = returned_state?;
            let storage = local_storage()?;
            let key = storage_keys::fallback_bundle(state);
            let bundle: FallbackBundle = crate::json::parse_as(&storage.get_item(&key).ok()??)?;
            let _ = storage.remove_item(&key);
            if !bundle.serves(round_trip, connector_id, state, js_sys::Date::now()) {
                return None;
            }
            set(storage_keys::APP_ID, bundle.app_id.as_deref());
            set(storage_keys::ORGANIZATION_ID, bundle.organization_id.as_deref());
            set(storage_keys::UI_LOCALES, bundle.ui_locales.as_deref());
            Some(bundle.verification_id)
        }
    }
}

/// The page's cookies, as `document.cookie` reads them (those that are not HttpOnly).
pub fn cookies() -> String {
    let document = web_sys::window().and_then(|w| w.document());
    document
        .and_then(|d| js_sys::Reflect::get(&d, &wasm_bindgen::JsValue::from_str("cookie")).ok())
        .and_then(|cookie| cookie.as_string())
        .unwrap_or_default()
}

/// Replaces the address without its query (the IdP's code and state must not linger in history).
pub fn strip_query() {
    let Some(window) = web_sys::window() else { return };
    let path = window.location().pathname().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

/// The identifier flow in progress lets a reload resume.
pub fn save_flow(state: &FlowState) {
    set(storage_keys::FLOW, serde_json::to_string(state).ok().as_deref());
}

pub fn flow() -> Option<FlowState> {
    crate::json::parse_as(&get(storage_keys::FLOW)?)
}

/// The MFA step in progress (factors, skippable, suggestion, masked addresses) lets MFA screens reload.
pub fn save_mfa(state: &sign_in_core::mfa::MfaState) {
    set(storage_keys::MFA, serde_json::to_string(state).ok().as_deref());
}

/// The stored MFA step, or an empty one (a factor screen still works without the chooser's data).
pub fn mfa() -> sign_in_core::mfa::MfaState {
    get(storage_keys::MFA).and_then(|json| crate::json::parse_as(&json)).unwrap_or_default()
}

/// The social identity being registered (its verification id), while sign-up asks for more: if the address
/// given then belongs to an account, the identity can be linked to it instead ("bind and continue").
pub fn remember_social_link(verification_id: Option<&str>) {
    set(storage_keys::SOCIAL_LINK, verification_id);
}

pub fn social_link() -> Option<String> {
    get(storage_keys::SOCIAL_LINK)
}
