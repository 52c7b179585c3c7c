//! Applies the visit's language, direction, theme and brand colour to the document.

use crate::settings::Settings;

pub fn apply(settings: &Settings) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", &settings.phrases.language);
        let _ = root.set_attribute("dir", if settings.phrases.is_rtl() { "rtl" } else { "ltr" });
    }
    if let Some(root) = document.document_element().and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
        let _ = root.style().set_property("--color-brand-default", &settings.config.color.primary_color);
    }
    document.set_title(&settings.t("description.sign_in_to_your_account"));
}
