use crate::components::BrandingHeader;
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use sign_in_core::config::SignInExperience;
use sign_in_core::storage_keys;
use sign_in_core::terms::{self, TermsScreen};

/// The links to the terms of use and privacy policy, where configured, joined by "and".
fn terms_links() -> Option<impl IntoView> {
    let settings = use_settings();
    let links: Vec<_> = [
        (&settings.config.terms_of_use_url, "description.terms_of_use"),
        (&settings.config.privacy_policy_url, "description.privacy_policy"),
    ]
    .into_iter()
    .filter_map(|(url, key)| url.clone().map(|url| (url, settings.t(key))))
    .collect();
    let count = links.len();
    (count > 0).then(|| {
        links
            .into_iter()
            .enumerate()
            .map(|(i, (url, label))| {
                let joiner = (i + 1 < count).then(|| settings.phrases.joiner("description.and"));
                view! {
                    <a class="page_link" href=url target="_blank" rel="noopener noreferrer">{label}</a>
                    {joiner}
                }
            })
            .collect_view()
    })
}

/// The terms' links after a lead-in sentence ("By continuing you accept the …"), where any is configured.
#[component]
pub fn TermsLinks() -> impl IntoView {
    let settings = use_settings();
    terms_links()
        .map(|links| view! { <p class="signIn_terms">{settings.t("description.agree_with_terms")} " " {links}</p> })
}

/// The terms a screen's actions wait for (policy `Manual`, or `ManualRegistrationOnly` on registration).
/// Provided in context by the screen, so every action on it (forms, social and SSO buttons) checks the same box.
#[derive(Clone, Copy)]
pub struct TermsGate {
    accepted: RwSignal<bool>,
    error: RwSignal<Option<String>>,
}

// Acceptance is remembered for the rest of the visit (`storage_keys::TERMS_ACCEPTED`), so a later screen without a
// checkbox (a social callback about to make an account) doesn't ask again.
/// Whether the terms were accepted earlier in this visit.
fn terms_accepted() -> bool {
    session::get(storage_keys::TERMS_ACCEPTED).is_some()
}

/// Whether a screen with no checkbox must ask the terms before going on (`registering`: before an account is
/// made), given what was accepted earlier in the visit.
pub fn terms_question_needed(config: &SignInExperience, registering: bool) -> bool {
    terms::asked_without_form(config, registering, terms_accepted())
}

/// [`TermsQuestion`] under a screen's own content while `asking`; accepting runs `on_accept`, either answer
/// closes it.
#[component]
pub fn PendingTermsQuestion(asking: RwSignal<bool>, on_accept: impl Fn() + 'static) -> impl IntoView {
    let on_accept = StoredValue::new_local(on_accept);
    move || {
        asking.get().then(|| {
            view! {
                <TermsQuestion
                    nested=true
                    on_accept=move || {
                        asking.set(false);
                        on_accept.with_value(|accept| accept())
                    }
                    on_decline=move || asking.set(false)
                />
            }
        })
    }
}

fn remember_acceptance(accepted: bool) {
    session::set(storage_keys::TERMS_ACCEPTED, accepted.then_some("1"));
}

/// The terms as a question of their own (a dialog), for screens with no form to hold the checkbox: the links, then
/// accept (remembered like the checkbox) or decline. On its own (a magic link, a social callback) it is the screen and
/// opens with the brand header like every screen; `nested` in a screen that has its own title, a second-level heading.
#[component]
pub fn TermsQuestion(
    on_accept: impl Fn() + 'static,
    on_decline: impl Fn() + 'static,
    #[prop(optional)] nested: bool,
) -> impl IntoView {
    let settings = use_settings();
    let title = settings.t("error.terms_acceptance_required");
    let heading = if nested {
        view! { <h2 class="termsQuestion_title">{title.clone()}</h2> }.into_any()
    } else {
        view! { <BrandingHeader title=title.clone() /> }.into_any()
    };
    view! {
        <section class="termsQuestion" role="dialog" aria-modal="false" aria-label=title>
            {heading}
            <TermsLinks />
            <div class="termsQuestion_actions">
                <button
                    class="button button_primary"
                    type="button"
                    autofocus
                    on:click=move |_| {
                        remember_acceptance(true);
                        on_accept();
                    }
                >
                    {settings.t("action.agree")}
                </button>
                <button class="button button_secondary" type="button" on:click=move |_| on_decline()>
                    {settings.t("action.cancel")}
                </button>
            </div>
        </section>
    }
}

impl TermsGate {
    /// The gate for `screen`, in context, when the policy asks for acceptance there.
    pub fn provide(screen: TermsScreen) -> Option<Self> {
        let settings = use_settings();
        terms::needs_acceptance(&settings.config, screen).then(|| {
            let gate = Self { accepted: RwSignal::new(terms_accepted()), error: RwSignal::new(None) };
            provide_context(gate);
            gate
        })
    }

    fn set(self, accepted: bool) {
        self.accepted.set(accepted);
        self.error.set(None);
        remember_acceptance(accepted);
    }
}

/// The screen's terms check, taken when a component is created (event handlers run outside the
/// component's context): it lets an action go on when there is no gate or the box is ticked, else it
/// shows the checkbox's error.
pub fn terms_check() -> impl Fn() -> bool + Clone + Send + Sync + 'static {
    let gate = use_context::<TermsGate>();
    let message = use_settings().t("error.terms_acceptance_required");
    move || {
        let Some(gate) = gate else { return true };
        let ok = gate.accepted.get_untracked();
        gate.error.set((!ok).then(|| message.clone()));
        ok
    }
}

/// A link's click handler that stays on the screen (showing the checkbox's error) until the terms are accepted:
/// for the ways out to an identity provider (social buttons, single sign-on).
pub fn terms_click_guard() -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    let terms_allow = terms_check();
    move |ev| {
        if !terms_allow() {
            ev.prevent_default();
        }
    }
}

/// The gate's checkbox beside one sentence: its label's lead-in ("I accept the") and the links (outside the label,
/// axe: no nested interactive controls), which together name the checkbox; the error under the sentence. The plain
/// links when the screen has no gate.
#[component]
pub fn Terms() -> impl IntoView {
    let Some(gate) = use_context::<TermsGate>() else { return view! { <TermsLinks /> }.into_any() };
    let settings = use_settings();
    let (accepted, error) = (gate.accepted, gate.error);
    view! {
        <div class="terms_checkbox signIn_terms" data-invalid=move || error.with(Option::is_some).then_some("true")>
            <input
                id="terms"
                name="terms"
                type="checkbox"
                aria-labelledby="terms-sentence"
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || error.with(Option::is_some).then_some("terms-error")
                prop:checked=move || accepted.get()
                on:change=move |ev| gate.set(event_target_checked(&ev))
            />
            <p class="terms_sentence" id="terms-sentence">
                <label for="terms">{settings.t("description.agree_with_terms_checkbox")}</label>
                " "
                {terms_links()}
            </p>
            {move || error.get().map(|text| view! { <p class="field_error" role="alert" id="terms-error">{text}</p> })}
        </div>
    }
    .into_any()
}
