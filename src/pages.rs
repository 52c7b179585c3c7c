//! One module per route.

mod account_suspended;
mod callback;
mod not_found;
mod not_yet_available;
mod sign_in;
mod sign_in_password;
pub mod single_sign_on;
mod single_sign_on_connectors;
mod social_callback;
mod unknown_session;

pub use account_suspended::AccountSuspended;
pub use callback::Callback;
pub use not_found::NotFound;
pub use not_yet_available::NotYetAvailable;
pub use sign_in::SignIn;
pub use sign_in_password::SignInPassword;
pub use single_sign_on::SingleSignOn;
pub use single_sign_on_connectors::SingleSignOnConnectors;
pub use social_callback::SocialCallback;
pub use unknown_session::UnknownSession;
