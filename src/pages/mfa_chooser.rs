use crate::components::BrandingHeader;
use crate::pages::mfa_shared::{FormError, SkipButton};
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use sign_in_core::mfa::MfaFlow;

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

/// The factor list of the stored MFA step; each entry opens its factor screen, which starts it.
#[component]
fn MfaChooser(flow: MfaFlow) -> impl IntoView {
    let settings = use_settings();
    let state = session::mfa();
    if state.available_factors.is_empty() {
        return view! { <Redirect path=settings.href("/sign-in") /> }.into_any();
    }
    let error = RwSignal::new(None::<String>);
    let (title, description) = state.chooser_phrases(flow);
    let factors = state
        .available_factors
        .iter()
        .map(|factor| {
            let (name, about) = factor.phrase_keys();
            view! {
                <li>
                    <a class="button button_secondary mfa_factor" href=settings.href(&flow.path(*factor)) data-factor=factor.segment()>
                        <span class="mfa_factorName">{settings.t(name)}</span>
                        <span class="mfa_factorDescription">{settings.t(about)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let skip = (flow == MfaFlow::Binding).then(|| view! { <SkipButton state=state.clone() error /> });
    view! {
        <BrandingHeader title=settings.t(title) />
        <p class="signIn_description">{settings.t(description)}</p>
        <ul class="mfa_factorList">{factors}</ul>
        <FormError error />
        {skip}
    }
    .into_any()
}
