//! `yichuang catalogue import FILE`: loads a district catalogue file on a station set up
//! offline, importing the good items and listing every refused row with what to fix.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use yichuang_core::{CatalogueFileError, ImportReport, RefusedRow, import_catalogue_json};
use yichuang_store::Store;

use crate::Ctx;

/// Exit code when some rows were refused and the others imported.
const PARTIAL: u8 = 2;

#[derive(Subcommand)]
pub(crate) enum CatalogueCommand {
    /// Import a catalogue file (JSON) from the district: good items become the station's
    /// current catalogue, refused rows are listed with their reasons.
    ///
    /// Exit codes: 0 every item imported; 2 some rows refused, the other items imported
    /// (the refused ones are listed); 1 error, nothing imported (unreadable file, every row
    /// refused, or the station cannot be opened).
    Import {
        /// The catalogue file, shaped like assets/demo/catalogue.json.
        file: PathBuf,
    },
}

pub(crate) fn run(ctx: &Ctx, action: CatalogueCommand) -> anyhow::Result<ExitCode> {
    match action {
        CatalogueCommand::Import { file } => import(ctx, &file),
    }
}

fn import(ctx: &Ctx, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let mut store = Store::open(&ctx.paths, &ctx.keyring)?;
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("读取目录文件 {} 失败", file.display()))?;
    let report = match import_catalogue_json(&text) {
        Ok(report) => report,
        Err(e @ CatalogueFileError::AllRefused { .. }) => {
            print_refused(e.refused_rows());
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    println!("{}", report.summary());
    print_refused(&report.refused);
    warn_other_region(&store, &report)?;
    store
        .import_catalogue(&report.catalogue)
        .context("事项目录未能写入站点数据库，原目录未作改动")?;
    println!(
        "已导入事项目录 版本 {}（{}），{} 项",
        report.catalogue.version,
        report.catalogue.region_code,
        report.catalogue.items.len()
    );
    if report.refused.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "有 {} 项被拒收，未导入；请按上列原因修正目录文件后重新导入（退出码 {PARTIAL}）",
        report.refused.len()
    );
    Ok(ExitCode::from(PARTIAL))
}

fn print_refused(rows: &[RefusedRow]) {
    if rows.is_empty() {
        return;
    }
    println!("拒收的事项：");
    for row in rows {
        println!(
            "第 {} 行  实施编码 {}  事项名称 {}",
            row.index,
            row.item_code.as_deref().unwrap_or("（无）"),
            row.name.as_deref().unwrap_or("（无）")
        );
        for reason in &row.reasons {
            println!("    - {reason}");
        }
    }
}

/// A file for another district is imported all the same (the district is the authority),
/// but the administrator is told.
fn warn_other_region(store: &Store, report: &ImportReport) -> anyhow::Result<()> {
    let settings = store.settings()?;
    if settings.region_code != report.catalogue.region_code {
        eprintln!(
            "注意：目录文件的行政区划代码 {} 与本站点的 {} 不同，请确认拿到的是本区的目录",
            report.catalogue.region_code, settings.region_code
        );
    }
    Ok(())
}
