use crate::components::{BrandingHeader, SendCodeButton};
use crate::navigation::Redirect;
use crate::pages::sign_in_passkey;
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use sign_in_core::identifier::{self, FirstFactor};
use sign_in_core::route::Page;

/// `/sign-in/verification-methods`: every way the identifier chosen on `/sign-in` can sign in — its passkey
/// (when the identifier-first passkey step is waiting), its password, a code.
#[component]
pub fn VerificationMethods() -> impl IntoView {
    let settings = use_settings();
    let Some(chosen) = session::remembered_identifier() else {
        return view! { <Redirect path=settings.link(Page::SignIn) /> }.into_any();
    };
    let passkey = sign_in_passkey::remembered().filter(|(_, identifier, _)| *identifier == chosen).map(|_| {
        view! {
            <li>
                <a class="button button_secondary signIn_method" href=settings.link(Page::SignInPasskey)>
                    {settings.t("action.verify_via_passkey")}
                </a>
            </li>
        }
    });
    let factors = identifier::first_factors(&settings.config, chosen.kind).into_iter().map(|factor| match factor {
        FirstFactor::Password => view! {
            <li>
                <a class="button button_secondary signIn_method" href=settings.link(Page::SignInPassword)>
                    {settings.t("action.sign_in_via_password")}
                </a>
            </li>
        }
        .into_any(),
        FirstFactor::VerificationCode => view! { <li><SendCodeButton identifier=chosen.clone() class="button button_secondary signIn_method" /></li> }.into_any(),
    });
    let method = settings.t(identifier::description_key(chosen.kind));
    view! {
        <BrandingHeader title=settings.t("mfa.try_another_method") />
        <p class="signIn_description">
            {settings.phrases.t_with("description.verification_methods_for", &[("method", &method), ("value", &chosen.value)])}
        </p>
        <ul class="signIn_methodList">{passkey} {factors.collect_view()}</ul>
        <a class="page_link" href=settings.link(Page::SignIn)>{settings.t("action.nav_back")}</a>
    }
    .into_any()
}
