//! What every screen reads: the sign-in experience, the phrases and the visit. Fixed after boot.

use crate::api::ExperienceApi;
use crate::session::{self, Visit};
use leptos::prelude::*;
use sign_in_core::config::SignInExperience;
use sign_in_core::i18n::Phrases;

use sign_in_core::landing;
use sign_in_core::route::Page;
use sign_in_core::storage_keys;

#[derive(Debug, Clone)]
pub struct Settings {
    pub config: SignInExperience,
    pub phrases: Phrases,
    pub visit: Visit,
}

impl Settings {
    /// The visit's settings, with every configured URL the page cannot safely write into a link or an image
    /// dropped (`javascript:`, `data:`…; see `SignInExperience::drop_unsafe_urls`). A development build says which.
    pub fn new(mut config: SignInExperience, phrases: Phrases, visit: Visit) -> Self {
        let dropped = config.drop_unsafe_urls();
        if cfg!(debug_assertions) && !dropped.is_empty() {
            let text =
                format!("sign-in page: unsafe URLs in the sign-in experience were dropped: {}", dropped.join(", "));
            web_sys::console::warn_1(&text.into());
        }
        Self { config, phrases, visit }
    }

    pub fn t(&self, key: &str) -> String {
        self.phrases.t(key)
    }

    /// The visit's app: from the landing URL, else sessionStorage, which the social callback may have
    /// restored from the fallback bundle after boot (in-app browsers that lose sessionStorage).
    pub fn app_id(&self) -> Option<String> {
        self.visit.app_id.clone().or_else(|| session::get(storage_keys::APP_ID))
    }

    /// The Experience API client for this visit (its app and language).
    pub fn api(&self) -> ExperienceApi {
        ExperienceApi { app_id: self.app_id(), language: self.phrases.language.clone() }
    }

    /// The in-app href of `page` (keeps `app_id`).
    pub fn link(&self, page: Page) -> String {
        self.href(&page.path())
    }

    /// An in-app href that keeps `app_id`.
    pub fn href(&self, path: &str) -> String {
        landing::href(path, self.app_id().as_deref())
    }
}

impl Settings {
    /// The handle every screen reads, made once at boot. The settings are fixed for the page's lifetime, so they are
    /// leaked rather than shared by count: a `&'static` is `Copy` and moves into any number of closures and tasks.
    /// (The gallery boots anew when its switches change, leaking each set: a developer tool.)
    pub fn leak(self) -> &'static Self {
        Box::leak(Box::new(self))
    }
}

pub fn use_settings() -> &'static Settings {
    expect_context::<&'static Settings>()
}
