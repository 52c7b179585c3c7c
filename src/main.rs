//! Entry point: installs the crash screen and mounts the app.

// No `fn main`: std's runtime start-up and clean-up around it (~0.5 KB of wasm) do nothing for a page. The glue's
// `__wbindgen_start` calls `start` instead.
#![no_main]

mod api;
mod app;
mod boot;
mod captcha;
mod components;
mod first_screen_actions;
#[cfg(feature = "gallery")]
mod gallery;
mod json;
mod navigation;
mod notice;
mod one_tap;
mod pages;
mod panic;
mod reactions;
mod screens;
mod sequences;
mod session;
mod settings;
mod sso;
mod submit;
mod theme;
mod webauthn;

// Talc instead of the default dlmalloc: the allocator sits in the first screen's module, where talc (without realloc in
// place) is ~0.5 KB brotli smaller on both engines, with the same form-ready times (end2end/bench.mjs). The page is
// single-threaded (no atomics).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(not(feature = "gallery"))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    panic::install();
    mount(app::App);
}

/// Renders into `<div id="app">`, where Logto's own page renders (tenant CSS and tools target `#app`); the
/// body if a customised `index.html` lost it.
fn mount<V: leptos::prelude::IntoView + 'static>(view: fn() -> V) {
    use wasm_bindgen::JsCast;
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match root {
        Some(root) => leptos::mount::mount_to(root, view).forget(),
        None => leptos::mount::mount_to_body(view),
    }
}

/// The gallery build (`cargo xtask gallery`): `/gallery` is the gallery's index; every other path is the app, whose
/// first render (synchronous) is followed by the gallery's theme and direction switches.
#[cfg(feature = "gallery")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    panic::install();
    if gallery::is_index() {
        mount(gallery::Index);
    } else {
        mount(app::App);
        gallery::apply_switches();
    }
}
