//! Boot exactly as Logto's page does (docs/experience-api.md, Boot data): the SSR object when it fits the visit,
//! else the well-known endpoints. Settings or phrases that can't be had fail the boot (the page carries only its own
//! English, not the words of the screens: docs/experience-api.md, "What the page carries itself").

use crate::api;
use crate::first_screen_actions::Running;
use crate::screens::ChunkUnavailable;
use crate::session::Visit;
use crate::settings::Settings;
use leptos::wasm_split::wasm_split;
use sign_in_core::config::{SettingsPart, SignInExperience};
use sign_in_core::failures::ApiFailure;
use sign_in_core::i18n::Phrases;
use sign_in_core::ssr::{self, SsrData};

/// The id of the `<script type="application/json">` block the provider fills in.
const SSR_ELEMENT_ID: &str = "logto-ssr";

fn read_ssr<C: SettingsPart>() -> Option<SsrData<C>> {
    let document = web_sys::window()?.document()?;
    ssr::parse_as(&document.get_element_by_id(SSR_ELEMENT_ID)?.text_content()?, crate::json::parse)
}

/// The SSR data when it was rendered for this very visit, with the sign-in experience decoded as `C`.
pub fn ssr_for_visit<C: SettingsPart>(visit: &Visit) -> Option<SsrData<C>> {
    let ssr = read_ssr()?;
    let usable =
        ssr.settings_match(visit.app_id.as_deref(), visit.organization_id.as_deref()) && visit.ui_locales.is_none();
    usable.then_some(ssr)
}

#[cfg(not(feature = "gallery"))]
/// Settings available without a request: SSR data rendered for this very visit.
pub fn settings_from_ssr(visit: &Visit) -> Option<Settings> {
    let ssr = ssr_for_visit::<SignInExperience>(visit)?;
    Some(Settings::new(
        ssr.sign_in_experience.data,
        Phrases::from_provider(&ssr.phrases.lng, &ssr.phrases.data),
        visit.clone(),
    ))
}

/// Settings from the provider's endpoints, when SSR data is absent or was rendered for another visit. Their code is
/// in the first screen's split group (`first_screen_actions.rs`): only such a visit waits for it.
pub async fn fetch_settings(visit: Visit) -> Result<Settings, ApiFailure> {
    match fetch(visit).await {
        Ok(running) => running.await,
        Err(ChunkUnavailable) => Err(ApiFailure::Network),
    }
}

#[wasm_split(actions, fallible, wasm_split_path = leptos::wasm_split)]
fn fetch(visit: Visit) -> Result<Running<Result<Settings, ApiFailure>>, ChunkUnavailable> {
    Ok(Box::pin(async move {
        let ssr = read_ssr::<SignInExperience>();
        let config_request =
            api::sign_in_experience::<SignInExperience>(visit.app_id.as_deref(), visit.organization_id.as_deref());
        let ssr_phrases = ssr
            .filter(|s| s.phrases_match(visit.ui_locales.as_deref()))
            .map(|s| Phrases::from_provider(&s.phrases.lng, &s.phrases.data));
        let phrases_request = async {
            match ssr_phrases {
                Some(phrases) => Ok(phrases),
                None => api::phrases(visit.ui_locales.as_deref(), &browser_languages()).await,
            }
        };
        let (config, phrases) = futures::future::join(config_request, phrases_request).await;
        Ok(Settings::new(config?, phrases?, visit))
    }))
}

/// `Accept-Language` for the phrases request: the browser's preferred languages.
fn browser_languages() -> String {
    let Some(window) = web_sys::window() else { return "en".into() };
    let languages: Vec<String> = window.navigator().languages().iter().filter_map(|l| l.as_string()).collect();
    if languages.is_empty() {
        "en".into()
    } else {
        languages.join(",")
    }
}

/// The gallery build's settings source: fixtures compiled in (`src/gallery/config.json`, our phrase files), chosen
/// by the gallery's switches; never a request.
#[cfg(feature = "gallery")]
pub fn settings_from_ssr(visit: &Visit) -> Option<Settings> {
    Some(crate::gallery::settings(visit))
}
