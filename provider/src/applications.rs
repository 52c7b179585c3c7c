//! Third-party applications, API resources and organizations (`provider/config/applications.json`, see
//! `provider/README.md`): what a consent lists and what it grants.

use serde::Deserialize;
use sign_in_core::api::{
    ApplicationBranding, ConsentApplication, ConsentOrganization, ConsentResource, ConsentScope, ResourceScopes,
};
use sign_in_core::consent::{ORGANIZATIONS_SCOPE, USER_SCOPES};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Catalogue {
    #[serde(default)]
    pub applications: Vec<ThirdPartyApp>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(default)]
    pub organizations: Vec<Organization>,
    /// Clients that sign in with the device flow (a TV, a CLI): first-party, no redirect URI.
    #[serde(default)]
    pub device_clients: Vec<DeviceClient>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeviceClient {
    pub id: String,
    pub name: String,
}

/// A third-party application: its sign-ins end on the consent screen.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ThirdPartyApp {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub branding: Option<ApplicationBranding>,
    #[serde(default)]
    pub terms_of_use_url: Option<String>,
    #[serde(default)]
    pub privacy_policy_url: Option<String>,
    /// Absolute, or a path on the provider's origin.
    pub redirect_uris: Vec<String>,
    /// What the demo client (`/demo/third-party`) asks for as this application.
    #[serde(default)]
    pub demo: Option<DemoRequest>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoRequest {
    pub scope: String,
    #[serde(default)]
    pub resource: Option<String>,
}

/// An API resource and the scopes it defines.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Resource {
    pub id: String,
    pub indicator: String,
    pub name: String,
    pub scopes: Vec<ConsentScope>,
}

/// An organization, its members (user ids) and the API scopes its roles give them, by resource indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Organization {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub resource_scopes: BTreeMap<String, Vec<String>>,
}

/// What one authorization request asks a person to grant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// OIDC user scopes (the ones a person is told about).
    pub user_scopes: Vec<String>,
    /// The requested resource's requested scopes.
    pub resource_scopes: Option<ResourceScopes>,
    /// Whether the request asks for organizations (`urn:logto:scope:organizations`).
    pub organizations: bool,
}

impl Catalogue {
    pub fn load(path: &Path) -> Result<Self, String> {
        if !path.exists() {
            return Ok(Self::default());
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn app(&self, client_id: &str) -> Option<&ThirdPartyApp> {
        self.applications.iter().find(|a| a.id == client_id)
    }

    fn resource(&self, indicator: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.indicator == indicator)
    }

    /// What a request with `scope` (space-separated) and `resource` (an indicator) asks for.
    pub fn request(&self, scope: &str, resource: Option<&str>) -> Request {
        let requested: Vec<&str> = scope.split_whitespace().collect();
        let mut user_scopes: Vec<String> = Vec::new();
        for s in &requested {
            if USER_SCOPES.contains(s) && !user_scopes.iter().any(|u| u == s) {
                user_scopes.push((*s).to_owned());
            }
        }
        let resource_scopes =
            resource.and_then(|r| self.resource(r)).and_then(|r| scopes_of(r, |s| requested.contains(&s)));
        Request { organizations: requested.contains(&ORGANIZATIONS_SCOPE), user_scopes, resource_scopes }
    }

    /// The organizations `user_id` belongs to, with the requested API scopes each would add.
    pub fn organizations_of(&self, user_id: &str, scope: &str, resource: Option<&str>) -> Vec<ConsentOrganization> {
        let requested: Vec<&str> = scope.split_whitespace().collect();
        self.organizations
            .iter()
            .filter(|o| o.members.iter().any(|m| m == user_id))
            .map(|o| {
                let granted = resource.and_then(|r| Some((self.resource(r)?, o.resource_scopes.get(r)?)));
                let scopes = granted
                    .and_then(|(r, names)| scopes_of(r, |s| requested.contains(&s) && names.iter().any(|n| n == s)));
                ConsentOrganization {
                    id: o.id.clone(),
                    name: o.name.clone(),
                    missing_resource_scopes: scopes.map(|s| vec![s]),
                }
            })
            .collect()
    }

    pub fn is_device_client(&self, client_id: &str) -> bool {
        self.device_clients.iter().any(|c| c.id == client_id)
    }

    pub fn is_member(&self, organization_id: &str, user_id: &str) -> bool {
        self.organizations.iter().any(|o| o.id == organization_id && o.members.iter().any(|m| m == user_id))
    }
}

impl ThirdPartyApp {
    /// The application as the consent answer names it.
    pub fn public(&self) -> ConsentApplication {
        ConsentApplication {
            id: self.id.clone(),
            name: self.name.clone(),
            display_name: self.display_name.clone(),
            branding: self.branding.clone(),
            terms_of_use_url: self.terms_of_use_url.clone(),
            privacy_policy_url: self.privacy_policy_url.clone(),
        }
    }

    /// The registered redirect URIs, paths made absolute on `origin`.
    pub fn redirect_uris(&self, origin: &str) -> Vec<String> {
        self.redirect_uris.iter().map(|u| if u.starts_with('/') { format!("{origin}{u}") } else { u.clone() }).collect()
    }
}

/// The scopes of `resource` that `keep` accepts, or `None` when there are none.
fn scopes_of(resource: &Resource, keep: impl Fn(&str) -> bool) -> Option<ResourceScopes> {
    let scopes: Vec<ConsentScope> = resource.scopes.iter().filter(|s| keep(&s.name)).cloned().collect();
    (!scopes.is_empty()).then(|| ResourceScopes {
        resource: ConsentResource { id: resource.id.clone(), name: resource.name.clone() },
        scopes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/applications.json");
        Catalogue::load(&path).unwrap()
    }

    #[test]
    fn a_request_lists_user_scopes_and_the_requested_scopes_of_its_resource() {
        let c = catalogue();
        let r = c.request(
            "openid offline_access profile email read:notes nope urn:logto:scope:organizations",
            Some("https://api.notes.test"),
        );
        assert_eq!(r.user_scopes, ["profile", "email", ORGANIZATIONS_SCOPE]);
        assert!(r.organizations);
        let notes = r.resource_scopes.unwrap();
        assert_eq!(notes.resource.name, "Notes API");
        assert_eq!(notes.scopes.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["read:notes"]);
        // Scopes of a resource the request does not name are not granted.
        assert_eq!(c.request("openid read:notes", None).resource_scopes, None);
        assert_eq!(c.request("openid read:notes", Some("https://other.test")).resource_scopes, None);
    }

    #[test]
    fn organizations_are_the_members_own_with_what_their_roles_add() {
        let c = catalogue();
        let scope = "openid read:notes write:notes urn:logto:scope:organizations";
        let alice = c.organizations_of("u0alice0demo", scope, Some("https://api.notes.test"));
        assert_eq!(alice.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["Acme", "Globex"]);
        let acme = alice[0].missing_resource_scopes.as_ref().unwrap();
        assert_eq!(acme[0].scopes.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["read:notes", "write:notes"]);
        assert_eq!(alice[1].missing_resource_scopes, None);
        assert!(c.organizations_of("u0pat000demo", scope, None).is_empty());
        assert!(c.is_member("org0globex00", "u0alice0demo") && !c.is_member("org0globex00", "u0erin00demo"));
    }
}
