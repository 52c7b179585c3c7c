//! A panic never leaves a blank page: the hook replaces the body with a readable message.

use sign_in_core::i18n::Phrases;
use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
        show_crash_screen();
    }));
}

/// Drawn with plain DOM calls: the Leptos runtime may be the thing that failed.
fn show_crash_screen() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    let phrases = Phrases::built_in();
    let element = |tag: &str, class: &str, text: &str| {
        let el = document.create_element(tag).ok()?;
        el.set_class_name(class);
        el.set_text_content(Some(text));
        Some(el)
    };
    let (Some(main), Some(title), Some(description)) = (
        element("main", "logto_main-content layout_main", ""),
        element("h1", "errorPage_title", &phrases.t("error.something_went_wrong")),
        element("p", "errorPage_description", &phrases.t("error.crashed")),
    ) else {
        return;
    };
    main.set_attribute("role", "alert").ok();
    let container = element("div", "errorPage_container", "");
    let page = element("div", "logto_page-container layout_container", "");
    if let (Some(container), Some(page)) = (container, page) {
        container.append_child(&title).ok();
        container.append_child(&description).ok();
        main.append_child(&container).ok();
        page.append_child(&main).ok();
        body.set_inner_html("");
        body.append_child(page.unchecked_ref()).ok();
    }
}
