//! Google's client script and the `g_id_onload` element it reads (split group `social`). The script is added
//! afresh for each screen that offers One Tap, as it reads the element when it runs, and removed with it.

use super::PromptSetup;
use crate::api;
use crate::session::Visit;
use crate::settings::use_settings;
use js_sys::{Function, Reflect};
use leptos::prelude::{on_cleanup, WeakOwner};
use sign_in_core::one_tap::{GoogleOneTap, OneTapContext, OneTapPart, SCRIPT_META};
use sign_in_core::route::{self, Page};
use std::cell::{Cell, RefCell};
use wasm_bindgen::{JsCast, JsValue};

/// The ids of the element Google's script reads and of the script itself.
const ONLOAD_ID: &str = "g_id_onload";
const SCRIPT_ID: &str = "google-one-tap-script";

thread_local! {
    /// Counts the prompts shown; the one in the page.
    static SHOWN: Cell<(u32, Option<u32>)> = const { Cell::new((0, None)) };
    /// `googleOneTap`, once read.
    static SETTINGS: RefCell<Option<Option<GoogleOneTap>>> = const { RefCell::new(None) };
}

/// The tenant's One Tap settings when it is on: from the boot data the page started with, or, when the page had to
/// ask the provider for its settings, asked again (the first screen's copy leaves `googleOneTap` out). Read once.
async fn one_tap_settings(visit: &Visit) -> Option<GoogleOneTap> {
    if let Some(known) = SETTINGS.with_borrow(Clone::clone) {
        return known;
    }
    let part = match crate::boot::ssr_for_visit::<OneTapPart>(visit) {
        Some(ssr) => Some(ssr.sign_in_experience.data),
        None => {
            api::sign_in_experience::<OneTapPart>(visit.app_id.as_deref(), visit.organization_id.as_deref()).await.ok()
        }
    };
    // A failed request is asked again on the next screen that offers One Tap.
    let one_tap = part.as_ref()?.settings();
    SETTINGS.set(Some(one_tap.clone()));
    one_tap
}

pub async fn show(setup: PromptSetup) {
    let Some(settings) = setup.screen.as_ref().and_then(WeakOwner::upgrade).map(|screen| screen.with(use_settings))
    else {
        return;
    };
    let Some(one_tap) = one_tap_settings(&settings.visit).await else { return };
    let Some(window) = web_sys::window() else { return };
    // The chunk or the settings may arrive after the person moved on (the screen's owner lives on across screens).
    let here = route::resolve(&window.location().pathname().unwrap_or_default());
    let still_there = match setup.context {
        OneTapContext::SignIn => matches!(here, Page::SignIn),
        OneTapContext::SignUp => matches!(here, Page::Register),
    };
    let Some(screen) = setup.screen.and_then(|owner| owner.upgrade()).filter(|_| still_there) else {
        return;
    };
    let Some((document, body)) = window.document().and_then(|d| Some((d.clone(), d.body()?))) else { return };
    remove();
    let origin = window.location().origin().unwrap_or_default();
    let script_override = document
        .query_selector(&format!("meta[name=\"{SCRIPT_META}\"]"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"));
    let added = (|| {
        let onload = document.create_element("div")?;
        onload.set_id(ONLOAD_ID);
        for (name, value) in one_tap.onload_attributes(&origin, setup.context) {
            onload.set_attribute(name, &value)?;
        }
        body.append_child(&onload)?;
        let script: web_sys::HtmlScriptElement = document.create_element("script")?.unchecked_into();
        script.set_id(SCRIPT_ID);
        script.set_async(true);
        script.set_src(&GoogleOneTap::script_url(script_override.as_deref(), &settings.phrases.language));
        body.append_child(&script)
    })();
    if added.is_err() {
        return;
    }
    let (count, _) = SHOWN.get();
    let this = count + 1;
    SHOWN.set((this, Some(this)));
    // Gone with the screen, unless a later screen's prompt replaced it already.
    screen.with(|| {
        on_cleanup(move || {
            if SHOWN.get().1 == Some(this) {
                remove();
                SHOWN.set((this, None));
            }
        })
    });
}

/// Takes the element and the script out, and closes the prompt (`google.accounts.id.cancel()`).
fn remove() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    for id in [ONLOAD_ID, SCRIPT_ID] {
        if let Some(element) = document.get_element_by_id(id) {
            element.remove();
        }
    }
    let id = ["google", "accounts", "id"].into_iter().try_fold(JsValue::from(js_sys::global()), |at, key| {
        Reflect::get(&at, &JsValue::from_str(key)).ok().filter(JsValue::is_object)
    });
    let cancel = id.as_ref().and_then(|id| Reflect::get(id, &JsValue::from_str("cancel")).ok());
    if let (Some(id), Some(cancel)) = (id, cancel.and_then(|f| f.dyn_into::<Function>().ok())) {
        let _ = cancel.call0(&id);
    }
}
