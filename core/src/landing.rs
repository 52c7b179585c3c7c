//! Landing parameters: what the provider puts in the URL of the first screen (docs/experience-api.md,
//! Landing URL parameters).

// The landing parameters the page keeps for the visit, stored under their own names (`storage_keys`).
use crate::query;
use crate::storage_keys::{APP_ID, ORGANIZATION_ID, UI_LOCALES};

/// The parameters of one landing URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LandingParams {
    pub app_id: Option<String>,
    pub organization_id: Option<String>,
    pub ui_locales: Option<String>,
    pub login_hint: Option<String>,
}

impl LandingParams {
    /// Reads a query string (with or without the leading `?`). Empty values count as absent. A key given more than
    /// once counts the first time only, as `URLSearchParams.get` reads it (the direct sign-in script, the screens'
    /// own parameters): one landing URL means one thing to every part of the page.
    pub fn from_query(query: &str) -> Self {
        let mut params = Self::default();
        let mut seen = [false; 4];
        for (key, value) in query::parse(query) {
            let (i, slot) = match key.as_str() {
                APP_ID => (0, &mut params.app_id),
                ORGANIZATION_ID => (1, &mut params.organization_id),
                UI_LOCALES => (2, &mut params.ui_locales),
                "login_hint" => (3, &mut params.login_hint),
                _ => continue,
            };
            if !std::mem::replace(&mut seen[i], true) {
                *slot = Some(value).filter(|v| !v.is_empty());
            }
        }
        params
    }
}

/// The query to keep in the address bar once the session values are stored: Logto strips
/// `organization_id` and `ui_locales` but keeps `app_id`, so a reload still knows the app.
pub fn cleaned_query(query: &str) -> String {
    query::encode(query::parse(query).filter(|(k, _)| k != ORGANIZATION_ID && k != UI_LOCALES))
}

/// An in-app link that keeps `app_id` in the URL, as every navigation of Logto's page does.
pub fn href(path: &str, app_id: Option<&str>) -> String {
    match app_id {
        Some(id) => format!("{path}?{}", query::encode([(APP_ID, id)])),
        None => path.to_owned(),
    }
}

/// `?…` for `GET /api/.well-known/sign-in-exp` (camelCase keys, unlike the landing URL); empty if none.
pub fn sign_in_exp_query(app_id: Option<&str>, organization_id: Option<&str>) -> String {
    query_of(&[("organizationId", organization_id), ("appId", app_id)])
}

/// `?lng=…` for `GET /api/.well-known/phrases`: the raw `ui_locales` list, as Logto's page sends it.
pub fn phrases_query(ui_locales: Option<&str>) -> String {
    query_of(&[("lng", ui_locales)])
}

/// `?k=v&…` of the present pairs, or empty.
pub fn query_of(pairs: &[(&str, Option<&str>)]) -> String {
    let query = query::encode(pairs.iter().filter_map(|(k, v)| v.map(|v| (k, v))));
    if query.is_empty() {
        query
    } else {
        format!("?{query}")
    }
}
