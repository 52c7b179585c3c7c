//! Logto's sentinel (`sentinelPolicy {maxAttempts, lockoutDuration}`): failed checks per target within the
//! lockout window; the `maxAttempts`-th failure locks the target for `lockoutDuration` minutes, and a locked target
//! answers 400 `session.verification_blocked_too_many_attempts` whatever was entered. A success clears the count.
//!
//! Targets are strings: `password:<user id>` (or `password:<type>:<value>` for an identifier without an account,
//! so unknown accounts lock like known ones), `totp:<user id>`, `backup-code:<user id>`.
//!
//! Each check first reserves its attempt under the store lock ([`begin`]) and only then runs (argon2 is slow and
//! runs without the lock), so parallel requests cannot run more checks than the target has attempts left.

use crate::errors::ApiError;
use crate::state::AppState;

/// A reserved attempt. Settle it with [`Attempt::failed`] / [`Attempt::succeeded`] / [`Attempt::settle`]; dropped
/// unsettled (the request ended for another reason), it gives the reservation back without counting.
#[must_use]
pub struct Attempt {
    state: AppState,
    key: String,
    settled: bool,
}

/// Reserves an attempt on `key`, or answers the lockout when the target is locked or every remaining attempt is
/// already taken by a check in progress.
pub fn begin(state: &AppState, key: String) -> Result<Attempt, ApiError> {
    let policy = state.sie.sentinel();
    let now = state.now();
    let mut store = state.store();
    let a = store.attempts.entry(key.clone()).or_default();
    if a.locked_until.is_some_and(|t| t > now) {
        return Err(ApiError::too_many_attempts());
    }
    a.locked_until = None;
    a.failures.retain(|t| now.saturating_duration_since(*t) < policy.lockout);
    if a.failures.len() + a.in_flight >= policy.max_attempts {
        return Err(ApiError::too_many_attempts());
    }
    a.in_flight += 1;
    Ok(Attempt { state: state.clone(), key, settled: false })
}

impl Attempt {
    pub fn failed(mut self) {
        self.finish(Some(false));
    }

    pub fn succeeded(mut self) {
        self.finish(Some(true));
    }

    /// Settles by a handler's answer: `Ok` succeeded, the check's own refusal (`failure_code`) failed, any other
    /// error (unknown verification, not identified…) is not counted.
    pub fn settle<T>(mut self, result: &Result<T, ApiError>, failure_code: &str) {
        let outcome = match result {
            Ok(_) => Some(true),
            Err(e) if e.body.code == failure_code => Some(false),
            Err(_) => None,
        };
        self.finish(outcome);
    }

    fn finish(&mut self, outcome: Option<bool>) {
        if std::mem::replace(&mut self.settled, true) {
            return;
        }
        let policy = self.state.sie.sentinel();
        let now = self.state.now();
        let mut store = self.state.store();
        // Gone after `POST /admin/reset`.
        let Some(a) = store.attempts.get_mut(&self.key) else { return };
        a.in_flight = a.in_flight.saturating_sub(1);
        match outcome {
            Some(false) => {
                a.failures.push(now);
                if a.failures.len() >= policy.max_attempts {
                    a.locked_until = Some(now + policy.lockout);
                    a.failures.clear();
                }
            }
            Some(true) => a.failures.clear(),
            None => {}
        }
        if a.failures.is_empty() && a.in_flight == 0 && a.locked_until.is_none() {
            store.attempts.remove(&self.key);
        }
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        self.finish(None);
    }
}
