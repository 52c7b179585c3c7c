use crate::components::{BrandingHeader, PasswordSignInForm};
use crate::flows;
use crate::reactions;
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use sign_in_core::api::InteractionEvent;
use sign_in_core::identifier;
use sign_in_core::steps::CodeFlow;

/// `/sign-in/password`: the password for the identifier chosen on `/sign-in`, or a switch to a
/// verification code when the method offers both.
#[component]
pub fn SignInPassword() -> impl IntoView {
    let settings = use_settings();
    let Some(chosen) = session::remembered_identifier() else {
        return view! { <Redirect path=settings.href("/sign-in") /> }.into_any();
    };
    let method = settings.t(identifier::description_key(chosen.kind));
    let title =
        settings.phrases.t_with("description.enter_password_for", &[("method", &method), ("value", &chosen.value)]);
    let offers_code =
        settings.config.usable_sign_in_methods().any(|m| m.identifier == chosen.kind && m.verification_code);
    let switch_to_code = offers_code.then(|| {
        let navigate = use_navigate();
        let error = RwSignal::new(None::<String>);
        let pending = RwSignal::new(false);
        let send = {
            let settings = settings.clone();
            let chosen = chosen.clone();
            move |_| {
                if pending.get_untracked() {
                    return;
                }
                pending.set(true);
                let (settings, navigate, chosen) = (settings.clone(), navigate.clone(), chosen.clone());
                spawn_local(async move {
                    match flows::send_code(&settings.api(), CodeFlow::SignIn, InteractionEvent::SignIn, chosen).await {
                        Ok(_) => navigate(&settings.href(CodeFlow::SignIn.path()), Default::default()),
                        Err(failure) => reactions::apply(&settings, &failure, &navigate, |text| error.set(Some(text))),
                    }
                    pending.set(false);
                });
            }
        };
        view! {
            <button class="form_link signIn_switch" type="button" disabled=move || pending.get() on:click=send>
                {settings.t("action.sign_in_via_passcode")}
            </button>
            {move || error.get().map(|text| view! { <div class="form_error" role="alert">{text}</div> })}
        }
    });
    view! {
        <BrandingHeader title=settings.t("description.enter_password") />
        <p class="signIn_description">{title}</p>
        <PasswordSignInForm identifiers=vec![chosen.kind] fixed=chosen />
        {switch_to_code}
        <a class="page_link" href=settings.href("/sign-in")>{settings.t("action.nav_back")}</a>
    }
    .into_any()
}
