//! `cargo xtask <command>`: build, package, serve, test, bench. See `cargo xtask help`.

mod cache;
mod compress;
mod import_names;
mod js_engine;
mod package;
mod pipeline;
mod site;
mod split;
mod static_server;
mod tools;
mod wasm;

use anyhow::{bail, Context, Result};
use std::process::{Command, ExitCode};

const HELP: &str = "\
cargo xtask <command>

  build     build the app and write dist/ (wasm + wasm2js engines, loader, index.html, css, precompressed copies)
  package   build, then write dist.zip for Logto Cloud \"Bring your UI\" (checks its limits)
  serve [--config default|rich|PATH] [--csp strict|logto|none] [--port N] [--host H]
            build, then run the reference provider on dist/
  gallery [--serve] [--no-build] [--port N] [--host H]
            build the designers' gallery (--features gallery: fixtures, canned API, /gallery) into dist-gallery/;
            --serve then serves it (static files, SPA fallback, strict CSP; default 127.0.0.1:8080)
  test      cargo fmt --check and clippy -D warnings, build (failing above xtask/size-budget.json), the gallery,
            cargo test (workspace default members), then the Playwright suite
  bench     build, then node end2end/bench.mjs, end2end/bench-direct.mjs and end2end/bench-next.mjs
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let root = tools::repo_root();
    let (cmd, rest) = args.split_first().map(|(c, r)| (c.as_str(), r)).unwrap_or(("help", &[]));
    match cmd {
        "build" => {
            no_args(rest)?;
            pipeline::build(&root)?;
        }
        "package" => {
            no_args(rest)?;
            pipeline::build(&root)?;
            let zip = root.join("dist.zip");
            let (files, size) = package::package(&root.join("dist"), &zip)?;
            println!(
                "dist.zip: {files} files, {size} bytes (limits: {} files, {} bytes)",
                package::MAX_FILES,
                package::MAX_ZIP_BYTES
            );
        }
        "serve" => serve(&root, rest)?,
        "gallery" => gallery(&root, rest)?,
        "test" => {
            no_args(rest)?;
            lint(&root)?;
            let built = pipeline::build(&root)?;
            pipeline::check_budget(&root, &built)?;
            // The browser suite's `gallery` project screenshots dist-gallery/.
            pipeline::build_flavor(&root, &pipeline::GALLERY)?;
            tools::run(tools::cargo().current_dir(&root).arg("test"))?;
            let config = root.join("end2end/playwright.config.mjs");
            if config.exists() {
                tools::run(Command::new("npx").current_dir(&root).args([
                    "playwright",
                    "test",
                    "--config",
                    "end2end/playwright.config.mjs",
                ]))?;
            } else {
                println!("xtask: end2end/playwright.config.mjs does not exist yet; skipping the browser tests");
            }
        }
        "bench" => {
            pipeline::build(&root)?;
            // First screen (bytes, form ready, FCP) per engine, then direct sign-in against its floor.
            for script in ["end2end/bench.mjs", "end2end/bench-direct.mjs", "end2end/bench-next.mjs"] {
                tools::run(Command::new("node").current_dir(&root).arg(script).args(rest))?;
            }
        }
        "help" | "-h" | "--help" => print!("{HELP}"),
        other => bail!("unknown command `{other}`\n\n{HELP}"),
    }
    Ok(())
}

/// Formatting and clippy (warnings are errors): the app for the browser, with and without the gallery, and the
/// native crates with their tests.
fn lint(root: &std::path::Path) -> Result<()> {
    tools::run(tools::cargo().current_dir(root).args(["fmt", "--all", "--", "--check"]))?;
    let app = ["clippy", "-p", "sign-in-page", "--target", "wasm32-unknown-unknown"];
    for features in [&[][..], &["--features", "gallery"][..]] {
        tools::run(tools::cargo().current_dir(root).args(app).args(features).args(["--", "-D", "warnings"]))?;
    }
    let native = ["clippy", "-p", "sign-in-core", "-p", "reference-provider", "-p", "xtask", "--all-targets"];
    tools::run(tools::cargo().current_dir(root).args(native).args(["--", "-D", "warnings"]))
}

fn no_args(rest: &[String]) -> Result<()> {
    if let Some(a) = rest.first() {
        bail!("unexpected argument `{a}`\n\n{HELP}");
    }
    Ok(())
}

fn serve(root: &std::path::Path, rest: &[String]) -> Result<()> {
    let mut config = "default".to_string();
    let mut passthrough: Vec<String> = Vec::new();
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--config" => config = value.clone(),
            "--csp" => {
                if !["strict", "logto", "none"].contains(&value.as_str()) {
                    bail!("--csp must be strict, logto or none");
                }
                passthrough.extend([flag.clone(), value.clone()]);
            }
            "--port" => {
                value.parse::<u16>().with_context(|| format!("bad port {value}"))?;
                passthrough.extend([flag.clone(), value.clone()]);
            }
            "--host" => passthrough.extend([flag.clone(), value.clone()]),
            _ => bail!("unknown serve option `{flag}`\n\n{HELP}"),
        }
    }
    let config = if config.contains('/') || config.ends_with(".json") {
        config
    } else {
        format!("provider/config/{config}.json")
    };
    pipeline::build(root)?;
    tools::run(
        tools::cargo()
            .current_dir(root)
            .args(["run", "-p", "reference-provider", "--", "--dist", "dist", "--config", &config])
            .args(&passthrough),
    )
}

/// `cargo xtask gallery [--serve] [--no-build] [--port N] [--host H]`.
fn gallery(root: &std::path::Path, rest: &[String]) -> Result<()> {
    let (mut serve, mut build) = (false, true);
    let mut port: u16 = 8080;
    let mut host = "127.0.0.1".to_string();
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--serve" => serve = true,
            "--no-build" => build = false,
            "--port" | "--host" => {
                let value = it.next().with_context(|| format!("{flag} needs a value"))?;
                if flag == "--port" {
                    port = value.parse().with_context(|| format!("bad port {value}"))?;
                } else {
                    host = value.clone();
                }
            }
            _ => bail!("unknown gallery option `{flag}`\n\n{HELP}"),
        }
    }
    let dir = root.join(pipeline::GALLERY.dist);
    if build {
        pipeline::build_flavor(root, &pipeline::GALLERY)?;
    } else if !dir.join("index.html").exists() {
        bail!("dist-gallery/index.html is missing: run `cargo xtask gallery` first");
    }
    let url = format!("http://{host}:{port}/gallery");
    if !serve {
        println!(
            "\ndist-gallery/ is a static site (no provider needed: settings and API answers are fixtures). Serve it with \
             any static server that answers unknown paths with index.html (SPA fallback) and open /gallery, or:\n  \
             cargo xtask gallery --serve [--port N]   → {url}"
        );
        return Ok(());
    }
    println!("xtask: serving dist-gallery/ at {url} (Ctrl-C to stop)");
    static_server::serve(&dir, &host, port)
}
