//! `zhixing screenshots`: the real views, drawn on the demo store into a
//! test backend, written as SVG (one text element per cell, so double-width
//! Han characters stay aligned) and turned into PNG by rsvg-convert.

use anyhow::Context;
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write;
use std::path::Path;
use zhixing::demo::DemoOptions;
use zhixing::tui::driver::{Driver, tour};

const CELL_W: u32 = 10;
const CELL_H: u32 = 20;
const BG: &str = "#1b1f27";
const FG: &str = "#d8dee9";

/// The date the screenshots show, so they do not change every day.
pub const SCREENSHOT_DATE: (i32, u32, u32) = (2026, 11, 27);

pub fn render_all(out: &Path, _today: NaiveDate) -> anyhow::Result<()> {
    std::fs::create_dir_all(out)?;
    let (y, m, d) = SCREENSHOT_DATE;
    let as_of = NaiveDate::from_ymd_opt(y, m, d).context("screenshot date")?;
    let dir = tempfile::tempdir()?;
    let store = crate::commands::build_demo(
        &dir.path().join("demo.db"),
        DemoOptions {
            subjects: 2000,
            seed: 1,
            as_of,
        },
    )?;
    let mut driver = Driver::new(store, as_of);
    let mut shots: Vec<(String, Buffer)> = vec![("list-80x24".into(), driver.render(80, 24))];
    tour(&mut driver, |name, d| {
        shots.push((name.to_string(), d.render(120, 36)))
    });
    let converter = which("rsvg-convert");
    for (name, buffer) in &shots {
        let svg_path = out.join(format!("{name}.svg"));
        std::fs::write(&svg_path, to_svg(buffer))?;
        if let Some(rsvg) = &converter {
            let png = out.join(format!("{name}.png"));
            let status = std::process::Command::new(rsvg)
                .arg("-o")
                .arg(&png)
                .arg(&svg_path)
                .status()?;
            anyhow::ensure!(
                status.success(),
                "rsvg-convert failed on {}",
                svg_path.display()
            );
            std::fs::remove_file(&svg_path)?;
        }
        eprintln!("wrote {}", out.join(name).display());
    }
    if converter.is_none() {
        eprintln!("rsvg-convert not found (apt-get install librsvg2-bin): left SVG files only");
    }
    Ok(())
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(program))
        .find(|p| p.is_file())
}

pub fn to_svg(buffer: &Buffer) -> String {
    let (w, h) = (u32::from(buffer.area.width), u32::from(buffer.area.height));
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"WenQuanYi Zen Hei Mono, WenQuanYi Micro Hei Mono, DejaVu Sans Mono, monospace\" font-size=\"16\">\n<rect width=\"100%\" height=\"100%\" fill=\"{BG}\"/>\n",
        w * CELL_W,
        h * CELL_H
    );
    for y in 0..buffer.area.height {
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buffer[(x, y)];
            let symbol = cell.symbol();
            let cells = unicode_width::UnicodeWidthStr::width(symbol).max(1) as u32;
            skip = cells - 1;
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (color(cell.fg, FG), color(cell.bg, BG));
            if reversed {
                std::mem::swap(&mut fg, &mut bg);
            }
            let (px, py) = (u32::from(x) * CELL_W, u32::from(y) * CELL_H);
            if bg != BG {
                let _ = writeln!(
                    svg,
                    "<rect x=\"{px}\" y=\"{py}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{bg}\"/>",
                    cells * CELL_W
                );
            }
            if symbol.trim().is_empty() {
                continue;
            }
            let weight = if cell.modifier.contains(Modifier::BOLD) {
                " font-weight=\"bold\""
            } else {
                ""
            };
            let underline = if cell.modifier.contains(Modifier::UNDERLINED) {
                " text-decoration=\"underline\""
            } else {
                ""
            };
            let _ = writeln!(
                svg,
                "<text x=\"{px}\" y=\"{}\" fill=\"{fg}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"{weight}{underline}>{}</text>",
                py + 15,
                cells * CELL_W,
                escape(symbol)
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn color(c: Color, default: &str) -> String {
    let named = |s: &str| s.to_string();
    match c {
        Color::Reset => default.to_string(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Black => named("#1b1f27"),
        Color::Red => named("#d0473d"),
        Color::Green => named("#7fbf6a"),
        Color::Yellow => named("#e5c07b"),
        Color::Blue => named("#61afef"),
        Color::Magenta => named("#c678dd"),
        Color::Cyan => named("#56b6c2"),
        Color::Gray => named("#9aa3b2"),
        Color::DarkGray => named("#5c6370"),
        Color::White => named("#ffffff"),
        _ => default.to_string(),
    }
}
