//! A tiny OIDC relying party without JavaScript, so the sign-in page can be tried end to end: `/demo` as Logto's
//! first-party demo app, `/demo/third-party` as the first third-party application of `applications.json` (its
//! sign-ins end on the consent screen).

use crate::interactions;
use crate::oidc::{exchange_code, html_escape, jwt_claims, parse_pairs, pkce_challenge};
use crate::state::{AppState, DEMO_CLIENT_ID};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

const DEMO_COOKIE: &str = "demo_pkce";
/// Auth-request parameters `/demo?…` passes on, so every landing variant can be tried from a URL.
const FORWARDED: &[&str] = &[
    "first_screen",
    "interaction_mode",
    "direct_sign_in",
    "organization_id",
    "login_hint",
    "ui_locales",
    "identifier",
    "one_time_token",
    "google_one_tap_credential",
    "prompt",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/demo", get(|s, h, q| start(s, h, q, Client::FirstParty)))
        .route("/demo/callback", get(|s, h, q| callback(s, h, q, Client::FirstParty)))
        .route("/demo/third-party", get(|s, h, q| start(s, h, q, Client::ThirdParty)))
        .route("/demo/third-party/callback", get(|s, h, q| callback(s, h, q, Client::ThirdParty)))
        .route("/demo/device", get(device_start))
        .route("/demo/device/poll", get(device_poll))
}

/// `GET /demo/device`: plays a TV: asks for a device code and shows what a TV would show (the code, where to
/// enter it), with a link to poll as the device would.
async fn device_start(State(state): State<AppState>) -> Response {
    let Some(client) = state.catalogue.device_clients.first() else {
        return error_page("No device client is configured (provider/config/applications.json).");
    };
    let Some(auth) = crate::device::start(&state, &client.id, "openid profile") else {
        return error_page("The device client could not start a device authorization.");
    };
    let field = |k: &str| html_escape(auth[k].as_str().unwrap_or(""));
    let body = format!(
        "<h1>{name}</h1><p>On your phone or computer, go to <a href=\"{uri}\">{uri}</a> and enter the code</p>\
         <p id=\"user-code\" style=\"font: 2em monospace\">{code}</p><p>or open <a href=\"{complete}\">{complete}</a>.</p>\
         <p><a id=\"poll\" href=\"/demo/device/poll?device_code={device}\">Check whether the device is signed in</a></p>",
        name = html_escape(&client.name),
        uri = field("verification_uri"),
        code = field("user_code"),
        complete = field("verification_uri_complete"),
        device = field("device_code"),
    );
    page(StatusCode::OK, "Device sign-in", &body)
}

/// `GET /demo/device/poll?device_code=…`: one token request as the device makes it, and what it answered.
async fn device_poll(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = parse_pairs(raw.as_deref());
    let Some(client) = state.catalogue.device_clients.first() else {
        return error_page("No device client is configured (provider/config/applications.json).");
    };
    let device_code = q.get("device_code").cloned().unwrap_or_default();
    let form: HashMap<String, String> = [
        ("grant_type", crate::device::GRANT_TYPE.to_owned()),
        ("client_id", client.id.clone()),
        ("device_code", device_code.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let again = format!(
        "<p><a id=\"poll\" href=\"/demo/device/poll?device_code={}\">Check again</a></p>",
        html_escape(&device_code)
    );
    match crate::device::poll(&state, &form) {
        Ok(tokens) => {
            let claims = tokens["id_token"].as_str().and_then(jwt_claims).unwrap_or_default();
            let who = claims["username"].as_str().or(claims["sub"].as_str()).unwrap_or("");
            let body = format!(
                "<h1>Device signed in</h1><p>The device is signed in as <strong>{}</strong>.</p><pre>{}</pre>",
                html_escape(who),
                html_escape(&serde_json::to_string_pretty(&claims).unwrap_or_default())
            );
            page(StatusCode::OK, "Device signed in", &body)
        }
        Err(e) => {
            let body = format!(
                "<h1>Not yet</h1><p>The provider answered <code id=\"poll-error\">{}</code>: {}</p>{again}",
                e.error,
                html_escape(&e.description)
            );
            page(StatusCode::OK, "Device sign-in", &body)
        }
    }
}

/// Which application the demo plays.
#[derive(Clone, Copy)]
enum Client {
    FirstParty,
    ThirdParty,
}

/// What one demo client sends: client id, callback path, scope and resource.
struct Request {
    client_id: String,
    callback: &'static str,
    scope: String,
    resource: Option<String>,
}

impl Client {
    fn request(self, state: &AppState) -> Option<Request> {
        match self {
            Client::FirstParty => Some(Request {
                client_id: DEMO_CLIENT_ID.into(),
                callback: "/demo/callback",
                scope: "openid profile".into(),
                resource: None,
            }),
            Client::ThirdParty => {
                let app = state.catalogue.applications.first()?;
                let demo = app.demo.clone();
                Some(Request {
                    client_id: app.id.clone(),
                    callback: "/demo/third-party/callback",
                    scope: demo.as_ref().map_or_else(|| "openid profile".into(), |d| d.scope.clone()),
                    resource: demo.and_then(|d| d.resource),
                })
            }
        }
    }
}

fn redirect(status: StatusCode, location: &str, cookie: Option<String>) -> Response {
    let mut res = status.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    if let Some(c) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        res.headers_mut().insert(header::SET_COOKIE, c);
    }
    res
}

/// `GET /demo`: new state + PKCE verifier (in an HttpOnly cookie), then off to `/oidc/auth`.
async fn start(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery, client: Client) -> Response {
    let Some(request) = client.request(&state) else {
        return error_page("No third-party application is configured (provider/config/applications.json).");
    };
    // Cookies are per host: on another host name (localhost vs 127.0.0.1) the callback would not see ours.
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let origin_host = state.origin.split("://").nth(1).unwrap_or("");
    if !host.is_empty() && host != origin_host {
        let path = request.callback.trim_end_matches("/callback");
        let again = match &raw {
            Some(q) => format!("{}{path}?{q}", state.origin),
            None => format!("{}{path}", state.origin),
        };
        return redirect(StatusCode::FOUND, &again, None);
    }
    let client_state = crate::random::token43();
    let verifier = crate::random::token43();
    let extra = parse_pairs(raw.as_deref());
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("client_id", &request.client_id)
        .append_pair("redirect_uri", &format!("{}{}", state.origin, request.callback))
        .append_pair("response_type", "code")
        .append_pair("scope", &request.scope)
        .append_pair("state", &client_state)
        .append_pair("code_challenge", &pkce_challenge(&verifier))
        .append_pair("code_challenge_method", "S256");
    if let Some(resource) = &request.resource {
        q.append_pair("resource", resource);
    }
    for key in FORWARDED {
        if let Some(v) = extra.get(*key) {
            q.append_pair(key, v);
        }
    }
    let cookie = interactions::set_cookie(DEMO_COOKIE, &format!("{client_state}.{verifier}"), "/demo", None, true);
    redirect(StatusCode::FOUND, &format!("{}/oidc/auth?{}", state.origin, q.finish()), Some(cookie))
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{t}</title></head><body><main>{body}<p><a href=\"/demo\">Sign in again</a></p></main></body></html>",
        t = html_escape(title)
    );
    (status, Html(html)).into_response()
}

fn error_page(detail: &str) -> Response {
    page(StatusCode::BAD_REQUEST, "Sign-in failed", &format!("<h1>Sign-in failed</h1><p>{}</p>", html_escape(detail)))
}

/// `GET /demo/callback?code&state`: checks the state, redeems the code in-process, shows who signed in.
async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    client: Client,
) -> Response {
    let Some(request) = client.request(&state) else {
        return error_page("No third-party application is configured (provider/config/applications.json).");
    };
    let q = parse_pairs(raw.as_deref());
    if let Some(error) = q.get("error") {
        let description = q.get("error_description").map(String::as_str).unwrap_or("");
        return error_page(&format!("The provider answered {error}: {description}"));
    }
    let Some((expected_state, verifier)) = interactions::cookie(&headers, DEMO_COOKIE)
        .and_then(|c| c.split_once('.').map(|(s, v)| (s.to_owned(), v.to_owned())))
    else {
        return error_page("This browser did not start a demo sign-in (the demo cookie is missing).");
    };
    if q.get("state") != Some(&expected_state) {
        return error_page("The state parameter does not match the one this browser sent.");
    }
    let form: HashMap<String, String> = [
        ("grant_type", "authorization_code".to_owned()),
        ("client_id", request.client_id.clone()),
        ("code", q.get("code").cloned().unwrap_or_default()),
        ("code_verifier", verifier),
        ("redirect_uri", format!("{}{}", state.origin, request.callback)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let tokens = match exchange_code(&state, &form) {
        Ok(t) => t,
        Err(e) => return error_page(&format!("The code exchange failed ({}): {}", e.error, e.description)),
    };
    let claims = tokens["id_token"].as_str().and_then(jwt_claims).unwrap_or_default();
    let name = claims["name"].as_str().or(claims["username"].as_str()).unwrap_or("(no name)");
    let username = claims["username"].as_str().unwrap_or(claims["sub"].as_str().unwrap_or(""));
    let pretty = serde_json::to_string_pretty(&claims).unwrap_or_default();
    let scope = tokens["scope"].as_str().unwrap_or("");
    let body = format!(
        "<h1>Signed in</h1><p>Signed in as <strong>{}</strong> (<code>{}</code>) to <code>{}</code></p>\
         <h2>Granted scopes</h2><p id=\"granted-scope\">{}</p><h2>ID token claims</h2><pre>{}</pre>",
        html_escape(name),
        html_escape(username),
        html_escape(&request.client_id),
        html_escape(scope),
        html_escape(&pretty)
    );
    let mut res = page(StatusCode::OK, "Signed in", &body);
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&interactions::clear_cookie(DEMO_COOKIE, "/demo")).expect("ascii cookie"),
    );
    res
}
