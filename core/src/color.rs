//! Brand colour maths: hex parsing, RGB↔HSL, Logto's derived brand tones, WCAG contrast and a
//! readable text colour on the brand, plus the logo/favicon choice (docs/experience-api.md, Branding and
//! custom content).
//!
//! "Lighten by N" is Logto's `absoluteLighten`: HSL lightness + N percentage points, clamped to 0..=100
//! (the same conversion as the `color` npm package, rounded to whole RGB channels when printed).

use crate::config::{Branding, Color};

/// Logto's default primary colour, used when the configured one does not parse.
pub const DEFAULT_PRIMARY: Rgb = Rgb { r: 0x61, g: 0x39, b: 0xf6 };

pub const WHITE: Rgb = Rgb { r: 255, g: 255, b: 255 };
pub const BLACK: Rgb = Rgb { r: 0, g: 0, b: 0 };

/// An sRGB colour with 8-bit channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

/// Hue in degrees (0..360), saturation and lightness in percent (0..=100).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hsl {
    pub h: f64,
    pub s: f64,
    pub l: f64,
}

impl Rgb {
    /// `#rgb` or `#rrggbb`, any case, surrounding whitespace ignored; anything else is `None`.
    pub fn parse(s: &str) -> Option<Self> {
        let hex = s.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).ok();
        match hex.len() {
            3 => Some(Self { r: digit(0)? * 17, g: digit(1)? * 17, b: digit(2)? * 17 }),
            6 => {
                let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
                Some(Self { r: pair(0)?, g: pair(2)?, b: pair(4)? })
            }
            _ => None,
        }
    }

    /// `#rrggbb`, lower case.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// `rgba(r, g, b, a)` with `a` in hundredths (integers only: keeps float formatting out of the wasm).
    pub fn to_rgba(self, alpha_percent: u8) -> String {
        let alpha = alpha_percent.min(100);
        format!("rgba({}, {}, {}, {}.{:02})", self.r, self.g, self.b, alpha / 100, alpha % 100)
    }

    pub fn to_hsl(self) -> Hsl {
        let (r, g, b) = (self.r as f64 / 255.0, self.g as f64 / 255.0, self.b as f64 / 255.0);
        let max = r.max(g).max(b);
        let min = r.min(g).min(b);
        let delta = max - min;
        let l = (max + min) / 2.0;
        if delta == 0.0 {
            return Hsl { h: 0.0, s: 0.0, l: l * 100.0 };
        }
        let h = if max == r {
            (g - b) / delta
        } else if max == g {
            2.0 + (b - r) / delta
        } else {
            4.0 + (r - g) / delta
        };
        // In (-60, 300] degrees here; not `rem_euclid`, whose float remainder would bring libm's `fmod` (see `to_rgb`).
        let h = if h < 0.0 { h * 60.0 + 360.0 } else { h * 60.0 };
        let s = if l <= 0.5 { delta / (max + min) } else { delta / (2.0 - max - min) };
        Hsl { h, s: s * 100.0, l: l * 100.0 }
    }

    /// HSL lightness changed by `delta` percentage points (negative darkens), clamped to 0..=100.
    pub fn lighten(self, delta: f64) -> Self {
        let hsl = self.to_hsl();
        Hsl { l: (hsl.l + delta).clamp(0.0, 100.0), ..hsl }.to_rgb()
    }

    /// WCAG 2 relative luminance (0 = black, 1 = white).
    pub fn relative_luminance(self) -> f64 {
        fn linear(c: u8) -> f64 {
            let c = c as f64 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                pow_2_4((c + 0.055) / 1.055)
            }
        }
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }
}

/// `x^2.4` for `x` in (0, 1], to within a few units in the last place: `x² · (x^⅕)²`, the fifth root by Newton's method
/// from `x^¼` (square roots are one wasm instruction). Not `powf`: libm's `pow` is ~1.5 KB of wasm (~12 KB once
/// translated to JS) in the first screen's module, for this one exponent.
fn pow_2_4(x: f64) -> f64 {
    let mut root = x.sqrt().sqrt();
    for _ in 0..6 {
        let fourth = (root * root) * (root * root);
        root -= (root - x / fourth) / 5.0;
    }
    x * x * root * root
}

impl Hsl {
    pub fn to_rgb(self) -> Rgb {
        // The hue in turns, in [0, 1]. By `floor`, not `rem_euclid`: a float remainder brings libm's `fmod` (and its
        // 128-bit division, ~2 KB raw) into the first screen's module, which paints the theme.
        let turns = self.h / 360.0;
        let (h, s, l) = (turns - turns.floor(), self.s / 100.0, self.l / 100.0);
        let channel = |v: f64| (v * 255.0).round().clamp(0.0, 255.0) as u8;
        if s == 0.0 {
            let v = channel(l);
            return Rgb { r: v, g: v, b: v };
        }
        let t2 = if l < 0.5 { l * (1.0 + s) } else { l + s - l * s };
        let t1 = 2.0 * l - t2;
        let hue = |mut t: f64| {
            if t < 0.0 {
                t += 1.0;
            }
            if t > 1.0 {
                t -= 1.0;
            }
            if 6.0 * t < 1.0 {
                t1 + (t2 - t1) * 6.0 * t
            } else if 2.0 * t < 1.0 {
                t2
            } else if 3.0 * t < 2.0 {
                t1 + (t2 - t1) * (2.0 / 3.0 - t) * 6.0
            } else {
                t1
            }
        };
        Rgb { r: channel(hue(h + 1.0 / 3.0)), g: channel(hue(h)), b: channel(hue(h - 1.0 / 3.0)) }
    }
}

/// WCAG 2 contrast ratio (1..=21), order-independent.
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.relative_luminance(), b.relative_luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A text colour chosen for a background, with its contrast ratio against it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnColor {
    pub color: Rgb,
    pub ratio: f64,
}

impl OnColor {
    /// `#ffffff` or `#000000`.
    pub fn css(&self) -> &'static str {
        if self.color == WHITE {
            "#ffffff"
        } else {
            "#000000"
        }
    }

    /// Whether the pair meets WCAG AA for normal text (4.5:1).
    pub fn meets_aa(&self) -> bool {
        self.ratio >= 4.5
    }
}

/// White or black, whichever contrasts more with `bg` (white wins a tie).
pub fn on_color(bg: Rgb) -> OnColor {
    let (white, black) = (contrast_ratio(WHITE, bg), contrast_ratio(BLACK, bg));
    if white >= black {
        OnColor { color: WHITE, ratio: white }
    } else {
        OnColor { color: BLACK, ratio: black }
    }
}

/// The brand tones of one theme (docs/experience-api.md, Branding and custom content).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrandTones {
    pub default: Rgb,
    pub hover: Rgb,
    pub pressed: Rgb,
    pub loading: Rgb,
    /// The colour the three overlays are made of (at alpha .16 / .08 / .12).
    pub overlay: Rgb,
}

/// Overlay alphas: focused, hover, pressed.
pub const OVERLAY_ALPHAS: [u8; 3] = [16, 8, 12];

/// Logto's tones. An unparsable primary falls back to Logto's default; an unparsable or empty dark primary
/// counts as absent.
pub fn brand_tones(color: &Color, dark: bool) -> BrandTones {
    let primary = Rgb::parse(&color.primary_color).unwrap_or(DEFAULT_PRIMARY);
    if dark {
        let base = color.dark_primary_color.as_deref().and_then(Rgb::parse).unwrap_or_else(|| primary.lighten(10.0));
        BrandTones {
            default: base,
            hover: base.lighten(10.0),
            pressed: base.lighten(-10.0),
            loading: base.lighten(-10.0),
            overlay: base.lighten(30.0),
        }
    } else {
        BrandTones {
            default: primary,
            hover: primary.lighten(10.0),
            pressed: primary.lighten(-10.0),
            loading: primary.lighten(15.0),
            overlay: primary,
        }
    }
}

/// The custom properties to set for the brand in one theme, including `--color-on-brand`
/// (white or black, whichever reads better on the default tone).
pub fn brand_properties(color: &Color, dark: bool) -> Vec<(&'static str, String)> {
    let t = brand_tones(color, dark);
    let [focused, hover, pressed] = OVERLAY_ALPHAS;
    vec![
        ("--color-brand-default", t.default.to_hex()),
        ("--color-brand-hover", t.hover.to_hex()),
        ("--color-brand-pressed", t.pressed.to_hex()),
        ("--color-brand-loading", t.loading.to_hex()),
        ("--color-overlay-brand-focused", t.overlay.to_rgba(focused)),
        ("--color-overlay-brand-hover", t.overlay.to_rgba(hover)),
        ("--color-overlay-brand-pressed", t.overlay.to_rgba(pressed)),
        ("--color-on-brand", on_color(t.default).css().to_owned()),
    ]
}

fn present(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The header logo. Without dark mode enabled, always `logoUrl`. With it, the theme's own logo, or the
/// other one when only one is set. `dark` is the current theme; it only counts when dark mode is enabled.
pub fn logo_url(branding: &Branding, is_dark_mode_enabled: bool, dark: bool) -> Option<&str> {
    let (light, dark_logo) = (present(&branding.logo_url), present(&branding.dark_logo_url));
    match (is_dark_mode_enabled, dark) {
        (false, _) => light,
        (true, true) => dark_logo.or(light),
        (true, false) => light.or(dark_logo),
    }
}

/// The favicon: `favicon` in light, `darkFavicon` (falling back to `favicon`) in dark. `None` means the
/// page keeps its default icon.
pub fn favicon_url(branding: &Branding, is_dark_mode_enabled: bool, dark: bool) -> Option<&str> {
    let light = present(&branding.favicon);
    if is_dark_mode_enabled && dark {
        present(&branding.dark_favicon).or(light)
    } else {
        light
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(s: &str) -> Rgb {
        Rgb::parse(s).unwrap()
    }

    fn color(primary: &str, dark: Option<&str>) -> Color {
        Color { primary_color: primary.into(), is_dark_mode_enabled: true, dark_primary_color: dark.map(Into::into) }
    }

    #[test]
    fn parses_short_and_long_hex_in_any_case() {
        assert_eq!(Rgb::parse("#6139F6"), Some(Rgb { r: 0x61, g: 0x39, b: 0xf6 }));
        assert_eq!(Rgb::parse("#6139f6"), Rgb::parse("#6139F6"));
        assert_eq!(Rgb::parse(" #fA0 "), Some(Rgb { r: 0xff, g: 0xaa, b: 0x00 }));
        for bad in ["", "#", "6139F6", "#6139F", "#6139F6F", "#ggg", "#12345g", "red", "#+1+2+3", "#६१३"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        assert_eq!(rgb("#6139F6").to_hex(), "#6139f6");
        assert_eq!(rgb("#fff").to_rgba(16), "rgba(255, 255, 255, 0.16)");
        assert_eq!(rgb("#000").to_rgba(100), "rgba(0, 0, 0, 1.00)");
    }

    #[test]
    fn hsl_round_trips() {
        let hsl = rgb("#6139F6").to_hsl();
        assert!((hsl.h - 252.7).abs() < 0.05, "{hsl:?}");
        assert!((hsl.s - 91.30).abs() < 0.05, "{hsl:?}");
        assert!((hsl.l - 59.41).abs() < 0.05, "{hsl:?}");
        for c in ["#000000", "#ffffff", "#ff0000", "#00ff00", "#0000ff", "#6139f6", "#ffe066", "#808080", "#123456"] {
            assert_eq!(rgb(c).to_hsl().to_rgb().to_hex(), c);
        }
        assert_eq!(Hsl { h: 120.0, s: 100.0, l: 25.0 }.to_rgb().to_hex(), "#008000");
    }

    #[test]
    fn the_fifth_root_power_matches_powf_on_every_channel() {
        for c in 11..=255u8 {
            let x = (c as f64 / 255.0 + 0.055) / 1.055;
            let (ours, libm) = (pow_2_4(x), x.powf(2.4));
            assert!((ours - libm).abs() <= 4.0 * f64::EPSILON * libm, "{c}: {ours} vs {libm}");
        }
    }

    #[test]
    fn hues_outside_a_turn_wrap_around() {
        let at = |h: f64| Hsl { h, s: 80.0, l: 40.0 }.to_rgb();
        assert_eq!(at(-120.0), at(240.0));
        assert_eq!(at(480.0), at(120.0));
        assert_eq!(at(360.0), at(0.0));
        assert_eq!(at(-1e-12), at(0.0));
    }

    #[test]
    fn lighten_is_absolute_and_clamped() {
        // Values as the `color` package gives them (`absoluteLighten`/`absoluteDarken` in @logto/core-kit).
        assert_eq!(rgb("#6139F6").lighten(10.0).to_hex(), "#886af8");
        assert_eq!(rgb("#6139F6").lighten(-10.0).to_hex(), "#3c0bf1");
        assert_eq!(rgb("#6139F6").lighten(15.0).to_hex(), "#9b82f9");
        assert_eq!(rgb("#eeeeee").lighten(30.0).to_hex(), "#ffffff");
        assert_eq!(rgb("#111111").lighten(-30.0).to_hex(), "#000000");
    }

    #[test]
    fn light_tones_follow_logto() {
        let props = brand_properties(&color("#6139F6", None), false);
        let get = |k: &str| props.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str()).unwrap();
        assert_eq!(props.len(), 8);
        assert_eq!(get("--color-brand-default"), "#6139f6");
        assert_eq!(get("--color-brand-hover"), "#886af8");
        assert_eq!(get("--color-brand-pressed"), "#3c0bf1");
        assert_eq!(get("--color-brand-loading"), "#9b82f9");
        assert_eq!(get("--color-overlay-brand-focused"), "rgba(97, 57, 246, 0.16)");
        assert_eq!(get("--color-overlay-brand-hover"), "rgba(97, 57, 246, 0.08)");
        assert_eq!(get("--color-overlay-brand-pressed"), "rgba(97, 57, 246, 0.12)");
        assert_eq!(get("--color-on-brand"), "#ffffff");
    }

    #[test]
    fn dark_tones_use_dark_primary_or_lightened_primary() {
        let t = brand_tones(&color("#6139F6", None), true);
        assert_eq!(t.default.to_hex(), "#886af8"); // primary +10
        assert_eq!(t.hover, rgb("#886af8").lighten(10.0));
        assert_eq!(t.pressed.to_hex(), "#6139f6");
        assert_eq!(t.loading, t.pressed);
        assert_eq!(t.overlay, rgb("#886af8").lighten(30.0));

        let t = brand_tones(&color("#6139F6", Some("#7350F7")), true);
        assert_eq!(t.default.to_hex(), "#7350f7");
        assert_eq!(t.hover, rgb("#7350f7").lighten(10.0));
        assert_eq!(t.pressed, rgb("#7350f7").lighten(-10.0));
        let props = brand_properties(&color("#6139F6", Some("#7350F7")), true);
        let o = t.overlay;
        assert!(props.contains(&("--color-overlay-brand-hover", format!("rgba({}, {}, {}, 0.08)", o.r, o.g, o.b))));

        // An unusable dark colour counts as absent; an unusable primary falls back to Logto's default.
        assert_eq!(brand_tones(&color("#6139F6", Some("")), true).default.to_hex(), "#886af8");
        assert_eq!(brand_tones(&color("not a colour", None), false).default, DEFAULT_PRIMARY);
    }

    #[test]
    fn contrast_and_readable_text() {
        let white_on_brand = contrast_ratio(WHITE, rgb("#6139F6"));
        assert!((white_on_brand - 6.13).abs() < 0.01, "{white_on_brand}");
        assert!((contrast_ratio(BLACK, WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio(rgb("#777"), rgb("#777")) - 1.0).abs() < 1e-9);
        assert_eq!(contrast_ratio(rgb("#123"), rgb("#abc")), contrast_ratio(rgb("#abc"), rgb("#123")));

        let on = on_color(rgb("#6139F6"));
        assert_eq!(on.css(), "#ffffff");
        assert!(on.meets_aa());

        // A too-light brand gets dark text.
        let on = on_color(rgb("#FFE066"));
        assert_eq!(on.css(), "#000000");
        assert!(on.ratio > 15.0, "{}", on.ratio);
        let props = brand_properties(&color("#FFE066", None), false);
        assert!(props.contains(&("--color-on-brand", "#000000".into())));

        // Whichever is chosen is never worse than the other, and mid-grey still reaches 4.5:1 one way.
        for c in ["#000", "#fff", "#767676", "#777", "#0f0", "#f00", "#00f", "#ffe066", "#1e88e5"] {
            let on = on_color(rgb(c));
            let other = if on.color == WHITE { BLACK } else { WHITE };
            assert!(on.ratio >= contrast_ratio(other, rgb(c)));
            assert!(on.meets_aa(), "{c}");
        }
    }

    #[test]
    fn logo_fallbacks() {
        let both = Branding {
            logo_url: Some("light.svg".into()),
            dark_logo_url: Some("dark.svg".into()),
            ..Default::default()
        };
        assert_eq!(logo_url(&both, false, false), Some("light.svg"));
        assert_eq!(logo_url(&both, false, true), Some("light.svg"));
        assert_eq!(logo_url(&both, true, false), Some("light.svg"));
        assert_eq!(logo_url(&both, true, true), Some("dark.svg"));

        let light_only =
            Branding { logo_url: Some("light.svg".into()), dark_logo_url: Some(" ".into()), ..Default::default() };
        assert_eq!(logo_url(&light_only, true, true), Some("light.svg"));
        let dark_only = Branding { dark_logo_url: Some("dark.svg".into()), ..Default::default() };
        assert_eq!(logo_url(&dark_only, true, false), Some("dark.svg"));
        assert_eq!(logo_url(&dark_only, true, true), Some("dark.svg"));
        assert_eq!(logo_url(&dark_only, false, false), None);
        assert_eq!(logo_url(&Branding::default(), true, true), None);
    }

    #[test]
    fn favicon_fallbacks() {
        let both =
            Branding { favicon: Some("f.ico".into()), dark_favicon: Some("df.ico".into()), ..Default::default() };
        assert_eq!(favicon_url(&both, true, true), Some("df.ico"));
        assert_eq!(favicon_url(&both, true, false), Some("f.ico"));
        assert_eq!(favicon_url(&both, false, true), Some("f.ico"));
        let light_only = Branding { favicon: Some("f.ico".into()), ..Default::default() };
        assert_eq!(favicon_url(&light_only, true, true), Some("f.ico"));
        let dark_only = Branding { dark_favicon: Some("df.ico".into()), ..Default::default() };
        assert_eq!(favicon_url(&dark_only, true, false), None);
        assert_eq!(favicon_url(&dark_only, true, true), Some("df.ico"));
        assert_eq!(favicon_url(&Branding::default(), false, false), None);
    }
}
