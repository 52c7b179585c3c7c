//! The tenant's captcha (docs/experience-api.md, Captcha): the box on the forms that start an interaction and the
//! token `PUT /api/experience` carries. The widget code is a split group of its own (`captcha`), fetched only when
//! the policy is on, and the vendor's script only then: a tenant without a captcha loads neither.

mod widget;

use crate::screens::ChunkUnavailable;
use crate::settings::{use_settings, Settings};
use crate::theme::use_theme;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::wasm_split::wasm_split;
use sign_in_core::captcha::{is_checkbox, CaptchaProblem, SCRIPT_META};
use sign_in_core::failures::ApiFailure;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;

/// What the widget needs to know.
#[derive(Debug, Clone)]
pub struct WidgetSetup {
    /// `captchaConfig`, decoded by the widget's group.
    pub config: serde_json::Value,
    /// The page's configured script URL, if any.
    pub script_override: Option<String>,
    pub language: String,
    pub dark: bool,
}

thread_local! {
    /// The visit's captcha, set once the settings are known.
    static SETUP: RefCell<Option<WidgetSetup>> = const { RefCell::new(None) };
}

/// Reads the visit's captcha (none while the policy is off). The script URL comes from the page's configuration
/// (`<meta name="sign-in-captcha-script">`), else the vendor's.
pub fn init(settings: &Settings) {
    let setup = settings.config.captcha().map(|config| {
        let script_override = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&format!("meta[name=\"{SCRIPT_META}\"]")).ok().flatten())
            .and_then(|meta| meta.get_attribute("content"));
        WidgetSetup {
            config: config.clone(),
            script_override,
            language: settings.phrases.language.clone(),
            dark: false,
        }
    });
    SETUP.with(|s| *s.borrow_mut() = setup);
}

fn setup() -> Option<WidgetSetup> {
    SETUP.with(|s| s.borrow().clone())
}

/// The box of a form that starts an interaction: the ticked box (checkbox mode), labelled, in the page's language
/// and theme, or the spot where an invisible challenge may ask something. Nothing while the policy is off.
#[component]
pub fn CaptchaBox() -> impl IntoView {
    let Some(mut setup) = setup() else { return ().into_any() };
    let label = use_settings().t("description.captcha");
    setup.dark = use_theme().is_some_and(|theme| theme.dark.get_untracked());
    let checkbox = is_checkbox(&setup.config);
    let container = NodeRef::<Div>::new();
    // The widget follows its container: a new box replaces the old widget, and a box no longer in the page is
    // no widget (the chunk checks), so nothing needs removing when the screen goes.
    Effect::new(move |_| {
        // The gallery shows the box's frame only: it loads no vendor script.
        if cfg!(feature = "gallery") {
            return;
        }
        if let Some(div) = container.get() {
            let setup = setup.clone();
            leptos::task::spawn_local(async move { drop(widget_show(setup, div.into()).await) });
        }
    });
    if checkbox {
        view! {
            <div class="captcha" role="group" aria-labelledby="captcha-label">
                <span class="captcha_label" id="captcha-label">{label}</span>
                <div class="captcha_widget" node_ref=container></div>
            </div>
        }
        .into_any()
    } else {
        view! { <div class="captcha captcha-invisible" node_ref=container></div> }.into_any()
    }
}

/// The token for `PUT /api/experience`: none while the policy is off; the challenge's (invisible), or the ticked
/// box's, which is then reset so that the next attempt gets a fresh one (a token is good once).
pub async fn token() -> Result<Option<String>, ApiFailure> {
    let Some(setup) = setup() else { return Ok(None) };
    match widget_token(setup).await {
        Ok(challenge) => challenge.await.map(Some).map_err(ApiFailure::Captcha),
        Err(ChunkUnavailable) => Err(ApiFailure::Captcha(CaptchaProblem::Failed)),
    }
}

type Challenge = Pin<Box<dyn Future<Output = Result<String, CaptchaProblem>>>>;

#[wasm_split(captcha, fallible, wasm_split_path = leptos::wasm_split)]
fn widget_show(setup: WidgetSetup, container: web_sys::Element) -> Result<(), ChunkUnavailable> {
    widget::show(setup, container);
    Ok(())
}

#[wasm_split(captcha, fallible, wasm_split_path = leptos::wasm_split)]
fn widget_token(setup: WidgetSetup) -> Result<Challenge, ChunkUnavailable> {
    Ok(Box::pin(widget::token(setup)))
}
