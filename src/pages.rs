//! One module per route.

mod account_suspended;
mod callback;
mod continue_profile;
mod forgot_password;
mod forgot_password_reset;
mod not_found;
mod register;
mod register_password;
mod sign_in;
mod sign_in_password;
pub mod single_sign_on;
mod single_sign_on_connectors;
mod social_callback;
mod unknown_session;
mod verification_code;

pub use account_suspended::AccountSuspended;
pub use callback::Callback;
pub use continue_profile::ContinueProfile;
pub use forgot_password::ForgotPassword;
pub use forgot_password_reset::ForgotPasswordReset;
pub use not_found::NotFound;
pub use register::Register;
pub use register_password::SetPassword;
pub use sign_in::SignIn;
pub use sign_in_password::SignInPassword;
pub use single_sign_on::SingleSignOn;
pub use single_sign_on_connectors::SingleSignOnConnectors;
pub use social_callback::SocialCallback;
pub use unknown_session::UnknownSession;
pub use verification_code::VerificationCode;
