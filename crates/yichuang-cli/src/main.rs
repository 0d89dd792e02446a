//! `yichuang`: the administrator's command line over the station engine (set-up, key recovery,
//! queue status), for hall managers, scripts and the demo launcher.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use yichuang_station::{ProvisionForm, Station, StationConfig};
use yichuang_store::{KeyringStore, StationPaths, Store, recover_key};

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
    Init {
        #[arg(long)]
        station_code: String,
        #[arg(long)]
        station_name: String,
        #[arg(long, default_value_t = 1)]
        counter: u8,
        #[arg(long)]
        region_code: String,
        #[arg(long)]
        district_url: String,
        #[arg(long)]
        district_token: String,
        /// First clerk as login:display name:password.
        #[arg(long)]
        clerk: String,
    },
    /// Put the database key back into the OS keyring from the recovery copy.
    /// The recovery passphrase is read from standard input.
    RecoverKey,
    /// Show the station and its sync queue.
    Status,
}

fn read_passphrase() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("读取恢复口令失败")?;
    let s = s.trim_end_matches(['\r', '\n']).to_string();
    if s.is_empty() {
        bail!("请从标准输入提供恢复口令");
    }
    Ok(s)
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let config = StationConfig {
        data_dir: cli.data.clone(),
        keyring_service: cli.keyring_service.clone(),
    };
    let paths = StationPaths {
        data_dir: cli.data.clone(),
    };
    let keyring = KeyringStore::new(&cli.keyring_service);
    match cli.command {
        Command::Init {
            station_code,
            station_name,
            counter,
            region_code,
            district_url,
            district_token,
            clerk,
        } => {
            let mut parts = clerk.splitn(3, ':');
            let (Some(clerk_login), Some(clerk_name), Some(clerk_password)) =
                (parts.next(), parts.next(), parts.next())
            else {
                bail!("--clerk 的格式应为 工号:姓名:密码");
            };
            let form = ProvisionForm {
                station_code,
                station_name,
                counter,
                region_code,
                district_url,
                district_token,
                recovery_passphrase: read_passphrase()?,
                clerk_login: clerk_login.into(),
                clerk_name: clerk_name.into(),
                clerk_password: clerk_password.into(),
            };
            let station = Station::provision(&config, form)?;
            let info = station.info();
            println!(
                "站点已初始化：{}（{}）第 {} 号窗口，数据目录 {}",
                info.station_name,
                info.station_code,
                info.counter,
                cli.data.display()
            );
        }
        Command::RecoverKey => {
            recover_key(&paths, &keyring, &read_passphrase()?)?;
            println!("数据库密钥已从恢复副本写回系统密钥环，可以重新打开一窗受理台。");
        }
        Command::Status => {
            let store = Store::open(&paths, &keyring)?;
            let settings = store.settings()?;
            let (pending, quarantined) = store.outbox_counts()?;
            println!(
                "站点 {}（{}）",
                settings.station_name,
                settings.station_code.as_str()
            );
            println!("区级系统 {}", settings.district_url);
            println!("待同步 {pending} 件，待处理 {quarantined} 件");
        }
    }
    Ok(())
}
