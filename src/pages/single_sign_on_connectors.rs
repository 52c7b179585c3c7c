use crate::components::BrandingHeader;
use crate::navigation::Redirect;
use crate::settings::use_settings;
use crate::sso::remembered_connectors;
use leptos::prelude::*;
use sign_in_core::route::Page;
use sign_in_core::social::{self, RoundTrip};

/// `/single-sign-on/connectors`: the email's organization has several SSO connectors; pick one.
#[component]
pub fn SingleSignOnConnectors() -> impl IntoView {
    let settings = use_settings();
    let ids = remembered_connectors();
    let buttons: Vec<_> = settings
        .config
        .sso_connectors
        .iter()
        .filter(|c| ids.contains(&c.id))
        .map(|c| {
            let href = social::direct_href(RoundTrip::Sso, &c.id, settings.app_id().as_deref(), "single-sign-on");
            view! {
                <li>
                    <a class="button button_social" href=href rel="external">
                        <img src=c.logo.clone() alt="" width="20" height="20" />
                        <span>{c.connector_name.clone()}</span>
                    </a>
                </li>
            }
        })
        .collect();
    if buttons.is_empty() {
        return view! { <Redirect path=settings.link(Page::SingleSignOn) /> }.into_any();
    }
    view! {
        <BrandingHeader title=settings.t("action.single_sign_on") />
        <p class="signIn_description">{settings.t("description.single_sign_on_connectors_list")}</p>
        <ul class="signIn_socialLinkList">{buttons}</ul>
        <a class="page_link" href=settings.link(Page::SingleSignOn)>{settings.t("action.nav_back")}</a>
    }
    .into_any()
}
