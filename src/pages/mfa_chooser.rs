use crate::components::BrandingHeader;
use crate::components::FormError;
use crate::pages::mfa_shared::{use_mfa_step, SkipButton};
use crate::settings::use_settings;
use leptos::prelude::*;
use sign_in_core::mfa::{FactorChoice, MfaFlow, MfaState};
use sign_in_core::route::Page;

/// `/mfa-verification`: the bound factors to verify with (last used first).
#[component]
pub fn MfaVerification() -> impl IntoView {
    view! { <MfaChooser flow=MfaFlow::Verification /> }
}

/// `/mfa-binding`: the factors that can be bound; "add another factor" wording in suggestion mode.
#[component]
pub fn MfaBinding() -> impl IntoView {
    view! { <MfaChooser flow=MfaFlow::Binding /> }
}

/// The factor list of the MFA step; each entry opens its factor screen, which starts it. In suggestion mode the
/// factors the account already has are listed as added and cannot be chosen. Without a stored step (storage
/// lost) the provider is asked for it again, and the list fills in when it answers.
#[component]
fn MfaChooser(flow: MfaFlow) -> impl IntoView {
    let settings = use_settings();
    let error = RwSignal::new(None::<String>);
    let state = use_mfa_step(flow, None, error);
    let header = move || {
        let (title, description) = state.with(|s| s.chooser_phrases(flow));
        view! {
            <BrandingHeader title=settings.t(title) />
            <p class="signIn_description">{settings.t(description)}</p>
        }
    };
    let factors = move || {
        state.with(MfaState::choices).into_iter().map(|choice| view! { <FactorEntry flow choice /> }).collect_view()
    };
    let loading = move || state.with(MfaState::is_unknown).then_some("true");
    let skip = (flow == MfaFlow::Binding).then(|| view! { <SkipButton state error /> });
    view! {
        {header}
        <ul class="mfa_factorList" aria-busy=loading>{factors}</ul>
        <FormError error />
        {skip}
    }
}

/// One factor: a link to its screen, or (already added) a disabled button saying so. Email/phone factors show
/// the masked address the provider sent instead of the generic description.
#[component]
fn FactorEntry(flow: MfaFlow, choice: FactorChoice) -> impl IntoView {
    let settings = use_settings();
    let FactorChoice { factor, masked, already_added } = choice;
    let (name, about) = factor.phrase_keys();
    let detail = masked.unwrap_or_else(|| settings.t(about));
    if already_added {
        return view! {
            <li>
                <button type="button" class="button button_secondary mfa_factor mfa_factorAdded" disabled data-factor=factor.segment()>
                    <span class="mfa_factorName">{settings.t(name)}</span>
                    <span class="mfa_factorDescription">{detail}</span>
                    <span class="mfa_factorStatus">{settings.t("mfa.already_added")}</span>
                </button>
            </li>
        }
        .into_any();
    }
    view! {
        <li>
            <a class="button button_secondary mfa_factor" href=settings.link(Page::Mfa(flow, Some(factor))) data-factor=factor.segment()>
                <span class="mfa_factorName">{settings.t(name)}</span>
                <span class="mfa_factorDescription">{detail}</span>
            </a>
        </li>
    }
    .into_any()
}
