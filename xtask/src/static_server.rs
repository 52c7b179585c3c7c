//! `cargo xtask gallery --serve`: a tiny static server for `dist-gallery/` (the gallery needs no provider): files as
//! they are, any other path answered with `index.html` (SPA fallback), the reference provider's strict CSP on every
//! answer (with the hash of the page's inline script, and the hint that tells the loader WebAssembly is allowed).
//! GET and HEAD only; one thread per connection, `Connection: close`. For local use and the browser suite, not for
//! production.

use anyhow::{Context, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// What the loader reads to pick the WebAssembly engine (`src/js/loader.js`), and the end of `<head>` it goes before.
const ENGINE_HINT: &str = "<meta name=\"sign-in-engine\" content=\"wasm\"></head>";

/// The reference provider's `--csp strict` policy (provider/src/csp.rs), with the inline script's hash after `'self'`.
fn csp(dir: &Path) -> String {
    let hashes = std::fs::read_to_string(dir.join(crate::site::INLINE_SCRIPT_HASHES)).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' {} 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: https:; connect-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'; \
         frame-ancestors 'self'",
        hashes.trim()
    )
}

pub fn serve(dir: &Path, host: &str, port: u16) -> Result<()> {
    let listener = TcpListener::bind((host, port)).with_context(|| format!("binding {host}:{port}"))?;
    let dir = dir.to_path_buf();
    for stream in listener.incoming().flatten() {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let _ = answer(&dir, stream);
        });
    }
    Ok(())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The file a URL path names inside `dir`, if it is one (no `..`, no directories).
fn file_for(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let relative = Path::new(url_path.trim_start_matches('/'));
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let path = dir.join(relative);
    path.is_file().then_some(path)
}

fn answer(dir: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers (no request bodies for GET/HEAD).
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return stream.write_all(
            b"HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }
    let url_path = target.split(['?', '#']).next().unwrap_or("/");
    let (status, path) = match file_for(dir, url_path) {
        Some(path) => ("200 OK", path),
        // Assets that don't exist are 404s; every other path is the app's (SPA fallback).
        None if url_path.starts_with("/assets/") => {
            return stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
        None => ("200 OK", dir.join("index.html")),
    };
    let mut body = std::fs::read(&path)?;
    // Its CSP allows WebAssembly, so it says so to the loader, as the reference provider does.
    if path.file_name().is_some_and(|n| n == "index.html") {
        body = String::from_utf8_lossy(&body).replacen("</head>", ENGINE_HINT, 1).into_bytes();
    }
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nContent-Security-Policy: {}\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n\r\n",
        content_type(&path),
        body.len(),
        csp(dir)
    );
    stream.write_all(head.as_bytes())?;
    if method == "GET" {
        stream.write_all(&body)?;
    }
    stream.flush()
}
