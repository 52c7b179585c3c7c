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
mod reactions;
mod panic;
mod session;
mod settings;
mod step;
mod theme;
mod webauthn;

fn main() {
    panic::install();
    leptos::mount::mount_to_body(app::App);
}
