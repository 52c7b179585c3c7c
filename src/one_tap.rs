//! Google One Tap on `/sign-in` and `/register` (docs/experience-api.md, Google One Tap): Google's script shows its
//! prompt and posts the credential to `/callback/:connectorId`, which the social callback verifies. Everything past
//! "is it on" is in the `social` split group, fetched only when One Tap is on: a tenant without it loads neither that
//! nor Google's script.

mod prompt;

use crate::settings::Settings;
use leptos::prelude::{Owner, WeakOwner};
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use sign_in_core::one_tap::OneTapContext;

/// What the prompt needs to know.
pub struct PromptSetup {
    /// `googleOneTap`, decoded by the prompt's group.
    pub config: serde_json::Value,
    pub language: String,
    pub context: OneTapContext,
    /// The screen's owner: the prompt goes when it is cleaned up.
    pub screen: Option<WeakOwner>,
}

/// Offers One Tap on the screen being drawn, while it shows; nothing while the tenant has it off.
pub fn offer(settings: &Settings, context: OneTapContext) {
    let Some(config) = settings.config.google_one_tap() else { return };
    // The gallery loads no outside script.
    if cfg!(feature = "gallery") {
        return;
    }
    let screen = Owner::current().map(|owner| owner.downgrade());
    let setup = PromptSetup { config: config.clone(), language: settings.phrases.language.clone(), context, screen };
    leptos::task::spawn_local(async move { drop(prompt_show(setup).await) });
}

/// The prompt's chunk could not be fetched: no One Tap this time, the rest of the screen works.
struct Unavailable;

impl From<SplitLoaderError> for Unavailable {
    fn from(_: SplitLoaderError) -> Self {
        Self
    }
}

#[wasm_split(social, fallible, wasm_split_path = leptos::wasm_split)]
fn prompt_show(setup: PromptSetup) -> Result<(), Unavailable> {
    prompt::show(setup);
    Ok(())
}
