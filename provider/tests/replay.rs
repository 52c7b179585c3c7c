//! Replays the captured Logto 1.42 transcripts of password sign-in and of the error cases against the provider,
//! every step of each (see `common::replay`): same requests, same statuses, same error codes, same body shapes.

mod common;

use common::replay::{run, ErrorData, Flow, Hooks, Plain, Replay, Step};
use common::Server;

async fn replay<'s>(server: &'s Server, file: &str) -> Replay<'s> {
    run(server, file, ErrorData::Shape, &mut Plain).await
}

#[tokio::test]
async fn password_sign_in_success() {
    let server = Server::start().await;
    let r = replay(&server, "flow.password-sign-in.success.json").await;
    assert!(r.claims.is_some());
    assert_eq!(r.sent, 6, "oidc/auth, page, PUT, password, identification, submit");
}

#[tokio::test]
async fn password_sign_in_wrong_password_then_retry() {
    let server = Server::start().await;
    let r = replay(&server, "flow.password-sign-in.wrong-password.json").await;
    assert!(r.claims.is_some());
    assert_eq!(r.sent, 8);
}

#[tokio::test]
async fn unknown_user() {
    let server = Server::start().await;
    let r = replay(&server, "flow.unknown-user.json").await;
    assert_eq!(r.sent, 9);
}

#[tokio::test]
async fn interaction_not_found_before_put() {
    let server = Server::start().await;
    let r = replay(&server, "error.interaction-not-found.json").await;
    assert_eq!(r.sent, 10);
}

#[tokio::test]
async fn invalid_input_and_misc() {
    let server = Server::start().await;
    let r = replay(&server, "error.invalid-input-and-misc.json").await;
    assert_eq!(r.sent, 13);
}

#[tokio::test]
async fn no_interaction_cookie() {
    let server = Server::start().await;
    let r = replay(&server, "error.no-interaction-cookie.json").await;
    assert_eq!(r.sent, 9);
}

#[tokio::test]
async fn unknown_interaction_cookie() {
    let server = Server::start().await;
    let r = replay(&server, "error.unknown-interaction-cookie.json").await;
    assert_eq!(r.sent, 2);
}

#[tokio::test]
async fn direct_sign_in_to_an_unknown_connector_then_password() {
    let server = Server::start().await;
    let r = replay(&server, "flow.direct-sign-in.invalid-target.json").await;
    assert!(r.claims.is_some());
    assert_eq!(r.sent, 7, "oidc/auth, direct page, page, PUT, password, identification, submit");
}

/// Skips every step it is asked about.
struct SkipAll;

impl Hooks for SkipAll {
    async fn before(&mut self, _: &mut Replay<'_>, _: &mut Step) -> Flow {
        Flow::Skip
    }
}

#[tokio::test]
#[should_panic(expected = "no request of the capture was sent")]
async fn a_replay_that_sends_nothing_fails() {
    let server = Server::start().await;
    run(&server, "flow.unknown-user.json", ErrorData::Shape, &mut SkipAll).await;
}
