//! Entry point: only mounts the app.
use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| view! { <p>"Loading"</p> });
}
