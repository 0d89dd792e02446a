//! `yichuang district …` and `yichuang sync …`: where the station reaches its district, its
//! enrollment (the device token goes to the OS keyring, never on a command line or a file),
//! and the quarantine a hall manager releases once the cause is fixed.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Subcommand;
use jiff::Timestamp;
use uuid::Uuid;
use yichuang_station::sync_admin::read_district_ca;
use yichuang_store::Store;
use yichuang_sync::protocol::v2::enroll::EnrollRequest;
use yichuang_sync::{ClientTimeouts, DistrictClient};

use crate::Ctx;

#[derive(Subcommand)]
pub(crate) enum DistrictCommand {
    /// Show the district address and whether this station is enrolled (the token is never shown).
    Show,
    /// Enroll this station with the one-time code the district officer issued; the device
    /// token the district returns is kept in the OS keyring.
    Enroll {
        /// The district's address (https, or http to this machine for the demo).
        #[arg(long)]
        url: String,
        /// The one-time enrollment code (接入码).
        #[arg(long)]
        code: String,
        /// A name telling this device apart on the district's health page, e.g. "2 号窗口".
        #[arg(long, default_value = "窗口终端")]
        device_name: String,
    },
    /// Change the district address only (the enrollment stays).
    SetUrl { url: String },
    /// Trust only this CA (a PEM file) for the district's https certificate; `--system` goes
    /// back to the system's roots.
    SetCa {
        #[arg(required_unless_present = "system")]
        pem_file: Option<std::path::PathBuf>,
        #[arg(long, conflicts_with = "pem_file")]
        system: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum SyncCommand {
    /// List the cases in quarantine with the reason each was refused.
    Quarantined,
    /// Put quarantined cases back into the queue after the cause was fixed (audited).
    Release {
        /// Why they can go again, e.g. "区级系统已更正站点编码" (required, audited).
        #[arg(long)]
        reason: String,
        /// Your login, recorded in the audit log.
        #[arg(long)]
        by: String,
        /// Release every quarantined case.
        #[arg(long, conflicts_with = "cases")]
        all: bool,
        /// Case ids to release.
        cases: Vec<Uuid>,
    },
}

pub(crate) fn run_district(ctx: &Ctx, action: DistrictCommand) -> anyhow::Result<ExitCode> {
    let mut store = Store::open(&ctx.paths, &ctx.keyring)?;
    match action {
        DistrictCommand::Show => {
            let settings = store.settings()?;
            println!("区级系统地址：{}", settings.district_url);
            let enrolled = store.device_token()?.is_some();
            println!(
                "接入登记：{}",
                if enrolled {
                    "已登记"
                } else {
                    "未登记（请用接入码登记）"
                }
            );
        }
        DistrictCommand::Enroll {
            url,
            code,
            device_name,
        } => {
            let settings = store.settings()?;
            let qr_key = store.qr_signing_key("cli")?;
            let request = EnrollRequest {
                code: code.trim().to_string(),
                station_code: settings.station_code.as_str().to_string(),
                device_name: device_name.trim().to_string(),
                app_version: env!("CARGO_PKG_VERSION").to_string(),
                qr_public_key: Some(qr_key.public_key().to_hex()),
            };
            // A pinned district CA is the only one trusted, for enrollment too.
            let client =
                DistrictClient::for_enrollment(&url, store.district_ca_pem()?, timeouts())?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("无法启动网络组件")?;
            let enrollment = match runtime.block_on(client.enroll(&request)) {
                Ok(e) => e,
                Err(failure) => bail!("登记未成功：{}", failure.message_zh()),
            };
            store.set_district(&url, Some(&enrollment.device_token), "cli")?;
            println!(
                "已登记到区级系统（{}，行政区划 {}）；凭据已存入系统钥匙串",
                enrollment.station_name, enrollment.region_code
            );
        }
        DistrictCommand::SetCa { pem_file, system } => match (pem_file, system) {
            (Some(file), false) => {
                // Refused here, not at the next sync, by the settings window's own check.
                let ca = read_district_ca(&file)?;
                store.set_district_ca(Some(&ca.pem), "cli")?;
                println!("已固定区级系统根证书：只信任该证书签发的区级系统");
                for fingerprint in &ca.fingerprints {
                    println!("SHA-256 {}", hex_upper(fingerprint));
                }
            }
            _ => {
                store.set_district_ca(None, "cli")?;
                println!("已改回使用系统的根证书");
            }
        },
        DistrictCommand::SetUrl { url } => {
            yichuang_sync::district_base_url(&url)?;
            store.set_district(&url, None, "cli")?;
            println!("区级系统地址已改为 {}", url.trim());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn run_sync(ctx: &Ctx, action: SyncCommand) -> anyhow::Result<ExitCode> {
    let mut store = Store::open(&ctx.paths, &ctx.keyring)?;
    match action {
        SyncCommand::Quarantined => {
            let (cases, unreadable) = store.quarantined_cases()?;
            if cases.is_empty() && unreadable.is_empty() {
                println!("没有被隔离的办件");
            }
            for q in &cases {
                println!("{}\t{}\t{}", q.case.id, q.case.case_no, q.reason);
            }
            for u in &unreadable {
                println!("{}\t（无法读取）\t{}", u.case_id, u.reason);
            }
        }
        SyncCommand::Release {
            reason,
            by,
            all,
            cases,
        } => {
            let ids: Vec<Uuid> = if all {
                store
                    .quarantined_cases()?
                    .0
                    .into_iter()
                    .map(|q| q.case.id)
                    .collect()
            } else if cases.is_empty() {
                bail!("请给出要解除隔离的办件标识，或用 --all 解除全部");
            } else {
                cases
            };
            let n = store.release_quarantined(&ids, &by, &reason, Timestamp::now())?;
            println!("已解除隔离 {n} 件，将在下一轮同步时重新上传");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A fingerprint as `openssl x509 -fingerprint` prints it, to compare with the district's.
fn hex_upper(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn timeouts() -> ClientTimeouts {
    ClientTimeouts {
        connect: Duration::from_secs(10),
        request: Duration::from_secs(30),
    }
}
