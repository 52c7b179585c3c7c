//! `cargo xtask build`: the one pipeline that writes `dist/`.

use crate::compress::{self, Sizes};
use crate::{cache, import_names, js_engine, site, split, tools, wasm};
use anyhow::{ensure, Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// The URLs (under `/assets/`) of what the first screen loads.
pub struct Built {
    pub glue: String,
    pub wasm: String,
    pub wasm_js: String,
    pub css: String,
    pub loader: String,
    /// Per split group (`codes`, `mfa`, …): the URLs it loads (its chunks, the lazy screens' stylesheet), wasm engine
    /// then JS engine.
    pub groups: Vec<(String, Vec<String>, Vec<String>)>,
    /// Brotli bytes of everything `/sign-in` fetches before its first field: (wasm engine, JS engine).
    pub first_screen_brotli: (usize, usize),
}

fn step(t: &mut Instant, what: &str) {
    eprintln!("xtask: {what} ({:.1} s)", t.elapsed().as_secs_f64());
    *t = Instant::now();
}

/// What one run of the pipeline builds: the normal site, or the designers' gallery.
pub struct Flavor {
    /// Cargo features of the app.
    pub features: &'static [&'static str],
    /// Output directory, relative to the root.
    pub dist: &'static str,
    /// Work directory, relative to the root.
    pub work: &'static str,
    /// Cargo target directory relative to the root (`None`: the workspace's `target/`).
    pub target_dir: Option<&'static str>,
}

/// `cargo xtask build`: `dist/`.
pub const NORMAL: Flavor = Flavor { features: &[], dist: "dist", work: "target/xtask", target_dir: None };

/// `cargo xtask gallery`: `dist-gallery/`, the app with `--features gallery`, in its own work directory. It shares
/// `target/` (the dependencies are compiled once); the linked module of either flavor lands at the same path, so the
/// cargo build and the read of its output happen under [`WASM_LOCK`].
pub const GALLERY: Flavor =
    Flavor { features: &["gallery"], dist: "dist-gallery", work: "target/xtask-gallery", target_dir: None };

/// Held from `cargo build` until the linked module is read, so that a concurrent build of the other flavor cannot
/// replace the module in between.
const WASM_LOCK: &str = "target/xtask-wasm.lock";

pub fn build(root: &Path) -> Result<Built> {
    build_flavor(root, &NORMAL)
}

pub fn build_flavor(root: &Path, flavor: &Flavor) -> Result<Built> {
    let start = Instant::now();
    let mut t = Instant::now();
    tools::ensure_prerequisites(root)?;
    let work = root.join(flavor.work);
    std::fs::create_dir_all(&work)?;

    // 2. cargo build
    let lock = std::fs::File::create(root.join(WASM_LOCK)).context("creating the wasm build lock")?;
    lock.lock().context("taking the wasm build lock")?;
    let linked = match (flavor.features, flavor.target_dir) {
        ([], None) => wasm::cargo_build(root)?,
        (features, dir) => wasm::cargo_build_with(root, features, dir.map(|d| root.join(d)).as_deref())?,
    };
    step(&mut t, "cargo build done");

    // 3. target_features patch
    let mut module = tools::read(&linked)?;
    drop(lock);
    let flipped = wasm::patch_target_features(&mut module, wasm::FLIP_FEATURES)?;
    eprintln!("xtask: target_features: flipped {flipped:?} to '-'");
    let patched = work.join(format!("{}.wasm", wasm::STEM));
    tools::write(&patched, &module)?;

    // 4. the lazy screens cut out, 5. wasm-bindgen (bundler target) on the main module
    let split = split::split(&module, &work.join("split"))?;
    step(&mut t, "split done");
    let bindgen_dir = work.join("bindgen");
    wasm::bindgen(&split.main, &bindgen_dir)?;
    let bindgen_wasm = bindgen_dir.join(format!("{}_bg.wasm", wasm::STEM));
    let glue_path = bindgen_dir.join(format!("{}_bg.js", wasm::STEM));
    let (renamed_wasm, renamed_glue, renamed) =
        import_names::shorten(&tools::read(&bindgen_wasm)?, &tools::read_string(&glue_path)?)?;
    tools::write(&bindgen_wasm, &renamed_wasm)?;
    tools::write(&glue_path, renamed_glue)?;
    step(&mut t, &format!("wasm-bindgen done, {renamed} glue imports renamed"));
    // 6. wasm-opt. It, wasm2js and brotli take minutes: each reuses its last output when its input did not change.
    let optimized = work.join(format!("{}.opt.wasm", wasm::STEM));
    let ran = cache::reuse_or(&optimized, &cache::key(&[&tools::read(&bindgen_wasm)?]), || {
        wasm::optimize(root, &bindgen_wasm, &optimized)
    })?;
    let wasm_bytes = tools::read(&optimized)?;
    wasm::check_shared_module(&wasm_bytes)?;
    let mut chunks = BTreeMap::new();
    std::fs::create_dir_all(work.join("chunks"))?;
    for (stem, path) in &split.chunks {
        let out = work.join("chunks").join(format!("{stem}.opt.wasm"));
        cache::reuse_or(&out, &cache::key(&[&tools::read(path)?]), || wasm::optimize(root, path, &out))?;
        let bytes = tools::read(&out)?;
        wasm::check_chunk(stem, &bytes)?;
        chunks.insert(stem.clone(), bytes);
    }
    step(&mut t, if ran { "wasm-opt done" } else { "wasm-opt: input unchanged, reused" });

    // 7. the JS engine: the main module and every chunk through wasm2js
    let translated = work.join("js-engine.js");
    let ran = cache::reuse_or(&translated, &cache::key(&[&wasm_bytes]), || {
        tools::write(&translated, js_engine::link_main(&js_engine::translate(root, &optimized, &work, "js-engine")?)?)
    })?;
    let wasm_js = tools::read_string(&translated)?;
    let mut js_chunks = BTreeMap::new();
    for (stem, bytes) in &chunks {
        let dir = work.join("chunks");
        let out = dir.join(format!("{stem}.js"));
        cache::reuse_or(&out, &cache::key(&[bytes]), || {
            let wasm = dir.join(format!("{stem}.opt.wasm"));
            tools::write(&out, js_engine::link_chunk(stem, &js_engine::translate(root, &wasm, &dir, stem)?)?)
        })?;
        js_chunks.insert(stem.clone(), tools::read_string(&out)?);
    }
    step(&mut t, if ran { "wasm2js done" } else { "wasm2js: input unchanged, reused" });

    // 7–8. the site
    let dist = root.join(flavor.dist);
    if dist.exists() {
        std::fs::remove_dir_all(&dist).with_context(|| format!("clearing {}/", flavor.dist))?;
    }
    std::fs::create_dir_all(dist.join(site::ASSETS))?;

    let glue_src = tools::read_string(&glue_path)?;
    ensure!(
        glue_src.contains("export function __wbg_set_wasm("),
        "the bundler glue no longer exports __wbg_set_wasm; the loader depends on it"
    );
    ensure!(!glue_src.contains("externref"), "the glue uses externref: the target_features patch did not take");
    let glue_min = site::minify(root, &work, "glue", "js", &glue_src)?;
    let glue = site::emit_asset(&dist, "glue", "js", glue_min.as_bytes())?;
    let wasm_url = site::emit_asset(&dist, "app", "wasm", &wasm_bytes)?;
    let wasm_js_min = site::minify(root, &work, "wasm2js", "js", &wasm_js)?;
    let wasm_js_url = site::emit_asset(&dist, "app", "wasm.js", wasm_js_min.as_bytes())?;
    // The first screen's stylesheet, and the lazy screens' (fetched with their chunks).
    let stylesheet = |entry: &str, name: &str| -> Result<String> {
        let bundled = site::bundle_css(&root.join("style").join(entry), &mut |p| {
            let data = tools::read(p)?;
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("asset");
            let ext = p.extension().and_then(|s| s.to_str()).unwrap_or("bin");
            site::emit_asset(&dist, stem, ext, &data)
        })?;
        site::emit_asset(&dist, name, "css", site::minify(root, &work, name, "css", &bundled)?.as_bytes())
    };
    let css_url = stylesheet("main.css", "app")?;
    let later_css_url = stylesheet("later.css", "later")?;
    // Each chunk in both engines, under one name per split-group stem (the manifest and the size table are made from
    // these).
    let mut chunk_names = BTreeMap::new();
    for (stem, bytes) in &chunks {
        let js_min = site::minify(root, &work.join("chunks"), stem, "js", &js_chunks[stem])?;
        let forms: [(&str, &[u8]); 2] = [("wasm", bytes), ("wasm.js", js_min.as_bytes())];
        chunk_names.insert(stem, site::emit_forms(&dist, &stem.replace('_', "-"), &forms)?);
    }
    // What a group loads in one engine: its chunks and the lazy screens' stylesheet.
    let urls_of = |ext: &str, stems: &Vec<String>| -> Vec<String> {
        let chunks = stems.iter().map(|s| format!("/{}/{}.{ext}", site::ASSETS, chunk_names[s]));
        chunks.chain([later_css_url.clone()]).collect()
    };
    // The loader's chunk manifest: per group loader, indices into the list of chunk names, to which the loader adds
    // `/assets/` and its engine's extension (`src/js/chunks.js`); and the lazy screens' stylesheet.
    let stems: Vec<&String> = chunks.keys().collect();
    let chunk_manifest = serde_json::json!({
        "groups": split
            .loaders
            .iter()
            .map(|(loader, needed)| {
                let indices: Vec<usize> =
                    needed.iter().map(|n| stems.iter().position(|s| *s == n).expect("a split chunk")).collect();
                (loader.clone(), serde_json::Value::from(indices))
            })
            .collect::<serde_json::Map<_, _>>(),
        "names": stems.iter().map(|s| chunk_names[s].clone()).collect::<Vec<_>>(),
        "stylesheet": later_css_url,
    });
    let groups = split
        .loaders
        .iter()
        .map(|(loader, stems)| {
            let group = loader.trim_start_matches(split::LOADER_PREFIX).to_owned();
            (group, urls_of("wasm", stems), urls_of("wasm.js", stems))
        })
        .collect();

    // 9. the loader, and the direct sign-in module it imports where a CSP refused the inline copy
    let direct_module =
        site::bundle_loader(root, &root.join("src/js/direct-sign-in.js"), &work.join("direct.mjs"), &[])?;
    let direct_url = site::emit_asset(&dist, "direct", "js", direct_module.as_bytes())?;
    let loader_min = site::bundle_loader(
        root,
        &root.join("src/js/loader.js"),
        &work.join("loader.min.js"),
        &[
            ("__GLUE_URL__", glue.as_str().into()),
            ("__WASM_URL__", wasm_url.as_str().into()),
            ("__WASM_JS_URL__", wasm_js_url.as_str().into()),
            ("__GLUE_MODULE__", wasm::GLUE_MODULE.into()),
            ("__CHUNK_MODULE__", split::LINK_MODULE.into()),
            ("__CHUNKS__", chunk_manifest),
            ("__DIRECT_URL__", direct_url.as_str().into()),
        ],
    )?;
    let loader_url = site::emit_asset(&dist, "loader", "js", loader_min.as_bytes())?;

    let direct = site::bundle_inline(root, &root.join("src/js/direct-inline.js"), &work.join("direct.min.js"))?;
    let template = tools::read_string(&root.join("index.html"))?;
    let assets = site::PageAssets { css: &css_url, glue: &glue, loader: &loader_url, direct: &direct };
    tools::write(&dist.join("index.html"), site::render_html(&template, &assets)?)?;
    // What a strict CSP must list in script-src to let that inline script run (the reference provider and the
    // gallery server read it; Logto's own CSP allows inline scripts).
    tools::write(&dist.join(site::INLINE_SCRIPT_HASHES), site::script_hash_source(&direct))?;
    site::copy_public(&root.join("public"), &dist)?;
    step(&mut t, "site written");

    // 10. precompressed copies, 11. the table
    let rows = compress::precompress(&dist, &work.join("compressed"))?;
    step(&mut t, "precompressed");
    let mut built = Built {
        glue,
        wasm: wasm_url,
        wasm_js: wasm_js_url,
        css: css_url,
        loader: loader_url,
        groups,
        first_screen_brotli: (0, 0),
    };
    built.first_screen_brotli = print_table(&dist, flavor.dist, &rows, &built);
    eprintln!("xtask: build finished in {:.1} s", start.elapsed().as_secs_f64());
    Ok(built)
}

/// Prints every file's sizes (a chunk with the split groups that need it), the two first-screen totals and what each
/// group adds when its screens are opened; returns the first-screen totals' brotli bytes (wasm, JS).
fn print_table(dist: &Path, name: &str, rows: &[Sizes], b: &Built) -> (usize, usize) {
    let rel = |r: &Sizes| r.path.strip_prefix(dist).unwrap_or(&r.path).display().to_string().replace('\\', "/");
    let width = rows.iter().map(|r| rel(r).len()).max().unwrap_or(4).max(34);
    let needed_by = |url: &str| -> String {
        let groups: Vec<&str> = b
            .groups
            .iter()
            .filter(|(_, wasm, js)| wasm.iter().chain(js).any(|u| u == url))
            .map(|(group, _, _)| group.as_str())
            .collect();
        groups.join(" ")
    };
    println!("{:<width$} {:>10} {:>10} {:>10}  needed by", format!("{name}/"), "raw", "gzip", "brotli");
    for r in rows {
        let url = format!("/{}", rel(r));
        println!("{:<width$} {:>10} {:>10} {:>10}  {}", rel(r), r.raw, r.gzip, r.brotli, needed_by(&url));
    }
    let find = |url: &str| rows.iter().find(|r| format!("/{}", rel(r)) == url);
    let total = |urls: &[&str]| {
        urls.iter().filter_map(|u| find(u)).fold((0, 0, 0), |(a, g, z), r| (a + r.raw, g + r.gzip, z + r.brotli))
    };
    let common = ["/index.html", b.loader.as_str(), b.glue.as_str(), b.css.as_str()];
    let wasm_path = [&common[..], &[b.wasm.as_str()]].concat();
    let js_path = [&common[..], &[b.wasm_js.as_str()]].concat();
    println!("{}", "-".repeat(width + 33));
    let mut brotli = Vec::new();
    for (label, urls) in [("first screen, wasm path", &wasm_path), ("first screen, JS path", &js_path)] {
        let (raw, gz, br) = total(urls);
        println!("{label:<width$} {raw:>10} {gz:>10} {br:>10}");
        brotli.push(br);
    }
    for (group, wasm, js) in &b.groups {
        for (engine, urls) in [("wasm", wasm), ("JS", js)] {
            let (raw, gz, br) = total(&urls.iter().map(String::as_str).collect::<Vec<_>>());
            println!("{:<width$} {raw:>10} {gz:>10} {br:>10}", format!("+ {group} screens, {engine}"));
        }
    }
    (brotli[0], brotli[1])
}

/// The first-screen budget (`xtask/size-budget.json`): an error naming each engine over its limit.
pub fn check_budget(root: &Path, built: &Built) -> Result<()> {
    let path = root.join("xtask/size-budget.json");
    let budget: serde_json::Value =
        serde_json::from_str(&tools::read_string(&path)?).with_context(|| format!("{} is not JSON", path.display()))?;
    let limit = |engine: &str| -> Result<usize> {
        budget["firstScreenBrotli"][engine]
            .as_u64()
            .map(|n| n as usize)
            .with_context(|| format!("{}: no firstScreenBrotli.{engine}", path.display()))
    };
    let (wasm, js) = built.first_screen_brotli;
    let over: Vec<String> = [("wasm", wasm), ("js", js)]
        .into_iter()
        .map(|(engine, bytes)| Ok((engine, bytes, limit(engine)?)))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .filter(|(_, bytes, limit)| bytes > limit)
        .map(|(engine, bytes, limit)| format!("{engine} engine: {bytes} B brotli > budget {limit} B"))
        .collect();
    ensure!(over.is_empty(), "first screen over its size budget ({}): {}", path.display(), over.join("; "));
    eprintln!("xtask: first screen within budget (wasm {wasm} B, JS {js} B brotli)");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_fails_over_either_limit() {
        let root = std::env::temp_dir().join(format!("xtask-budget-{}", std::process::id()));
        tools::write(&root.join("xtask/size-budget.json"), r#"{"firstScreenBrotli": {"wasm": 100, "js": 200}}"#)
            .unwrap();
        let built = |wasm, js| Built {
            glue: String::new(),
            wasm: String::new(),
            wasm_js: String::new(),
            css: String::new(),
            loader: String::new(),
            groups: Vec::new(),
            first_screen_brotli: (wasm, js),
        };
        assert!(check_budget(&root, &built(100, 200)).is_ok());
        let err = check_budget(&root, &built(101, 200)).unwrap_err().to_string();
        assert!(err.contains("wasm engine: 101 B"), "{err}");
        assert!(check_budget(&root, &built(100, 201)).is_err());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
