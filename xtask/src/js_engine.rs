//! The JS engine: the same optimised module translated by wasm2js, for CSPs without `'wasm-unsafe-eval'`.
//! wasm2js (binaryen 132) needs four workarounds: saturating float-to-int ops rewritten to exact helpers, sign-ext
//! lowered, `memory.grow` patched to refresh the heap views, and no i64 at the JS boundary. Every workaround here has a
//! guard so a toolchain bump fails the build instead of shipping a subtly wrong app.

use crate::tools::{self, npm_cmd};
use anyhow::{bail, ensure, Context, Result};
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

/// Replaces exactly one `needle` (a guard: wasm2js changed if it is not there exactly once).
fn replace_once(js: &str, needle: &str, with: &str, what: &str) -> Result<String> {
    let n = js.matches(needle).count();
    ensure!(n == 1, "expected exactly one `{needle}` in the wasm2js output ({what}), found {n}: wasm2js changed");
    Ok(js.replacen(needle, with, 1))
}

/// Cuts wasm2js's ES module wrapper (its `import`s of the imported modules, the instantiation and the exports, from
/// `tail` on) and exports `asmFunc` itself: the loader calls it with the imports (`{module: {name: value}}`), as it
/// passes them to WebAssembly, and gets the exports object back.
fn export_instantiate(js: &str, tail: &str) -> Result<String> {
    let n = js.matches(tail).count();
    ensure!(n == 1, "expected exactly one `{tail}` in the wasm2js output, found {n}: wasm2js changed");
    let body = &js[..js.find(tail).expect("counted above")];
    let imports = body.lines().take_while(|l| l.starts_with("import ")).count();
    let body: String = body.lines().skip(imports).flat_map(|l| [l, "\n"]).collect();
    ensure!(!body.contains("\nimport ") && !body.contains("\nexport "), "wasm2js output has imports or exports inside");
    Ok(format!("{body}export default asmFunc;\n"))
}

/// The main module's wrapper. `memory.grow` in wasm2js copies into a new ArrayBuffer but leaves the old one attached;
/// real wasm detaches it, and wasm-bindgen's glue relies on that (it rebuilds its cached views only when
/// `byteLength === 0`). Chunks have heap views of their own: `onMemoryGrow` registers a function that gets the new
/// buffer after every growth.
pub fn link_main(js: &str) -> Result<String> {
    const NEEDLE: &str = "buffer = newBuffer;";
    const HELPERS: &str =
        "function __w2jDetach(b) { if (b.transfer) b.transfer(0); else structuredClone(b, { transfer: [b] }); }\n\
        const __w2jGrown = [];\n\
        export function onMemoryGrow(f) { __w2jGrown.push(f); }\n\
        export const i64High = { v: 0 };\n";
    let grown = format!("__w2jDetach(buffer); {NEEDLE} for (const f of __w2jGrown) f(newBuffer);");
    let js = replace_once(js, NEEDLE, &grown, "memory.grow")?;
    let js = share_high_bits(&js, "i64High")?;
    Ok(format!("{HELPERS}{}", export_instantiate(&js, "var retasmFunc = asmFunc(")?))
}

/// A chunk's wrapper. wasm2js gives an imported memory its own fresh ArrayBuffer, an imported mutable global a copy
/// of its value, and lets the module replace the memory's `grow`; a chunk must share all three with the main module:
/// - it reads the main module's buffer and rebuilds its heap views whenever the main module grows memory (the
///   imports carry `__w2j.onMemoryGrow`); it never grows memory itself;
/// - every imported global (the stack pointer) is read and written through the main module's `{value}` export;
/// - the i64 high-bits register, per module in wasm2js, is the main module's (see [`share_high_bits`]).
pub fn link_chunk(stem: &str, js: &str) -> Result<String> {
    let what = |w: &str| format!("chunk {stem}: {w}");
    let mut js = share_high_bits(js, "imports.__w2j.i64High")?;
    // A chunk without memory (one that only calls through the table) has no heap views to follow.
    if js.contains("var memory = __wasm_split.memory;") {
        js = replace_once(&js, "memory.grow = __wasm_memory_grow;", "", &what("memory.grow"))?;
        ensure!(js.matches("__wasm_memory_grow(").count() == 1, "{}", what("grows memory itself"));
        let views = "var HEAPF64 = new Float64Array(buffer);";
        // wasm2js declares `bufferView` only in modules with bulk-memory operations; assigning it elsewhere throws
        // (the module is strict), which broke every growth of memory while such a chunk was loaded.
        let byte_view = if js.contains("var bufferView") { " bufferView = HEAPU8;" } else { "" };
        let refresh = format!(
            "{views}\n imports.__w2j.onMemoryGrow(function (b) {{ buffer = b; HEAP8 = new Int8Array(b); \
             HEAP16 = new Int16Array(b); HEAP32 = new Int32Array(b); HEAPU8 = new Uint8Array(b); \
             HEAPU16 = new Uint16Array(b); HEAPU32 = new Uint32Array(b); HEAPF32 = new Float32Array(b); \
             HEAPF64 = new Float64Array(b);{byte_view} }});"
        );
        js = replace_once(&js, views, &refresh, &what("heap views"))?;
    } else {
        ensure!(!js.contains("memory"), "{}", what("uses a memory it does not import"));
    }
    // `var gimport$N = __wasm_split.NAME | 0;` → every `gimport$N` becomes `__wasm_split.NAME.value`.
    while let Some(at) = js.find("var gimport$") {
        let line_end = at + js[at..].find('\n').context("unterminated global import")?;
        let line = js[at..line_end].trim().to_owned();
        let (var, rest) = line["var ".len()..].split_once(" = ").context("unexpected global import line")?;
        let source = rest.strip_suffix(" | 0;").context("global import is not an i32")?;
        js.replace_range(at..line_end, "");
        js = replace_identifier(&js, var, &format!("{source}.value"));
    }
    let tail = if js.contains("var memasmFunc = ") { "var memasmFunc = " } else { "var retasmFunc = asmFunc(" };
    export_instantiate(&js, tail)
}

/// wasm2js returns an i64's high half in a module variable, `i64toi32_i32$HIGH_BITS`, which the caller reads after
/// the call. A function of one module called through the table by another would leave it in the wrong module: every
/// module uses the main module's `i64High.v` instead (`holder` is how this module reaches that object).
fn share_high_bits(js: &str, holder: &str) -> Result<String> {
    const NAME: &str = "i64toi32_i32$HIGH_BITS";
    let declarations = js.matches("var i64toi32_i32$HIGH_BITS = 0;").count();
    ensure!(declarations <= 1, "wasm2js declared {NAME} {declarations} times");
    let js = js.replacen("var i64toi32_i32$HIGH_BITS = 0;", "", 1);
    let js = replace_identifier(&js, NAME, &format!("{holder}.v"));
    ensure!(!js.contains(NAME), "{NAME} survived as part of another name");
    Ok(js)
}

/// Replaces `name` where it is a whole identifier (`$` and `_` are identifier characters in JS).
fn replace_identifier(js: &str, name: &str, with: &str) -> String {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '$' || c == '_';
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    while let Some(i) = rest.find(name) {
        out.push_str(&rest[..i]);
        let before = out.chars().next_back();
        let after = rest[i + name.len()..].chars().next();
        let whole = !before.is_some_and(is_ident) && !after.is_some_and(is_ident);
        out.push_str(if whole { with } else { name });
        rest = &rest[i + name.len()..];
    }
    out.push_str(rest);
    out
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

/// wasm2js writes the data segments as base64 strings, which brotli packs poorly (6 bits of each byte carry the data).
/// They become strings of one character per byte (U+0000–U+00FF, escaped where a literal needs it; esbuild keeps the
/// rest as UTF-8): the JS engine's main module is ~6 KB (brotli) lighter. The decoder is replaced by a byte copy.
pub fn latin1_data(js: &str) -> Result<String> {
    const LOOKUP: &str = "  var base64ReverseLookup";
    const DECODER_END: &str = "    return uint8Array;\n  }\n";
    const CALL: &str = "base64DecodeToExistingUint8Array(";
    const COPY: &str = "  function latin1ToExistingUint8Array(uint8Array, offset, bytes) {\n\
                        \x20   for (var i = 0; i < bytes.length; i++) uint8Array[offset + i] = bytes.charCodeAt(i);\n\
                        \x20   return uint8Array;\n  }\n";
    let Some(start) = js.find(LOOKUP) else {
        ensure!(!js.contains(CALL), "base64 data without wasm2js's decoder: wasm2js changed");
        return Ok(js.to_owned());
    };
    let end =
        start + js[start..].find(DECODER_END).context("wasm2js's base64 decoder has changed")? + DECODER_END.len();
    let mut out = String::with_capacity(js.len());
    out.push_str(&js[..start]);
    out.push_str(COPY);
    let mut rest = &js[end..];
    while let Some(at) = rest.find(CALL) {
        // `base64DecodeToExistingUint8Array(bufferView, <offset>, "<base64>")`
        out.push_str(&rest[..at]);
        let args = &rest[at + CALL.len()..];
        let open = args.find('"').context("a data segment without its string")?;
        let close = open + 1 + args[open + 1..].find('"').context("unterminated data string")?;
        let bytes = decode_base64(&args[open + 1..close])?;
        out.push_str("latin1ToExistingUint8Array(");
        out.push_str(&args[..open]);
        out.push_str(&latin1_literal(&bytes));
        rest = &args[close + 1..];
    }
    out.push_str(rest);
    ensure!(!out.contains("base64"), "base64 left in the wasm2js output after the data rewrite");
    Ok(out)
}

/// Standard base64 (with padding), as wasm2js writes it.
fn decode_base64(text: &str) -> Result<Vec<u8>> {
    fn value(c: u8) -> Result<u32> {
        Ok(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => anyhow::bail!("not base64: {:?}", c as char),
        } as u32)
    }
    ensure!(text.len().is_multiple_of(4), "base64 of a length that is not a multiple of 4");
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    for quad in text.as_bytes().chunks(4) {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        let mut n = 0;
        for &c in &quad[..4 - pad] {
            n = n << 6 | value(c)?;
        }
        n <<= 6 * pad as u32;
        bytes.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    Ok(bytes)
}

/// A double-quoted JS string of one character per byte.
fn latin1_literal(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() + 2);
    s.push('"');
    for &b in bytes {
        match b {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e | 0x80..=0xff => s.push(char::from(b)),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push('"');
    s
}

/// Steps: trunc_sat rewrite → guard → sign-ext lowering → wasm2js → guards. Returns wasm2js's ES module, for
/// [`link_main`] or [`link_chunk`].
pub fn translate(root: &Path, optimized_wasm: &Path, work: &Path, name: &str) -> Result<String> {
    let file = |ext: &str| work.join(format!("{name}.{ext}"));
    let wat_path = file("wat");
    tools::output(npm_cmd(root, "wasm-dis", ["-all"])?.arg(optimized_wasm).arg("-o").arg(&wat_path))?;
    let (wat, sites) = rewrite_trunc_sat(&tools::read_string(&wat_path)?)?;
    eprintln!("xtask: js engine: {sites} trunc_sat site(s) rewritten to saturating helpers");
    let satfixed_wat = file("satfixed.wat");
    tools::write(&satfixed_wat, &wat)?;
    let satfixed = file("satfixed.wasm");
    let mut asm = npm_cmd(root, "wasm-as", FEATURES)?;
    asm.args(["--enable-sign-ext", "--enable-nontrapping-float-to-int"]);
    tools::output(asm.arg(&satfixed_wat).arg("-o").arg(&satfixed))?;
    // Guard on the reassembled binary, not on our own text.
    let check = tools::output(npm_cmd(root, "wasm-dis", ["-all"])?.arg(&satfixed))?;
    ensure!(!has_trunc_sat(&check), "trunc_sat ops remain after the rewrite");

    let lowered = file("lowered.wasm");
    let mut opt = npm_cmd(root, "wasm-opt", FEATURES)?;
    opt.arg("--enable-sign-ext").arg(&satfixed).arg("--signext-lowering").arg("-o").arg(&lowered);
    tools::output(&mut opt)?;

    let js_path = file("wasm2js.js");
    let mut w2j = npm_cmd(root, "wasm2js", FEATURES)?;
    w2j.arg(&lowered).arg("-Oz").arg("-o").arg(&js_path);
    tools::output(&mut w2j)?;
    let js = tools::read_string(&js_path)?;
    check_no_i64_boundary(&js)?;
    latin1_data(&js)
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

    /// The shape of wasm2js's output for a main module, reduced to what the wrapper changes.
    const MAIN: &str = "import * as $_g from './sign_in_page_bg.js';\nimport * as c from 'sign-in-chunks';\n\
        function asmFunc(imports) {\n var newBuffer = new ArrayBuffer(8);\n   buffer = newBuffer;\n}\n\
        var retasmFunc = asmFunc({\"./sign_in_page_bg.js\": $_g});\nexport var memory = retasmFunc.memory;\n";

    #[test]
    fn main_module_exports_its_instantiation_and_reports_growth() {
        let out = link_main(MAIN).unwrap();
        assert!(out.contains("__w2jDetach(buffer); buffer = newBuffer; for (const f of __w2jGrown) f(newBuffer);"));
        assert!(out.starts_with("function __w2jDetach"));
        assert!(out.contains("export function onMemoryGrow(f)") && out.contains("export const i64High = { v: 0 };"));
        assert!(out.trim_end().ends_with("export default asmFunc;"));
        assert!(!out.contains("import ") && !out.contains("retasmFunc"), "{out}");
        assert!(link_main("nothing here").is_err());
        assert!(link_main(&MAIN.replace("buffer = newBuffer;", "")).is_err());
        assert!(link_main(&format!("{MAIN}{MAIN}")).is_err());
    }

    const CHUNK: &str = "import * as __wasm_split from '__wasm_split';\nvar bufferView;\nfunction asmFunc(imports) {\n\
        var __wasm_split = imports.__wasm_split;\n var memory = __wasm_split.memory;\n var buffer = memory.buffer;\n\
        memory.grow = __wasm_memory_grow;\n var HEAPF64 = new Float64Array(buffer);\n\
        var gimport$0 = __wasm_split.__wasm_split_shared0 | 0;\n\
        function $0(gimport$01) { var x = gimport$0 - 16 | 0; gimport$0 = x; return gimport$01; }\n\
        function __wasm_memory_grow(pagesToAdd) {}\n return {};\n}\n\
        var memasmFunc = new ArrayBuffer(65536);\nvar retasmFunc = asmFunc({});\n";

    #[test]
    fn chunk_without_memory_only_exports_its_instantiation() {
        let js = "import * as __wasm_split from '__wasm_split';\n\nfunction asmFunc(imports) {\n\
            var __wasm_split = imports.__wasm_split;\n var FUNCTION_TABLE = __wasm_split.__indirect_function_table;\n\
            function $0($0_1) { FUNCTION_TABLE[411]($0_1) }\n FUNCTION_TABLE[2451] = $0;\n return {};\n}\n\n\
            var retasmFunc = asmFunc({\n  \"__wasm_split\": __wasm_split,\n});\n";
        let out = link_chunk("c", js).unwrap();
        assert!(out.trim_end().ends_with("export default asmFunc;") && !out.contains("retasmFunc"), "{out}");
        assert!(!out.contains("import ") && !out.contains("onMemoryGrow"), "{out}");
    }

    #[test]
    fn chunk_shares_memory_and_globals_with_the_main_module() {
        let out = link_chunk("c", CHUNK).unwrap();
        assert!(!out.contains("memory.grow ="), "{out}");
        assert!(out.contains("HEAPF64 = new Float64Array(b); bufferView = HEAPU8; });"), "{out}");
        let without_bulk_memory = link_chunk("c", &CHUNK.replace("var bufferView;\n", "")).unwrap();
        assert!(!without_bulk_memory.contains("bufferView"), "{without_bulk_memory}");
        assert!(out.contains("imports.__w2j.onMemoryGrow(function (b) { buffer = b; HEAP8 = new Int8Array(b);"));
        assert!(out.contains("var x = __wasm_split.__wasm_split_shared0.value - 16 | 0; __wasm_split.__wasm_split_shared0.value = x; return gimport$01;"), "{out}");
        assert!(!out.contains("var gimport$0 ="));
        assert!(out.trim_end().ends_with("export default asmFunc;") && !out.contains("memasmFunc"));
        assert!(!out.contains("import "));
        let grows = CHUNK.replace("return gimport$01;", "__wasm_memory_grow(1);");
        assert!(link_chunk("c", &grows).unwrap_err().to_string().contains("grows memory itself"));
        let wide = CHUNK
            .replace("return gimport$01;", "i64toi32_i32$HIGH_BITS = 1; return 0;")
            .replace(" return {};", " var i64toi32_i32$HIGH_BITS = 0;\n return {};");
        let out = link_chunk("c", &wide).unwrap();
        assert!(out.contains("imports.__w2j.i64High.v = 1; return 0;") && !out.contains("HIGH_BITS"), "{out}");
    }

    #[test]
    fn data_segments_become_one_character_per_byte() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode_base64("AAECAw==").unwrap(), [0, 1, 2, 3]);
        assert_eq!(decode_base64("/+A=").unwrap(), [0xff, 0xe0]);
        assert!(decode_base64("AA=").is_err());
        let js = format!(
            "  var base64ReverseLookup = 1;\n  function base64DecodeToExistingUint8Array(a, o, b) {{\n    x;\n    return uint8Array;\n  }}\n\
             base64DecodeToExistingUint8Array(bufferView, 8, \"{}\");\n",
            "AAECAw=="
        );
        let out = latin1_data(&js).unwrap();
        assert_eq!(out.matches("latin1ToExistingUint8Array(").count(), 2);
        assert!(out.contains(r#"latin1ToExistingUint8Array(bufferView, 8, "\x00\x01\x02\x03");"#), "{out}");
        // Every byte survives a JS parse: node evaluates the literal back to the bytes.
        let literal = latin1_literal(&all);
        let node = std::process::Command::new("node")
            .args(["-e", &format!("process.stdout.write(JSON.stringify([...{literal}].map(c => c.charCodeAt(0))))")])
            .output()
            .expect("node (the build needs it anyway)");
        assert_eq!(String::from_utf8_lossy(&node.stdout), serde_json::to_string(&all).unwrap());
        assert!(latin1_data("no data here").unwrap() == "no data here");
    }

    #[test]
    fn i64_boundary_guard() {
        assert!(check_no_i64_boundary("import * as x from './a_bg.js';").is_ok());
        assert!(check_no_i64_boundary("import * as env from 'env'; env.setTempRet0(1)").is_err());
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
        let js = link_main(&translate(&root, &wasm, &work, "sat").unwrap()).unwrap();
        tools::write(&work.join("sat.js"), &js).unwrap();
        let ops: Vec<String> = SAT_OPS.iter().map(|(op, _)| format!("'{}'", op.replace('.', "_"))).collect();
        let runner = format!(
            r#"import fs from 'node:fs';
import instantiate from './sat.js';
const js = instantiate({{}});
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
