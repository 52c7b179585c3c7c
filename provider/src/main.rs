//! Wires the CLI to the server: load, print what to open, serve.

use reference_provider::{build_state, serve, users, Options};

#[tokio::main]
async fn main() {
    let opts = match Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if let Some(pw) = &opts.hash_password {
        println!("{}", users::hash_password(pw));
        return;
    }
    let listener = match tokio::net::TcpListener::bind((opts.host.as_str(), opts.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {}:{}: {e}", opts.host, opts.port);
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(opts.port);
    // A wildcard bind is reached through loopback; redirects need a host a browser can use.
    let public_host = if opts.host == "0.0.0.0" { "127.0.0.1" } else { opts.host.as_str() };
    let origin = format!("http://{public_host}:{port}");
    let state = match build_state(&opts, origin.clone()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!("reference-provider (Logto 1.42 double) listening on {origin}");
    println!("  demo client: {origin}/demo");
    if let Some(app) = state.catalogue.applications.first() {
        println!("  third-party demo client ({}, asks for consent): {origin}/demo/third-party", app.name);
    }
    if let Some(device) = state.catalogue.device_clients.first() {
        println!("  device flow demo ({}): {origin}/demo/device", device.name);
    }
    println!("  outbox (codes that would have been sent): {origin}/outbox.html");
    println!("  config: {}  dist: {}  csp: {:?}", opts.config.display(), opts.dist.display(), opts.csp);
    println!("  demo users:");
    for u in &state.users().users {
        let id = u.username.as_deref().or(u.primary_email.as_deref()).unwrap_or(&u.id);
        println!("    {id:<8} {}", u.demo_password.as_deref().unwrap_or("(no demo password)"));
    }
    if let Err(e) = serve(listener, state).await {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
