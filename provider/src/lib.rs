//! `reference-provider`: an in-memory double of Logto 1.42 (OIDC + Experience API + page serving),
//! faithful to the captured traffic in `testdata/logto-1.42/`, for the demo and the tests.

pub mod applications;
pub mod captcha;
pub mod cli;
pub mod codes;
pub mod config;
pub mod consent;
pub mod csp;
pub mod demo_client;
pub mod device;
pub mod errors;
pub mod experience;
pub mod i18n;
pub mod input_guard;
pub mod interactions;
pub mod landing;
pub mod local_only;
pub mod messages;
pub mod mfa;
pub mod oidc;
pub mod one_tap;
pub mod random;
pub mod sentinel;
pub mod social;
pub mod ssr;
pub mod state;
pub mod static_files;
pub mod totp;
pub mod users;
pub mod webauthn;
pub mod well_known;

use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

pub use cli::Options;
pub use state::{AppState, Shared};

/// Loads config, users and phrases for a server that will be reachable at `origin`.
pub fn build_state(opts: &Options, origin: String) -> Result<AppState, String> {
    let sie = config::SieConfig::load(&opts.config, &opts.overrides)?;
    let users = users::Users::load(&opts.users)?;
    let phrases = i18n::Phrases::new(opts.phrases.clone());
    users::stand_in_hash();
    let mut shared = Shared::new(origin, sie, users, phrases, opts.dist.clone(), opts.csp);
    shared.catalogue = applications::Catalogue::load(&opts.applications)?;
    Ok(Arc::new(shared))
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(experience::routes())
        .merge(captcha::routes())
        .merge(one_tap::routes())
        .merge(codes::routes())
        .merge(social::routes())
        .merge(mfa::routes())
        .merge(well_known::routes())
        .merge(demo_client::routes())
        .merge(consent::routes())
        .merge(device::routes())
        .route("/oidc/auth", get(oidc::authorize))
        .route("/oidc/auth/{uid}", get(oidc::resume))
        .route("/oidc/token", axum::routing::post(oidc::token))
        .fallback(static_files::serve)
        .layer(axum::middleware::from_fn(input_guard::json_only))
        // Outside `json_only`, so its refusals are in the request's language too.
        .layer(axum::middleware::from_fn(messages::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), csp::layer))
        .with_state(state)
}

/// Serves on an already bound listener until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>()).await
}
