use crate::captcha::CaptchaBox;
use crate::components::{terms_check, IdentifierField, SubmitButton};
use crate::navigation::use_navigate;
use crate::session;
use crate::settings::use_settings;
use crate::submit;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::{IdentifierType, InteractionEvent};
use sign_in_core::identifier;
use sign_in_core::interaction::CodeFlow;

/// An email/phone field that sends a verification code for `flow` and moves to the code screen.
#[component]
pub fn SendCodeForm(
    flow: CodeFlow,
    event: InteractionEvent,
    kinds: Vec<IdentifierType>,
    submit_label: String,
) -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    // What the person already typed on an earlier screen (if it is of a kind this form takes), else `login_hint`.
    let earlier = session::remembered_identifier();
    let value = RwSignal::new(identifier::prefill(earlier.as_ref(), &kinds, settings.visit.login_hint.as_deref()));
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let terms_allow = terms_check();
    let on_submit = {
        let kinds = kinds.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() || !terms_allow() {
                return;
            }
            let identifier = match identifier::parse(&value.get_untracked(), &kinds) {
                Ok(identifier) => identifier,
                Err(problem) => {
                    return error.set(Some(identifier::problem_message(problem, &kinds, &settings.phrases)))
                }
            };
            error.set(None);
            pending.set(true);
            let navigate = navigate.clone();
            spawn_local(async move {
                let outcome =
                    submit::send_code_then_open(settings, flow, event, identifier, sign_in_core::failures::react);
                submit::follow(outcome.await, &navigate, pending, |text, _| error.set(Some(text)));
            });
        }
    };
    view! {
        <form class="sendCode_form" novalidate on:submit=on_submit>
            <IdentifierField kinds value error />
            // Within an interaction (a missing profile field) the code needs no new challenge.
            {(flow != CodeFlow::Continue).then(|| view! { <CaptchaBox /> })}
            <SubmitButton label=submit_label pending />
        </form>
    }
}
