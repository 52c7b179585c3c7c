use crate::components::{BrandingHeader, SubmitButton};
use crate::flows;
use crate::pages::mfa_shared::FormError;
use crate::reactions;
use crate::session;
use crate::settings::use_settings;
use crate::step::Step;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use sign_in_core::api::{Identifier, InteractionEvent};
use sign_in_core::identifier::{self, FirstFactor};
use sign_in_core::steps::CodeFlow;

/// Where the request options of an identifier-first passkey sign-in wait for `/sign-in/passkey` (the
/// verification id and the identifier are in the recorded flow): a reload keeps the step working.
const OPTIONS: &str = "sign-in:passkey-options";

/// Keeps the options `sign-in-passkey/authentication` answered, for the next screen.
pub fn remember_options(options: &serde_json::Value) {
    session::set(OPTIONS, serde_json::to_string(options).ok().as_deref());
}

/// The step in progress: verification id, identifier and options, when all three are there.
fn remembered() -> Option<(String, Identifier, serde_json::Value)> {
    let flow = session::flow().filter(|flow| flow.event == InteractionEvent::SignIn)?;
    let options = serde_json::from_str(&session::get(OPTIONS)?).ok()?;
    Some((flow.verification_id?, flow.identifier?, options))
}

/// `/sign-in/passkey`: identifier-first passkey sign-in (contract §6.3). "Verify via passkey" runs the
/// ceremony with the account's options (a user gesture) → `sign-in-passkey/authentication/verify
/// {verificationId}` → identification → submit; a link switches to the password or a code instead.
#[component]
pub fn SignInPasskey() -> impl IntoView {
    let settings = use_settings();
    let Some((verification_id, chosen, options)) = remembered() else {
        return view! { <Redirect path=settings.href("/sign-in") /> }.into_any();
    };
    let step = Step::new();
    let (error, pending) = (step.error, step.pending);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (id, options) = (verification_id.clone(), options.clone());
        step.run(move |api| async move { flows::identifier_passkey_sign_in(&api, id, &options).await });
    };
    let method = settings.t(identifier::description_key(chosen.kind));
    let description =
        settings.phrases.t_with("description.passkey_for", &[("method", &method), ("value", &chosen.value)]);
    view! {
        <BrandingHeader title=settings.t("mfa.webauthn_verify_title") />
        <p class="signIn_description">{description}</p>
        <form class="mfa_form" novalidate on:submit=on_submit>
            <FormError error />
            <SubmitButton label=settings.t("action.verify_via_passkey") pending />
        </form>
        <SwitchMethod chosen />
        <a class="page_link" href=settings.href("/sign-in")>{settings.t("action.nav_back")}</a>
    }
    .into_any()
}

/// The identifier's other first factor: a link to `/sign-in/password`, or a button that sends a code.
#[component]
fn SwitchMethod(chosen: Identifier) -> impl IntoView {
    let settings = use_settings();
    match identifier::first_factor(&settings.config, chosen.kind) {
        Some(FirstFactor::Password) => view! {
            <a class="form_link signIn_switch" href=settings.href("/sign-in/password")>
                {settings.t("action.sign_in_via_password")}
            </a>
        }
        .into_any(),
        Some(_) => {
            let navigate = use_navigate();
            let error = RwSignal::new(None::<String>);
            let pending = RwSignal::new(false);
            let send = {
                let settings = settings.clone();
                move |_| {
                    if pending.get_untracked() {
                        return;
                    }
                    pending.set(true);
                    let (settings, navigate, chosen) = (settings.clone(), navigate.clone(), chosen.clone());
                    spawn_local(async move {
                        let api = settings.api();
                        match flows::send_code(&api, CodeFlow::SignIn, InteractionEvent::SignIn, chosen).await {
                            Ok(_) => navigate(&settings.href(CodeFlow::SignIn.path()), Default::default()),
                            Err(failure) => {
                                reactions::apply(&settings, &failure, &navigate, |text| error.set(Some(text)))
                            }
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
            .into_any()
        }
        None => ().into_any(),
    }
}
