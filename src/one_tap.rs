//! Google One Tap on `/sign-in` and `/register` (docs/experience-api.md, Google One Tap): Google's script shows its
//! prompt and posts the credential to `/callback/:connectorId`, which the social callback verifies. The first screen
//! only asks whether the tenant has a Google connector, which One Tap needs; the rest, from reading `googleOneTap` on,
//! is in the `social` split group: a tenant without One Tap loads neither that nor Google's script.

mod prompt;

use crate::screens::ChunkUnavailable;
use crate::settings::Settings;
use leptos::prelude::{Owner, WeakOwner};
use leptos::wasm_split::wasm_split;
use sign_in_core::one_tap::OneTapContext;

/// What the prompt needs to know.
pub struct PromptSetup {
    pub context: OneTapContext,
    /// The screen's owner (its settings; the prompt goes when it is cleaned up).
    pub screen: Option<WeakOwner>,
}

/// Offers One Tap on the screen being drawn, while it shows, when the tenant has it on. A chunk that cannot be
/// fetched means no One Tap this time; the rest of the screen works.
pub fn offer(settings: &Settings, context: OneTapContext) {
    // The gallery loads no outside script.
    if cfg!(feature = "gallery") || !settings.config.has_google_connector() {
        return;
    }
    let screen = Owner::current().map(|owner| owner.downgrade());
    let setup = PromptSetup { context, screen };
    leptos::task::spawn_local(async move { drop(prompt_show(setup).await) });
}

#[wasm_split(social, fallible, wasm_split_path = leptos::wasm_split)]
fn prompt_show(setup: PromptSetup) -> Result<(), ChunkUnavailable> {
    leptos::task::spawn_local(prompt::show(setup));
    Ok(())
}
