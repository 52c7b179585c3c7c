//! One module per route.

mod account_suspended;
mod callback;
mod not_found;
mod not_yet_available;
mod sign_in;
mod sign_in_password;
mod social_callback;
mod unknown_session;

pub use account_suspended::AccountSuspended;
pub use callback::Callback;
pub use not_found::NotFound;
pub use not_yet_available::NotYetAvailable;
pub use sign_in::SignIn;
pub use sign_in_password::SignInPassword;
pub use social_callback::SocialCallback;
pub use unknown_session::UnknownSession;
