//! `yichuang-district`: runs the reference district server, e.g. for the demo launcher.
//!
//! `yichuang-district --listen 127.0.0.1:8741 --data DIR --station 440111001:demo-token
//! [--station CODE:TOKEN ...] [--region 440111]`

use std::path::PathBuf;

use anyhow::{Context, bail};
use tokio::net::TcpListener;
use yichuang_district::{DistrictConfig, serve_with_shutdown};

const USAGE: &str = "用法：yichuang-district --listen 127.0.0.1:端口 --data 数据目录 \
--station 站点编码:凭据 [--station ...] [--region 行政区划代码]";

struct Args {
    listen: String,
    data: PathBuf,
    region: Option<String>,
    stations: Vec<(String, String)>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> anyhow::Result<Args> {
    let mut listen = None;
    let mut data = None;
    let mut region = None;
    let mut stations = Vec::new();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .with_context(|| format!("{flag} 缺少取值\n{USAGE}"))
        };
        match flag.as_str() {
            "--listen" => listen = Some(value()?),
            "--data" => data = Some(PathBuf::from(value()?)),
            "--region" => region = Some(value()?),
            "--station" => {
                let v = value()?;
                let (code, token) = v
                    .split_once(':')
                    .with_context(|| format!("--station 应写作 站点编码:凭据\n{USAGE}"))?;
                stations.push((code.to_string(), token.to_string()));
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("不认识的参数 {other}\n{USAGE}"),
        }
    }
    Ok(Args {
        listen: listen.unwrap_or_else(|| "127.0.0.1:8741".into()),
        data: data.with_context(|| format!("缺少 --data\n{USAGE}"))?,
        region,
        stations,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = parse_args(std::env::args().skip(1))?;
    if args.stations.is_empty() {
        bail!("至少需要一个 --station 站点编码:凭据\n{USAGE}");
    }
    let region = match args.region {
        Some(r) => r,
        None => args.stations[0].0.chars().take(6).collect(),
    };
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("无法创建数据目录 {}", args.data.display()))?;
    let config = DistrictConfig {
        db_path: args.data.join("district.sqlite3"),
        region_code: region,
        station_tokens: args.stations,
        faults: None,
    };
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("无法监听 {}", args.listen))?;
    // The launcher reads this line to learn the address (the port may have been 0).
    println!("listening on http://{}", listener.local_addr()?);
    serve_with_shutdown(listener, config, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
