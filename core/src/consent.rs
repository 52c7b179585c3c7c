//! What the consent screen lists (docs/experience-api.md, "Consent"): the permissions a third-party application
//! asks for, grouped as people read them, and how the redirect target is named.

use crate::api::{ApplicationBranding, ConsentApplication, ConsentInfoResponse, ResourceScopes};
use crate::config::{is_safe_url, is_script_url};
use crate::i18n::{self, Phrases};

/// The reserved resource that stands for organization access; Logto lists its scopes among the user scopes
/// (`urn:logto:scope:organizations`), so the screen leaves the resource out.
pub const ORGANIZATION_RESOURCE: &str = "urn:logto:resource:organizations";
/// The OIDC scope that asks for the account's organizations.
pub const ORGANIZATIONS_SCOPE: &str = "urn:logto:scope:organizations";

/// The OIDC user scopes a person is told about (each has a phrase `user_scopes.descriptions.<scope>`).
/// `openid` and `offline_access` grant nothing about the person and are never listed.
pub const USER_SCOPES: &[&str] = &[
    "profile",
    "email",
    "phone",
    "address",
    "custom_data",
    "identities",
    "roles",
    ORGANIZATIONS_SCOPE,
    "urn:logto:scope:organization_roles",
];

/// The permissions of one consent, in the order the screen shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permissions {
    /// Personal data: OIDC user scopes, each once.
    pub user_scopes: Vec<String>,
    /// API resources with their scopes: the request's own, then those the chosen organization adds.
    pub resources: Vec<ResourceScopes>,
}

/// The permissions `info` asks for when `organization` is the chosen organization.
pub fn permissions(info: &ConsentInfoResponse, organization: Option<&str>) -> Permissions {
    let mut user_scopes: Vec<String> = Vec::new();
    for scope in info.missing_oidc_scope.iter().flatten() {
        if USER_SCOPES.contains(&scope.as_str()) && !user_scopes.contains(scope) {
            user_scopes.push(scope.clone());
        }
    }
    let chosen = info.organizations.iter().flatten().find(|o| Some(o.id.as_str()) == organization);
    let mut resources: Vec<ResourceScopes> = Vec::new();
    let requested = info.missing_resource_scopes.iter().flatten();
    let organization_level = chosen.and_then(|o| o.missing_resource_scopes.as_ref()).into_iter().flatten();
    for group in requested.chain(organization_level) {
        if group.resource.id == ORGANIZATION_RESOURCE || group.scopes.is_empty() {
            continue;
        }
        match resources.iter_mut().find(|r| r.resource.id == group.resource.id) {
            Some(known) => {
                for scope in &group.scopes {
                    if !known.scopes.iter().any(|s| s.id == scope.id) {
                        known.scopes.push(scope.clone());
                    }
                }
            }
            None => resources.push(group.clone()),
        }
    }
    Permissions { user_scopes, resources }
}

/// The organization chosen before the person picks one: the first of the list, as Logto's page does.
pub fn default_organization(info: &ConsentInfoResponse) -> Option<String> {
    info.organizations.as_ref()?.first().map(|o| o.id.clone())
}

/// The application's logo for the theme: the dark one in the dark theme, else the light one; either serves in
/// both themes when it is the only one.
pub fn app_logo(branding: Option<&ApplicationBranding>, dark: bool) -> Option<&str> {
    let b = branding?;
    fn present(u: &Option<String>) -> Option<&str> {
        u.as_deref().filter(|u| !u.trim().is_empty())
    }
    let (light, dark_logo) = (present(&b.logo_url), present(&b.dark_logo_url));
    if dark {
        dark_logo.or(light)
    } else {
        light.or(dark_logo)
    }
}

/// Where Cancel takes the browser (the application's redirect URI, which carries `error=access_denied`), unless it is
/// a URI the browser would run or draw itself (`javascript:`, `data:`, `vbscript:`): then there is no Cancel. A native
/// app's own scheme is kept.
pub fn cancel_target(info: &ConsentInfoResponse) -> Option<&str> {
    info.redirect_uri.as_deref().filter(|uri| !uri.trim().is_empty() && !is_script_url(uri))
}

/// The application's terms and privacy links that can be shown (present, http(s) or relative), with their phrase keys.
pub fn terms_links(application: &ConsentApplication) -> Vec<(&str, &'static str)> {
    [
        (&application.terms_of_use_url, "description.terms_of_use"),
        (&application.privacy_policy_url, "description.privacy_policy"),
    ]
    .into_iter()
    .filter_map(|(url, key)| url.as_deref().filter(|u| !u.trim().is_empty() && is_safe_url(u)).map(|u| (u, key)))
    .collect()
}

/// The phrase `key` split around its `<link></link>` (where its links go) and each side filled with `args`: before
/// and after; all of it before when it has none. Split before filling: a value holding the marker (an application's
/// name is the tenant's text) stays text and does not move the links.
pub fn around_link(phrases: &Phrases, key: &str, args: &[(&str, &str)]) -> (String, String) {
    let phrase = phrases.t(key);
    let (before, after) = phrase.split_once("<link></link>").unwrap_or((&phrase, ""));
    (i18n::interpolate(before, args), i18n::interpolate(after, args))
}

/// How the redirect target is named to people: the origin of an http(s) URI (its path and query may carry
/// secrets), a native app's URI as it is.
pub fn redirect_origin(redirect_uri: &str) -> String {
    let lower = redirect_uri.to_ascii_lowercase();
    let Some(rest) =
        ["https://", "http://"].iter().find_map(|s| lower.starts_with(s).then(|| &redirect_uri[s.len()..]))
    else {
        return redirect_uri.to_owned();
    };
    let scheme_len = redirect_uri.len() - rest.len();
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    // Credentials before `@` are not part of an origin.
    let authority = &rest[..authority_end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{}{}", &lower[..scheme_len], host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ConsentApplication, ConsentOrganization, ConsentResource, ConsentScope, ConsentUser};

    fn scope(id: &str) -> ConsentScope {
        ConsentScope { id: id.into(), name: id.into(), description: Some(format!("{id} described")) }
    }

    fn resource(id: &str, scopes: &[&str]) -> ResourceScopes {
        ResourceScopes {
            resource: ConsentResource { id: id.into(), name: format!("{id} API") },
            scopes: scopes.iter().map(|s| scope(s)).collect(),
        }
    }

    fn info() -> ConsentInfoResponse {
        ConsentInfoResponse {
            application: ConsentApplication { id: "app".into(), name: "App".into(), ..Default::default() },
            user: ConsentUser { id: "u".into(), ..Default::default() },
            organizations: Some(vec![
                ConsentOrganization {
                    id: "o1".into(),
                    name: "One".into(),
                    missing_resource_scopes: Some(vec![resource("notes", &["read:notes", "write:notes"])]),
                },
                ConsentOrganization { id: "o2".into(), name: "Two".into(), missing_resource_scopes: None },
            ]),
            missing_oidc_scope: Some(
                ["openid", "profile", "email", "offline_access", "profile", "made-up", ORGANIZATIONS_SCOPE]
                    .map(String::from)
                    .to_vec(),
            ),
            missing_resource_scopes: Some(vec![
                resource("notes", &["read:notes"]),
                resource(ORGANIZATION_RESOURCE, &["read:members"]),
                resource("empty", &[]),
            ]),
            redirect_uri: None,
        }
    }

    #[test]
    fn user_scopes_are_the_described_ones_once_in_request_order() {
        let p = permissions(&info(), None);
        assert_eq!(p.user_scopes, ["profile", "email", ORGANIZATIONS_SCOPE]);
    }

    #[test]
    fn resources_leave_out_the_organization_resource_and_merge_the_chosen_organization() {
        let ids = |p: &Permissions| -> Vec<(String, Vec<String>)> {
            p.resources
                .iter()
                .map(|r| (r.resource.id.clone(), r.scopes.iter().map(|s| s.id.clone()).collect()))
                .collect()
        };
        assert_eq!(ids(&permissions(&info(), None)), [("notes".to_owned(), vec!["read:notes".to_owned()])]);
        assert_eq!(ids(&permissions(&info(), Some("o2"))), [("notes".to_owned(), vec!["read:notes".to_owned()])]);
        assert_eq!(
            ids(&permissions(&info(), Some("o1"))),
            [("notes".to_owned(), vec!["read:notes".to_owned(), "write:notes".to_owned()])]
        );
    }

    #[test]
    fn the_first_organization_is_chosen_until_the_person_picks() {
        assert_eq!(default_organization(&info()).as_deref(), Some("o1"));
        let none = ConsentInfoResponse { organizations: Some(Vec::new()), ..info() };
        assert_eq!(default_organization(&none), None);
    }

    #[test]
    fn the_logo_follows_the_theme_and_one_logo_serves_both() {
        let both = ApplicationBranding { logo_url: Some("l".into()), dark_logo_url: Some("d".into()) };
        assert_eq!(app_logo(Some(&both), false), Some("l"));
        assert_eq!(app_logo(Some(&both), true), Some("d"));
        let light = ApplicationBranding { logo_url: Some("l".into()), dark_logo_url: Some(" ".into()) };
        assert_eq!(app_logo(Some(&light), true), Some("l"));
        let dark = ApplicationBranding { logo_url: None, dark_logo_url: Some("d".into()) };
        assert_eq!(app_logo(Some(&dark), false), Some("d"));
        assert_eq!(app_logo(None, false), None);
    }

    #[test]
    fn phrases_split_around_their_link_before_the_name_is_filled_in() {
        let en = i18n::english();
        let (before, after) = around_link(&en, "description.authorize_agreement", &[("name", "Acme")]);
        assert!(!before.contains("<link>") && after.contains("Acme"), "{before:?} | {after:?}");
        let named_first = Phrases::from_provider(
            "en",
            &serde_json::json!({"translation": {"description": {"authorize_agreement": "{{name}} asks: <link></link>."}}}),
        );
        let hostile = [("name", "Evil <link></link> app")];
        assert_eq!(
            around_link(&named_first, "description.authorize_agreement", &hostile),
            ("Evil <link></link> app asks: ".to_owned(), ".".to_owned())
        );
        let none = around_link(&named_first, "description.no_such_phrase", &hostile);
        assert_eq!(none, ("description.no_such_phrase".to_owned(), String::new()));
    }

    #[test]
    fn redirect_targets_are_named_by_origin() {
        assert_eq!(redirect_origin("https://Notes.example/callback?code=1"), "https://notes.example");
        assert_eq!(redirect_origin("http://127.0.0.1:3001/demo/cb"), "http://127.0.0.1:3001");
        assert_eq!(redirect_origin("https://user:pw@host.test#x"), "https://host.test");
        assert_eq!(redirect_origin("io.logto://callback?code=1"), "io.logto://callback?code=1");
    }

    #[test]
    fn cancel_never_runs_a_script_uri() {
        let with = |uri: Option<&str>| ConsentInfoResponse { redirect_uri: uri.map(Into::into), ..info() };
        let app = with(Some("https://app.test/cb?error=access_denied"));
        assert_eq!(cancel_target(&app), Some("https://app.test/cb?error=access_denied"));
        let native = with(Some("io.logto.app://callback?error=access_denied"));
        assert_eq!(cancel_target(&native), Some("io.logto.app://callback?error=access_denied"));
        for hostile in ["javascript:alert(1)", " JaVa\tScRiPt:alert(1)", "data:text/html,x", "vbscript:x", " "] {
            assert_eq!(cancel_target(&with(Some(hostile))), None, "{hostile:?}");
        }
        assert_eq!(cancel_target(&with(None)), None);
    }

    #[test]
    fn only_safe_terms_links_are_shown() {
        let application = ConsentApplication {
            terms_of_use_url: Some("javascript:alert(1)".into()),
            privacy_policy_url: Some("https://app.test/privacy".into()),
            ..Default::default()
        };
        assert_eq!(terms_links(&application), [("https://app.test/privacy", "description.privacy_policy")]);
    }
}
