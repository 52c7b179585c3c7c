use crate::components::{
    focus_when_mounted, resend_countdown, terms_question_needed, BrandingHeader, CodeInput, PendingTermsQuestion,
    ResendCode, Resumable, SubmitButton, RESEND_AFTER_SECONDS,
};
use crate::navigation::use_navigate;
use crate::reactions;
use crate::sequences::{self, Held};
use crate::session;
use crate::settings::use_settings;
use crate::submit::{self, Outcome};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::code_entry::{self, Slots, CODE_LENGTH};
use sign_in_core::failures::{self, ResumableFailure};
use sign_in_core::identifier;
use sign_in_core::interaction::{self, CodeFlow, FlowState, SwitchOffer};
use sign_in_core::route::Page;

/// `/:flow/verification-code`: the code sent to the flow's email or phone. Completing the six boxes
/// submits; the flow state in sessionStorage makes the screen survive a reload.
#[component]
pub fn VerificationCode(flow: CodeFlow) -> impl IntoView {
    let settings = use_settings();
    if let Some(state @ FlowState { identifier: Some(_), verification_id: Some(_), .. }) = session::flow() {
        return view! { <CodeEntry flow state /> }.into_any();
    }
    // No stored step (a copied URL, a new tab): ask the provider which code its interaction waits for. Nothing waiting
    // (or the provider says no) is a fresh start on sign-in; a lost answer is asked again from its error page.
    let resumed = RwSignal::new(None::<FlowState>);
    let navigate = use_navigate();
    let resumable = Resumable::new();
    resumable.start(move || {
        let navigate = navigate.clone();
        spawn_local(async move {
            let pending = match settings.api().interaction().await {
                Ok(interaction) => FlowState::pending_code(flow, &interaction),
                Err(failure) => match failures::resumable_failure(&failure, false) {
                    ResumableFailure::Retry(reaction) => {
                        return reactions::apply_reaction(settings, reaction, &navigate, |text| {
                            resumable.interrupt(text)
                        });
                    }
                    _ => None,
                },
            };
            match pending {
                Some(state) => {
                    session::save_flow(&state);
                    resumed.set(Some(state));
                }
                None => navigate(&settings.link(Page::SignIn), Default::default()),
            }
        });
    });
    (move || match resumed.get() {
        Some(state) => view! { <CodeEntry flow state /> }.into_any(),
        None => resumable.view(None),
    })
    .into_any()
}

#[component]
fn CodeEntry(flow: CodeFlow, state: FlowState) -> impl IntoView {
    let settings = use_settings();
    let state = RwSignal::new(state);
    let navigate = use_navigate();
    let slots = RwSignal::new([None; CODE_LENGTH] as Slots);
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let offer = RwSignal::new(None::<(SwitchOffer, String)>);
    let countdown = resend_countdown();
    // A verified code is not checked again when a later call fails: the retry resumes there.
    let held = Held::new();

    // An accepted offer's calls, across attempts: after a lost answer, its Confirm (or Continue) resumes at the failed
    // call with the verified code.
    let switching = Held::new();
    let accepted = StoredValue::new(None::<SwitchOffer>);
    let switch_to = {
        let navigate = navigate.clone();
        move |switch: SwitchOffer| {
            let navigate = navigate.clone();
            let current = state.get_untracked();
            let verified = current.verification_id.unwrap_or_default();
            let value = current.identifier.map(|id| id.value).unwrap_or_default();
            accepted.set_value(Some(switch));
            offer.set(None);
            error.set(None);
            pending.set(true);
            spawn_local(async move {
                let api = settings.api();
                let social = session::social_link();
                let taken = switching
                    .run(async |progress| sequences::take_switch_offer(&api, progress, switch, verified, social).await);
                let outcome = Outcome::of_finish(settings, taken.await);
                let resumable = switching.holds();
                submit::follow(outcome, &navigate, pending, |text, _| {
                    // The question stays while its answer can be resumed.
                    if resumable {
                        offer.set(Some((switch, value)));
                    }
                    error.set(Some(text))
                });
            });
        }
    };
    let verify = {
        let (navigate, switch_to) = (navigate.clone(), switch_to.clone());
        Callback::new(move |code: String| {
            if pending.get_untracked() {
                return;
            }
            if let Some(switch) = accepted.get_value().filter(|_| switching.holds()) {
                return switch_to(switch);
            }
            pending.set(true);
            error.set(None);
            let navigate = navigate.clone();
            let current = state.get_untracked();
            spawn_local(async move {
                let api = settings.api();
                let kind = current.identifier.as_ref().map(|id| id.kind).expect("checked above");
                let finished =
                    held.run(async |progress| sequences::finish_code(&api, progress, flow, &current, code).await);
                let failure = match finished.await {
                    Ok(redirect_to) => Ok(redirect_to),
                    Err(failure) => {
                        let linking = session::social_link().is_some();
                        match interaction::switch_offer(flow, &failure, &settings.config, kind, linking) {
                            Some(switch) => {
                                switching.reset();
                                let value = state.get_untracked().identifier.map(|id| id.value).unwrap_or_default();
                                offer.set(Some((switch, value)));
                                return pending.set(false);
                            }
                            None => Err(failure),
                        }
                    }
                };
                submit::follow(Outcome::of_finish(settings, failure), &navigate, pending, |text, refused| {
                    // Only a refusal empties the boxes: after a lost answer Continue tries again (from the call that
                    // failed, when the code was verified).
                    if refused {
                        slots.set([None; CODE_LENGTH]);
                    }
                    error.set(Some(text));
                });
            });
        })
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match slots.with_untracked(code_entry::complete) {
            Some(code) => verify.run(code),
            None => error.set(Some(settings.t("error.passcode_incomplete"))),
        }
    };
    let sending = RwSignal::new(false);
    let resend = {
        let navigate = navigate.clone();
        move |_| {
            let navigate = navigate.clone();
            let current = state.get_untracked();
            let Some(identifier) = current.identifier.clone() else { return };
            sending.set(true);
            error.set(None);
            spawn_local(async move {
                let outcome = match settings.api().send_code(identifier, current.event).await {
                    Ok(verification_id) => {
                        held.reset();
                        let updated = FlowState { verification_id: Some(verification_id), ..current };
                        session::save_flow(&updated);
                        state.set(updated);
                        countdown.set(RESEND_AFTER_SECONDS);
                        Outcome::Quiet
                    }
                    Err(failure) => Outcome::of_failure(settings, &failure),
                };
                submit::follow(outcome, &navigate, sending, |text, _| error.set(Some(text)));
            });
        }
    };
    let identifier = state.get_untracked().identifier.expect("checked above");
    let description = settings.phrases.t_with(
        "description.enter_passcode",
        &[("address", &settings.t(identifier::description_key(identifier.kind))), ("target", &identifier.value)],
    );
    let digit_labels =
        (1..=CODE_LENGTH).map(|n| settings.phrases.t_with("input.code_digit", &[("n", &n.to_string())])).collect();
    let change = {
        let href = session::identifier_screen().unwrap_or_else(|| settings.link(flow.identifier_page(identifier.kind)));
        let label = settings
            .phrases
            .t_with("action.change", &[("method", &settings.t(identifier::description_key(identifier.kind)))]);
        let value = identifier.value.clone();
        view! {
            <a class="page_link verificationCode_change" href=href on:click=move |_| session::change_identifier(&value)>
                {label}
            </a>
        }
    };
    let password_instead = (flow == CodeFlow::SignIn
        && settings.config.usable_sign_in_methods().any(|m| m.identifier == identifier.kind && m.password))
    .then(|| {
        session::remember_identifier(&identifier);
        view! { <a class="page_link" href=settings.link(Page::SignInPassword)>{settings.t("action.sign_in_via_password")}</a> }
    });
    // Registering from here waits for the terms when the policy asks for them (docs/experience-api.md, Terms policies).
    let asking_terms = RwSignal::new(false);
    let terms_question = {
        let switch_to = switch_to.clone();
        view! { <PendingTermsQuestion asking=asking_terms on_accept=move || switch_to(SwitchOffer::Register) /> }
    };
    let confirm_box = move || {
        offer.get().map(|(switch, value)| {
            let question = switch.question_key();
            let switch_to = switch_to.clone();
            let confirm = NodeRef::<leptos::html::Button>::new();
            focus_when_mounted(confirm);
            view! {
                <div class="confirm_box" role="alertdialog" aria-labelledby="confirm-question">
                    <p id="confirm-question">{settings.phrases.t_with(question, &[("value", &value)])}</p>
                    <button
                        class="button button_primary"
                        type="button"
                        node_ref=confirm
                        on:click=move |_| {
                            if switch == SwitchOffer::Register && terms_question_needed(&settings.config, true) {
                                offer.set(None);
                                asking_terms.set(true);
                            } else {
                                switch_to(switch)
                            }
                        }
                    >
                        {settings.t(switch.confirm_key())}
                    </button>
                    <button
                        class="button button_secondary"
                        type="button"
                        on:click=move |_| {
                            offer.set(None);
                            switching.reset();
                        }
                    >
                        {settings.t("action.cancel")}
                    </button>
                </div>
            }
        })
    };
    view! {
        <BrandingHeader title=settings.t("action.enter_passcode") />
        <p class="signIn_description">{description}</p>
        {change}
        <form class="verificationCode_form" novalidate on:submit=on_submit>
            <CodeInput slots legend=settings.t("input.code") digit_labels error on_complete=verify />
            <SubmitButton label=settings.t("action.continue") pending />
        </form>
        {confirm_box}
        {terms_question}
        <ResendCode countdown sending on_resend=resend />
        {password_instead}
    }
    .into_any()
}
