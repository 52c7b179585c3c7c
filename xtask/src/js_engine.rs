//! The JS engine: the same optimised module translated by wasm2js, for CSPs without `'wasm-unsafe-eval'`.
//! wasm2js (binaryen 132) needs four workarounds: saturating float-to-int ops rewritten to exact helpers, sign-ext
//! lowered, `memory.grow` patched to refresh the heap views, and no i64 at the JS boundary. Every workaround here has a
//! guard so a toolchain bump fails the build instead of shipping a subtly wrong app.

use crate::tools::{self, npm_cmd};
use anyhow::{bail, ensure, Result};
use std::path::Path;

/// Explicit feature list for binaryen. Never `-all`: it lets the optimiser emit tail calls, which wasm2js rejects.
const FEATURES: &[&str] = &["--enable-bulk-memory", "--enable-bulk-memory-opt", "--enable-mutable-globals"];

/// The saturating float→int ops (Rust `as` casts) and their helper names. wasm2js translates the i32 ones as
/// wrapping (`~~x`) and cannot translate the i64 ones; binaryen's nontrapping lowering has LLVM (not Rust)
/// semantics. So each is replaced by a call to an exact MVP helper: NaN → 0, clamp, else the trapping trunc.
const SAT_OPS: &[(&str, &str)] = &[
    ("i32.trunc_sat_f32_s", "$__sat_i32_f32_s"),
    ("i32.trunc_sat_f32_u", "$__sat_i32_f32_u"),
    ("i32.trunc_sat_f64_s", "$__sat_i32_f64_s"),
    ("i32.trunc_sat_f64_u", "$__sat_i32_f64_u"),
    ("i64.trunc_sat_f32_s", "$__sat_i64_f32_s"),
    ("i64.trunc_sat_f32_u", "$__sat_i64_f32_u"),
    ("i64.trunc_sat_f64_s", "$__sat_i64_f64_s"),
    ("i64.trunc_sat_f64_u", "$__sat_i64_f64_u"),
];

/// One helper: `(func $name (param $x F) (result I) …)` with Rust's `as` semantics.
fn helper(name: &str, int: &str, float: &str, signed: bool) -> String {
    let bits = if int == "i32" { 32 } else { 64 };
    // Powers of two, written in decimal (exact in f32 and f64).
    let (half, full) =
        if bits == 32 { ("2147483648", "4294967296") } else { ("9223372036854775808", "18446744073709551616") };
    let (hi, max, lo_cmp, lo, min) = if signed {
        // x >= 2^(bits-1) → MAX; x < -2^(bits-1) → MIN (anything in between truncates in range).
        let (max, min) =
            if bits == 32 { ("2147483647", "-2147483648") } else { ("9223372036854775807", "-9223372036854775808") };
        (half.to_string(), max, "lt", format!("-{half}"), min)
    } else {
        // x >= 2^bits → all ones; x <= -1 → 0 (values in (-1, 0) truncate to 0 in range).
        (full.to_string(), "-1", "le", "-1".to_string(), "0")
    };
    let trunc = format!("{int}.trunc_{float}_{}", if signed { "s" } else { "u" });
    format!(
        " (func {name} (param $x {float}) (result {int})\n\
         \x20 (if ({float}.ne (local.get $x) (local.get $x)) (then (return ({int}.const 0))))\n\
         \x20 (if ({float}.ge (local.get $x) ({float}.const {hi})) (then (return ({int}.const {max}))))\n\
         \x20 (if ({float}.{lo_cmp} (local.get $x) ({float}.const {lo})) (then (return ({int}.const {min}))))\n\
         \x20 ({trunc} (local.get $x))\n )\n"
    )
}

/// Whether disassembled text contains a scalar saturating truncation (folded or not; names don't count).
fn has_trunc_sat(wat: &str) -> bool {
    wat.contains("i32.trunc_sat_") || wat.contains("i64.trunc_sat_")
}

/// Rewrites every `(iNN.trunc_sat_fMM_x` in binaryen's folded text into a call to an exact helper and appends the
/// helpers that are used. Returns the new text and how many sites were rewritten.
pub fn rewrite_trunc_sat(wat: &str) -> Result<(String, usize)> {
    ensure!(!wat.contains("$__sat_"), "module already contains $__sat_ helpers (rewritten twice?)");
    let mut out = wat.to_owned();
    let mut helpers = String::new();
    let mut total = 0;
    for (op, name) in SAT_OPS {
        let needle = format!("({op}");
        // Only whole op names: the char after the needle must end the token.
        let mut n = 0;
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(i) = rest.find(&needle) {
            let after = rest[i + needle.len()..].chars().next();
            result.push_str(&rest[..i]);
            if matches!(after, Some(c) if c.is_whitespace() || c == ')') {
                result.push_str(&format!("(call {name}"));
                n += 1;
            } else {
                result.push_str(&needle);
            }
            rest = &rest[i + needle.len()..];
        }
        result.push_str(rest);
        out = result;
        if n > 0 {
            let int = &op[..3];
            let float = &op[op.len() - 5..op.len() - 2];
            helpers.push_str(&helper(name, int, float, op.ends_with("_s")));
            total += n;
        }
    }
    if total > 0 {
        let end = out.trim_end().rfind(')').filter(|_| out.trim_start().starts_with("(module"));
        let Some(end) = end else { bail!("disassembly does not look like a single (module …)") };
        out.insert_str(end, &helpers);
    }
    ensure!(!has_trunc_sat(&out), "a trunc_sat op survived the rewrite (unfolded text form?)");
    Ok((out, total))
}

/// `memory.grow` in wasm2js copies into a new ArrayBuffer but leaves the old one attached; real wasm detaches it,
/// and wasm-bindgen's glue relies on that (it rebuilds its cached views only when `byteLength === 0`).
pub fn patch_memory_grow(js: &str) -> Result<String> {
    const NEEDLE: &str = "buffer = newBuffer;";
    let n = js.matches(NEEDLE).count();
    ensure!(
        n == 1,
        "expected exactly one `{NEEDLE}` in the wasm2js output (memory.grow), found {n}: wasm2js changed, re-check how it grows memory"
    );
    const HELPER: &str =
        "function __w2jDetach(b) { if (b.transfer) b.transfer(0); else structuredClone(b, { transfer: [b] }); }\n";
    Ok(format!("{HELPER}{}", js.replacen(NEEDLE, &format!("__w2jDetach(buffer); {NEEDLE}"), 1)))
}

/// Guards that the JS boundary has no legalised i64 (wasm2js would split them into i32 pairs + `env.setTempRet0`,
/// while the glue passes BigInt).
pub fn check_no_i64_boundary(js: &str) -> Result<()> {
    for bad in ["setTempRet0", "getTempRet0", "from 'env'", "from \"env\""] {
        ensure!(
            !js.contains(bad),
            "the wasm2js output contains `{bad}`: an i64 crosses the JS boundary (a #[wasm_bindgen] u64/i64?): wasm2js splits i64 into two halves"
        );
    }
    Ok(())
}

/// Points the wasm2js module's import of the glue at the glue's hashed file name.
pub fn rewrite_glue_import(js: &str, original: &str, hashed: &str) -> Result<String> {
    let from = format!("from '{original}'");
    let n = js.matches(&from).count();
    ensure!(n == 1, "expected exactly one `{from}` in the wasm2js output, found {n}");
    Ok(js.replacen(&from, &format!("from '{hashed}'"), 1))
}

/// Steps: trunc_sat rewrite → guard → sign-ext lowering → wasm2js → guards → memory.grow patch.
/// Returns the un-minified ES module (still importing the glue as `original_glue`).
pub fn translate(root: &Path, optimized_wasm: &Path, work: &Path) -> Result<String> {
    let wat_path = work.join("js-engine.wat");
    tools::output(npm_cmd(root, "wasm-dis", ["-all"])?.arg(optimized_wasm).arg("-o").arg(&wat_path))?;
    let (wat, sites) = rewrite_trunc_sat(&tools::read_string(&wat_path)?)?;
    eprintln!("xtask: js engine: {sites} trunc_sat site(s) rewritten to saturating helpers");
    let satfixed_wat = work.join("js-engine.satfixed.wat");
    tools::write(&satfixed_wat, &wat)?;
    let satfixed = work.join("js-engine.satfixed.wasm");
    let mut asm = npm_cmd(root, "wasm-as", FEATURES)?;
    asm.args(["--enable-sign-ext", "--enable-nontrapping-float-to-int"]);
    tools::output(asm.arg(&satfixed_wat).arg("-o").arg(&satfixed))?;
    // Guard on the reassembled binary, not on our own text.
    let check = tools::output(npm_cmd(root, "wasm-dis", ["-all"])?.arg(&satfixed))?;
    ensure!(!has_trunc_sat(&check), "trunc_sat ops remain after the rewrite");

    let lowered = work.join("js-engine.lowered.wasm");
    let mut opt = npm_cmd(root, "wasm-opt", FEATURES)?;
    opt.arg("--enable-sign-ext").arg(&satfixed).arg("--signext-lowering").arg("-o").arg(&lowered);
    tools::output(&mut opt)?;

    let js_path = work.join("js-engine.wasm2js.js");
    let mut w2j = npm_cmd(root, "wasm2js", FEATURES)?;
    w2j.arg(&lowered).arg("-Oz").arg("-o").arg(&js_path);
    tools::output(&mut w2j)?;
    let js = tools::read_string(&js_path)?;
    check_no_i64_boundary(&js)?;
    patch_memory_grow(&js)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNIPPET: &str = r#"(module
 (type $0 (func (param f64) (result i32)))
 (func $cast (param $0 f64) (param $1 f32) (result i32)
  (drop (i64.trunc_sat_f32_u (local.get $1)))
  (i32.add
   (i32.trunc_sat_f64_s (local.get $0))
   (i32.trunc_sat_f64_s
    (local.get $0)))
 )
 (func $other (result i32) (i32.trunc_f64_s (f64.const 1)))
)
"#;

    #[test]
    fn trunc_sat_becomes_helper_calls() {
        let (out, n) = rewrite_trunc_sat(SNIPPET).unwrap();
        assert_eq!(n, 3);
        assert!(!out.contains("trunc_sat"));
        assert_eq!(out.matches("(call $__sat_i32_f64_s").count(), 2);
        assert_eq!(out.matches("(call $__sat_i64_f32_u").count(), 1);
        // One helper per op used, inside the module, with the right bounds.
        assert_eq!(out.matches("(func $__sat_").count(), 2);
        assert!(out.contains("(f64.ge (local.get $x) (f64.const 2147483648)) (then (return (i32.const 2147483647)))"));
        assert!(out.contains("(f64.lt (local.get $x) (f64.const -2147483648)) (then (return (i32.const -2147483648)))"));
        assert!(out.contains("(f32.ge (local.get $x) (f32.const 18446744073709551616)) (then (return (i64.const -1)))"));
        assert!(out.contains("(f32.le (local.get $x) (f32.const -1)) (then (return (i64.const 0)))"));
        assert!(out.contains("(i64.trunc_f32_u (local.get $x))"));
        // The untouched trapping op is still there, and the module still closes after the helpers.
        assert!(out.contains("(i32.trunc_f64_s (f64.const 1))"));
        let helpers_at = out.find("(func $__sat_").unwrap();
        assert!(helpers_at > out.find("$other").unwrap());
    }

    #[test]
    fn no_trunc_sat_is_a_no_op() {
        let src = "(module\n (func $f)\n)\n";
        assert_eq!(rewrite_trunc_sat(src).unwrap(), (src.to_string(), 0));
        assert!(rewrite_trunc_sat("(module (func $__sat_x))").is_err());
    }

    #[test]
    fn memory_grow_patch_needs_exactly_one_site() {
        let js = "function g(){ var newBuffer = new ArrayBuffer(8);\n   buffer = newBuffer;\n }";
        let out = patch_memory_grow(js).unwrap();
        assert!(out.contains("__w2jDetach(buffer); buffer = newBuffer;"));
        assert!(out.starts_with("function __w2jDetach"));
        assert!(patch_memory_grow("nothing here").is_err());
        assert!(patch_memory_grow(&format!("{js}{js}")).is_err());
    }

    #[test]
    fn i64_boundary_guard() {
        assert!(check_no_i64_boundary("import * as x from './a_bg.js';").is_ok());
        assert!(check_no_i64_boundary("import * as env from 'env'; env.setTempRet0(1)").is_err());
    }

    #[test]
    fn glue_import_is_rewritten_once() {
        let js = "import * as $_g from './sign_in_page_bg.js';\nasmFunc({\"./sign_in_page_bg.js\": $_g});";
        let out = rewrite_glue_import(js, "./sign_in_page_bg.js", "./app-0123456789.js").unwrap();
        assert!(out.starts_with("import * as $_g from './app-0123456789.js';"));
        assert!(out.contains("\"./sign_in_page_bg.js\": $_g"));
        assert!(rewrite_glue_import("x", "./sign_in_page_bg.js", "./a.js").is_err());
    }

    /// End to end with the real binaryen and node: every saturating op through the JS engine pipeline must give
    /// exactly what WebAssembly gives, on the edge inputs. Skipped (with a message) when `npm ci` has not run.
    #[test]
    fn trunc_sat_pipeline_matches_wasm() {
        let root = tools::repo_root();
        if tools::npm_bin(&root, "wasm2js").is_err() || std::process::Command::new("node").arg("-v").output().is_err() {
            eprintln!("skipped: node_modules/.bin/wasm2js or node missing (run npm ci)");
            return;
        }
        let work = std::env::temp_dir().join(format!("xtask-satcheck-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).unwrap();
        let mut wat = String::from(
            "(module\n (memory $m 1)\n (export \"memory\" (memory $m))\n\
             (func (export \"grow\") (result i32) (memory.grow (i32.const 1)))\n",
        );
        for (op, _) in SAT_OPS {
            let (int, float) = (&op[..3], &op[op.len() - 5..op.len() - 2]);
            let name = op.replace('.', "_");
            // i64 results go through memory: i64 must not cross the JS boundary (wasm2js would legalise it).
            wat.push_str(&format!(
                " (func (export \"{name}\") (param $x {float}) ({int}.store (i32.const 0) ({op} (local.get $x))))\n"
            ));
        }
        wat.push_str(")\n");
        tools::write(&work.join("sat.wat"), &wat).unwrap();
        let wasm = work.join("sat.wasm");
        let mut asm = npm_cmd(&root, "wasm-as", FEATURES).unwrap();
        asm.arg("--enable-nontrapping-float-to-int").arg(work.join("sat.wat")).arg("-o").arg(&wasm);
        tools::output(&mut asm).unwrap();
        let js = translate(&root, &wasm, &work).unwrap();
        tools::write(&work.join("sat.js"), &js).unwrap();
        let ops: Vec<String> = SAT_OPS.iter().map(|(op, _)| format!("'{}'", op.replace('.', "_"))).collect();
        let runner = format!(
            r#"import fs from 'node:fs';
import * as js from './sat.js';
const {{ instance }} = await WebAssembly.instantiate(fs.readFileSync(new URL('./sat.wasm', import.meta.url)));
const w = instance.exports;
const inputs = [NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, -0.99, -1, -1.5, 3.5, -3.5, 123456789.9,
  2147483647, 2147483647.5, 2147483648, -2147483648, -2147483648.5, -2147483649, 4294967295, 4294967295.5,
  4294967296, 2 ** 53 + 2, 2 ** 63, -(2 ** 63), 2 ** 64, 1e30, -1e30];
let ok = 0, bad = [];
for (const op of [{ops}]) {{
  for (const x of inputs) {{
    const wide = op.startsWith('i64');
    const read = (mem) => wide ? new BigInt64Array(mem.buffer, 0, 1)[0] : new Int32Array(mem.buffer, 0, 1)[0];
    w[op](x); js[op](x);
    const a = read(w.memory), b = read(js.memory);
    if (a === b) ok++; else bad.push(`${{op}}(${{x}}): wasm ${{a}} js ${{b}}`);
  }}
}}
// memory.grow detaches the old buffer like real wasm does.
const before = js.memory.buffer; js.grow();
if (before.byteLength !== 0) bad.push('old buffer not detached after grow');
console.log(JSON.stringify({{ ok, bad }}));
"#,
            ops = ops.join(", ")
        );
        tools::write(&work.join("run.mjs"), runner).unwrap();
        let out = tools::output(std::process::Command::new("node").arg(work.join("run.mjs"))).unwrap();
        assert!(out.contains("\"bad\":[]"), "{out}");
        assert!(out.contains(&format!("\"ok\":{}", 8 * 28)), "{out}");
        let _ = std::fs::remove_dir_all(&work);
    }
}
