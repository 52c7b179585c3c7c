use crate::components::{BrandingHeader, PasswordSignInForm, SendCodeButton};
use crate::navigation::Redirect;
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use sign_in_core::identifier;
use sign_in_core::route::Page;

/// `/sign-in/password`: the password for the identifier chosen on `/sign-in`, or a switch to a
/// verification code when the method offers both.
#[component]
pub fn SignInPassword() -> impl IntoView {
    let settings = use_settings();
    let Some(chosen) = session::remembered_identifier() else {
        return view! { <Redirect path=settings.link(Page::SignIn) /> }.into_any();
    };
    let method = settings.t(identifier::description_key(chosen.kind));
    let title =
        settings.phrases.t_with("description.enter_password_for", &[("method", &method), ("value", &chosen.value)]);
    let offers_code =
        settings.config.usable_sign_in_methods().any(|m| m.identifier == chosen.kind && m.verification_code);
    let switch_to_code = offers_code.then(|| view! { <SendCodeButton identifier=chosen.clone() /> });
    view! {
        <BrandingHeader title=settings.t("description.enter_password") />
        <p class="signIn_description">{title}</p>
        <PasswordSignInForm identifiers=vec![chosen.kind] fixed=chosen />
        {switch_to_code}
        <a class="page_link" href=settings.link(Page::SignIn)>{settings.t("action.nav_back")}</a>
    }
    .into_any()
}
