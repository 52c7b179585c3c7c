use crate::components::{BrandingHeader, EmailForm, SendCodeForm};
use crate::navigation::Redirect;
use crate::navigation::{use_navigate, use_query_map};
use crate::reactions;
use crate::sequences::{self, Held};
use crate::session;
use crate::settings::use_settings;
use crate::submit::{self, Outcome};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::{IdentifierType, InteractionEvent};
use sign_in_core::failures::ResumableFailure;
use sign_in_core::identifier;
use sign_in_core::interaction::{self, CodeFlow};
use sign_in_core::route::Page;

/// `/forgot-password` (and `/reset-password`): the email/phone to send a reset code to, narrowed by the
/// landing's `identifier` parameter; with a `one_time_token`, the password-reset magic link instead.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let settings = use_settings();
    let query = use_query_map();
    let wanted = identifier::kinds_from_param(query.with_untracked(|q| q.get("identifier")).as_deref());
    let kinds = identifier::only_wanted(interaction::forgot_password_kinds(&settings.config), &wanted);
    if kinds.is_empty() {
        return view! { <Redirect path=settings.link(Page::SignIn) /> }.into_any();
    }
    let names: Vec<String> = kinds.iter().map(|k| settings.t(identifier::description_key(*k))).collect();
    let description = settings
        .phrases
        .t_with("description.reset_password_description", &[("types", &settings.phrases.list_or(&names))]);
    let header = view! {
        <BrandingHeader title=settings.t("description.reset_password") />
        <p class="signIn_description">{description}</p>
    };
    let (token, login_hint) = query.with_untracked(|q| (q.get("one_time_token"), q.get("login_hint")));
    let form = match token {
        Some(token) if kinds.contains(&IdentifierType::Email) => {
            view! { <ResetLinkForm token login_hint /> }.into_any()
        }
        _ => view! {
            <SendCodeForm
                flow=CodeFlow::ForgotPassword
                event=InteractionEvent::ForgotPassword
                kinds
                submit_label=settings.t("action.continue")
            />
        }
        .into_any(),
    };
    view! {
        {header}
        {form}
        <a class="page_link" href=settings.link(Page::SignIn)>{settings.t("description.back_to_sign_in")}</a>
    }
    .into_any()
}

/// The password-reset magic link: the link's email (its `login_hint`, sent at once) or one the person types,
/// then the new password. The token leaves the address bar at once; a refused token shows the link error, any other
/// failure is said under the field (Continue tries again).
#[component]
fn ResetLinkForm(token: String, login_hint: Option<String>) -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    session::strip_query();
    let email = RwSignal::new(login_hint.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let kinds = vec![IdentifierType::Email];
    // Once the token is verified, a retry goes on from the call that failed: the token is good once.
    let held = Held::new();
    let start = move || {
        if pending.get_untracked() {
            return;
        }
        let value = match identifier::parse(&email.get_untracked(), &kinds) {
            Ok(parsed) => parsed.value,
            Err(problem) => return error.set(Some(identifier::problem_message(problem, &kinds, &settings.phrases))),
        };
        error.set(None);
        pending.set(true);
        let (navigate, token) = (navigate.clone(), token.clone());
        spawn_local(async move {
            let api = settings.api();
            let reset = held.run(async |progress| sequences::one_time_token_reset(&api, progress, value, token).await);
            let outcome = match reset.await {
                Ok(()) => Outcome::Navigate(settings.link(Page::ForgotPasswordReset)),
                Err(ResumableFailure::Refused) => Outcome::Navigate(settings.link(Page::OneTimeTokenError)),
                Err(ResumableFailure::Retry(reaction)) => reactions::outcome(settings, reaction, false),
                Err(ResumableFailure::Refusal(reaction)) => reactions::outcome(settings, reaction, true),
            };
            submit::follow(outcome, &navigate, pending, |text, _| error.set(Some(text)));
        });
    };
    if login_hint.is_some() {
        start();
    }
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        start();
    };
    view! { <EmailForm class="sendCode_form" value=email error pending on_submit /> }
}
