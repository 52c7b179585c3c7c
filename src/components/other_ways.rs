use crate::components::{terms_click_guard, PasskeyButton, PasskeySignInState};
use crate::settings::use_settings;
use leptos::prelude::*;
use sign_in_core::route::Page;
use sign_in_core::social::{self, RoundTrip};

/// The other ways in, grouped after the screen's own form and always in this order: passkey (where the screen set
/// up passkey sign-in and shows its button), one button per web social connector, single sign-on (`single_sign_on`,
/// where enterprise connectors exist). An "or" divider comes first when the screen has a form above them. Nothing
/// at all when there is no other way.
#[component]
pub fn OtherWays(
    /// The screen a failed direct sign-in falls back to (`sign-in`, `register`).
    fallback: &'static str,
    /// The screen has a form above: the ways are introduced by "or".
    after_form: bool,
    #[prop(optional)] single_sign_on: bool,
) -> impl IntoView {
    let settings = use_settings();
    let guard_terms = terms_click_guard();
    let passkey = PasskeySignInState::from_context().is_some_and(|state| state.shows_button());
    let connectors = social::web_connectors(&settings.config);
    let enterprise =
        single_sign_on && settings.config.single_sign_on_enabled && !settings.config.sso_connectors.is_empty();
    (passkey || enterprise || !connectors.is_empty()).then(|| {
        let social = connectors
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
            .collect_view();
        // Like the social buttons: under `Manual` the way to an identity provider waits for the box.
        let enterprise = enterprise.then(|| {
            view! {
                <li>
                    <a class="button button_secondary signIn_singleSignOn" href=settings.link(Page::SingleSignOn) on:click=guard_terms>
                        {settings.t("action.single_sign_on")}
                    </a>
                </li>
            }
        });
        view! {
            {after_form.then(|| view! { <div class="signIn_divider" role="separator">{settings.t("description.or")}</div> })}
            <ul class="signIn_socialLinkList signIn_otherWays">
                {passkey.then(|| view! { <li><PasskeyButton /></li> })}
                {social}
                {enterprise}
            </ul>
        }
    })
}
