use crate::components::terms_click_guard;
use crate::settings::use_settings;
use leptos::prelude::*;
use sign_in_core::social::{self, RoundTrip};

/// One button per web social connector, with the "or" divider above them.
#[component]
pub fn SocialButtons(
    /// The screen a failed direct sign-in falls back to (`sign-in`, `register`).
    fallback: &'static str,
) -> impl IntoView {
    let settings = use_settings();
    let guard_terms = terms_click_guard();
    let social: Vec<_> = social::web_connectors(&settings.config)
        .into_iter()
        .map(|c| {
            let guard_terms = guard_terms.clone();
            let name = social::display_name(c, &settings.phrases.language);
            let href = social::direct_href(RoundTrip::Social, &c.target, settings.app_id().as_deref(), fallback);
            // `rel="external"`: a full page load, so the loader (not the router) takes the /direct/ path.
            view! {
                <li>
                    <a class="button button_social" href=href rel="external" on:click=guard_terms>
                        <img src=c.logo.clone() alt="" width="20" height="20" />
                        <span>{settings.phrases.t_with("action.sign_in_with", &[("name", name)])}</span>
                    </a>
                </li>
            }
        })
        .collect();
    (!social.is_empty()).then(|| {
        view! {
            <div class="signIn_divider" role="separator">{settings.t("description.or")}</div>
            <ul class="signIn_socialLinkList">{social}</ul>
        }
    })
}
