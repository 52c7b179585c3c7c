//! Entry point: installs the crash screen and mounts the app.

mod api;
mod app;
mod boot;
mod components;
mod flows;
#[cfg(feature = "gallery")]
mod gallery;
mod notice;
mod pages;
mod panic;
mod reactions;
mod session;
mod settings;
mod step;
mod theme;
mod webauthn;

#[cfg(not(feature = "gallery"))]
fn main() {
    panic::install();
    leptos::mount::mount_to_body(app::App);
}

/// The gallery build (`cargo xtask gallery`): `/gallery` is the gallery's index; every other path is the app, whose
/// first render (synchronous) is followed by the gallery's theme and direction switches.
#[cfg(feature = "gallery")]
fn main() {
    panic::install();
    if gallery::is_index() {
        leptos::mount::mount_to_body(gallery::Index);
    } else {
        leptos::mount::mount_to_body(app::App);
        gallery::apply_switches();
    }
}
