//! Station set-up, key recovery and the status line: the commands a hall manager runs first.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use yichuang_station::{ProvisionForm, Station, StationConfig};
use yichuang_store::{Store, StoreError, recover_key};

use crate::Ctx;

#[derive(Args)]
pub(crate) struct InitArgs {
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

pub(crate) fn init(ctx: &Ctx, args: InitArgs) -> anyhow::Result<ExitCode> {
    let mut parts = args.clerk.splitn(3, ':');
    let (Some(clerk_login), Some(clerk_name), Some(clerk_password)) =
        (parts.next(), parts.next(), parts.next())
    else {
        bail!("--clerk 的格式应为 工号:姓名:密码");
    };
    let form = ProvisionForm {
        station_code: args.station_code,
        station_name: args.station_name,
        counter: args.counter,
        region_code: args.region_code,
        district_url: args.district_url,
        district_token: args.district_token,
        recovery_passphrase: read_passphrase()?,
        clerk_login: clerk_login.into(),
        clerk_name: clerk_name.into(),
        clerk_password: clerk_password.into(),
    };
    let config = StationConfig {
        data_dir: ctx.data.clone(),
        keyring_service: ctx.keyring_service.clone(),
    };
    let station = Station::provision(&config, form)?;
    let info = station.info();
    println!(
        "站点已初始化：{}（{}）第 {} 号窗口，数据目录 {}",
        info.station_name,
        info.station_code,
        info.counter,
        ctx.data.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn recover(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    recover_key(&ctx.paths, &ctx.keyring, &read_passphrase()?)?;
    println!("数据库密钥已从恢复副本写回系统密钥环，可以重新打开一窗受理台。");
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn status(ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let store = Store::open(&ctx.paths, &ctx.keyring)?;
    let settings = store.settings()?;
    let (pending, quarantined) = store.outbox_counts()?;
    println!(
        "站点 {}（{}）",
        settings.station_name,
        settings.station_code.as_str()
    );
    println!("区级系统 {}", settings.district_url);
    match store.catalogue() {
        Ok(cat) => println!(
            "事项目录 版本 {}（{}），共 {} 项",
            cat.version,
            cat.region_code,
            cat.items.len()
        ),
        Err(StoreError::NoCatalogue) => println!("事项目录 尚未导入"),
        Err(e) => return Err(e.into()),
    }
    println!("待同步 {pending} 件，待处理 {quarantined} 件");
    Ok(ExitCode::SUCCESS)
}
