//! `yichuang-slip`: one acceptance slip as a whole process — start, load the font, render,
//! write — so its cost can be compared with a browser printing the same slip from HTML
//! (docs/BENCHMARKS.md, "Slips (issue 7)"). The input is what the station stores: the case,
//! its catalogue item, the station's name and the signed evaluation payload.

mod html;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use serde::{Deserialize, Serialize};
use yichuang_core::{Case, ServiceItem};
use yichuang_print::{AcceptanceSlip, BUNDLED_FALLBACK_FONT, SlipFont, render_acceptance_slip};

/// A case as the station would print it, in one JSON file.
#[derive(Debug, Serialize, Deserialize)]
pub struct SlipInput {
    pub case: Case,
    pub item: ServiceItem,
    pub station_name: String,
    /// The signed 好差评 URL (`EvaluationQr::to_payload`).
    pub evaluation_payload: String,
}

#[derive(Parser)]
#[command(
    name = "yichuang-slip",
    about = "一窗受理台 单张回执生成（基准测试与脚本用）"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render the 受理通知书 of INPUT as PDF.
    Render {
        input: PathBuf,
        #[arg(short, long)]
        out: PathBuf,
        /// The slip font (a static OpenType/TrueType file). The fallback font for the rare
        /// characters it lacks is read from the same folder, as the station has it.
        #[arg(long, default_value = "assets/fonts/NotoSansCJKsc-Regular.otf")]
        font: PathBuf,
    },
    /// Write the same slip as HTML (font by file URL, QR codes as inline SVG).
    Html {
        input: PathBuf,
        #[arg(short, long)]
        out: PathBuf,
        #[arg(long, default_value = "assets/fonts/NotoSansCJKsc-Regular.otf")]
        font: PathBuf,
    },
}

fn read_slip(input: &PathBuf) -> anyhow::Result<AcceptanceSlip> {
    let text =
        std::fs::read_to_string(input).with_context(|| format!("无法读取 {}", input.display()))?;
    let input: SlipInput = serde_json::from_str(&text)
        .with_context(|| format!("{} 不是有效的回执数据", input.display()))?;
    Ok(AcceptanceSlip::from_case(
        &input.case,
        &input.item,
        &input.station_name,
        input.evaluation_payload,
    ))
}

fn write(out: &PathBuf, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(out, bytes).with_context(|| format!("无法写入 {}", out.display()))
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Render { input, out, font } => {
            let slip = read_slip(&input)?;
            let fallback = std::path::Path::new(BUNDLED_FALLBACK_FONT)
                .file_name()
                .map(|name| font.with_file_name(name))
                .context("备用字体文件名无效")?;
            let font = SlipFont::from_path(&font)?.with_fallback_file(fallback)?;
            write(&out, &render_acceptance_slip(&slip, &font)?)
        }
        Command::Html { input, out, font } => {
            let slip = read_slip(&input)?;
            let font = std::path::absolute(&font)
                .with_context(|| format!("字体路径无效：{}", font.display()))?;
            write(&out, html::slip_html(&slip, &font)?.as_bytes())
        }
    }
}
