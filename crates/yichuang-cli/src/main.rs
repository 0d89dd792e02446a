//! `yichuang`: the administrator's command line over the station engine (set-up, key recovery,
//! queue status, catalogue import, audit check, district enrollment, sync quarantine), for hall
//! managers, scripts and the demo launcher.

mod audit_cmd;
mod catalogue_cmd;
mod district_cmd;
mod setup;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use yichuang_store::{KeyringStore, StationPaths};

#[derive(Parser)]
#[command(name = "yichuang", about = "一窗受理台 管理工具")]
struct Cli {
    /// Station data folder.
    #[arg(long, env = "YICHUANG_DATA_DIR")]
    data: PathBuf,
    /// Keyring service under which the database key is kept.
    #[arg(
        long,
        env = "YICHUANG_KEYRING_SERVICE",
        default_value = "yichuang-desk"
    )]
    keyring_service: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Set up a new station (database, key in the OS keyring, recovery copy, first clerk).
    /// The recovery passphrase is read from standard input.
    Init(setup::InitArgs),
    /// Put the database key back into the OS keyring from the recovery copy.
    /// The recovery passphrase is read from standard input.
    RecoverKey,
    /// Show the station, its catalogue version and its sync queue.
    Status,
    /// The service-item catalogue (事项目录).
    Catalogue {
        #[command(subcommand)]
        action: catalogue_cmd::CatalogueCommand,
    },
    /// The tamper-evident audit log (审计日志).
    Audit {
        #[command(subcommand)]
        action: audit_cmd::AuditCommand,
    },
    /// The district this station syncs with: address and enrollment (接入登记).
    District {
        #[command(subcommand)]
        action: district_cmd::DistrictCommand,
    },
    /// Sync quarantine (隔离的办件): list, release after the cause is fixed.
    Sync {
        #[command(subcommand)]
        action: district_cmd::SyncCommand,
    },
}

/// What every command needs to reach the station.
pub(crate) struct Ctx {
    pub data: PathBuf,
    pub keyring_service: String,
    pub paths: StationPaths,
    pub keyring: KeyringStore,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let ctx = Ctx {
        paths: StationPaths::new(cli.data.clone()),
        keyring: KeyringStore::new(&cli.keyring_service),
        data: cli.data,
        keyring_service: cli.keyring_service,
    };
    let outcome = match cli.command {
        Command::Init(args) => setup::init(&ctx, args),
        Command::RecoverKey => setup::recover(&ctx),
        Command::Status => setup::status(&ctx),
        Command::Catalogue { action } => catalogue_cmd::run(&ctx, action),
        Command::Audit { action } => audit_cmd::run(&ctx, action),
        Command::District { action } => district_cmd::run_district(&ctx, action),
        Command::Sync { action } => district_cmd::run_sync(&ctx, action),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e}");
            for cause in e.chain().skip(1) {
                eprintln!("  原因：{cause}");
            }
            ExitCode::FAILURE
        }
    }
}
