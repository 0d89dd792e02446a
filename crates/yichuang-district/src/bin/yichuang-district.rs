//! `yichuang-district`: runs the reference district server (the default, `serve`) and the
//! district officer's tools on its data directory.
//!
//! `yichuang-district --listen 127.0.0.1:8741 --data DIR --station 440111001:demo-token`
//! `yichuang-district enroll-code --data DIR --station 440111001 --station-name 某某站`
//! `yichuang-district publish catalogue FILE --data DIR`, `case-status`, `stations`.
//! `--evaluation-codes FILE` maps 好差评 levels and channels to the province's codes.
//! `--tls-cert FILE --tls-key FILE` (PEM, both or neither) serves HTTPS instead of HTTP.
//! With `--postgres URL` (or `YICHUANG_DISTRICT_PG`) the records live on a PostgreSQL server;
//! material files stay under `--data`. `?sslmode=require` in the URL encrypts the connection
//! and verifies the server against the platform's roots, or only `--pg-ca FILE`
//! (`YICHUANG_DISTRICT_PG_CA`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use tokio::net::{TcpListener, TcpSocket};
use uuid::Uuid;
use yichuang_district::server_tools::register_station_tokens;
use yichuang_district::store::PgOptions;
use yichuang_district::{
    DistrictServer, DistrictStore, EvaluationCodes, Settings, TlsIdentity, officer,
};
use yichuang_sync::protocol::v2::downloads::ReferenceKind;

/// 一窗受理台 区级系统（参考实现）与区级管理员工具
#[derive(Parser)]
#[command(
    name = "yichuang-district",
    version,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// 不写子命令时即 serve
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// 运行区级系统（默认）
    Serve(ServeArgs),
    /// 为站点签发一次性注册码
    EnrollCode {
        #[command(flatten)]
        data: DataArg,
        /// 站点编码
        #[arg(long)]
        station: String,
        /// 站点名称
        #[arg(long)]
        station_name: String,
        /// 有效小时数
        #[arg(long, default_value_t = 72)]
        valid_hours: u32,
    },
    /// 发布参考数据（事项目录、节假日日历、信用名单、窗口人员账号）的新版本
    Publish {
        #[command(flatten)]
        data: DataArg,
        /// catalogue、calendar、credit-list 或 clerks
        #[arg(value_parser = parse_kind)]
        kind: ReferenceKind,
        /// JSON 文件
        file: PathBuf,
    },
    /// 登记办件的办理状态（审批中、办结、不予许可、待领取、已寄出）
    CaseStatus {
        #[command(flatten)]
        data: DataArg,
        case_id: Uuid,
        /// reviewing/approved/denied/ready_for_pickup/mailed 或中文名称
        status: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        courier: Option<String>,
        #[arg(long)]
        tracking_no: Option<String>,
    },
    /// 列出各站点设备的健康状况
    Stations {
        #[command(flatten)]
        data: DataArg,
    },
}

#[derive(Args)]
struct DataArg {
    /// 数据目录（区级 SQLite 数据库与材料文件）
    #[arg(long, required_unless_present = "postgres")]
    data: Option<PathBuf>,
    #[command(flatten)]
    pg: PgArgs,
}

#[derive(Args)]
struct PgArgs {
    /// PostgreSQL 数据库地址 postgres://用户:口令@主机:端口/库名（口令宜经环境变量传入）；
    /// 给出时办件、站点等数据存入该数据库，不再使用数据目录中的 SQLite 文件
    #[arg(long, env = "YICHUANG_DISTRICT_PG", hide_env_values = true)]
    postgres: Option<String>,
    /// 与 PostgreSQL 保持的连接数
    #[arg(long, default_value_t = 16)]
    pg_pool: usize,
    /// 签发 PostgreSQL 服务器证书的 CA 证书文件（PEM）；给出时只信任它，不用本机根证书。
    /// 需在数据库地址中写 sslmode=require
    #[arg(long, value_name = "FILE", env = "YICHUANG_DISTRICT_PG_CA")]
    pg_ca: Option<PathBuf>,
}

impl PgArgs {
    async fn open(&self, data: Option<&Path>) -> anyhow::Result<Arc<dyn DistrictStore>> {
        if self.postgres.is_none()
            && let Some(data) = data
        {
            std::fs::create_dir_all(data)
                .with_context(|| format!("无法创建数据目录 {}", data.display()))?;
        }
        let pool = PgOptions {
            max_connections: self.pg_pool,
            ca_file: self.pg_ca.clone(),
            ..PgOptions::default()
        };
        Ok(officer::open_store(data, self.postgres.as_deref(), pool).await?)
    }
}

#[derive(Args)]
struct ServeArgs {
    /// 监听地址
    #[arg(long, default_value = "127.0.0.1:8741")]
    listen: String,
    /// 数据目录（材料文件；不用 PostgreSQL 时还有区级 SQLite 数据库）
    #[arg(long)]
    data: Option<PathBuf>,
    #[command(flatten)]
    pg: PgArgs,
    /// 同时处理的请求数上限，超出的请求答复“繁忙”（城市级部署按站点数调高）
    #[arg(long, default_value_t = 64)]
    max_concurrent: usize,
    /// 预先登记的设备凭据：站点编码:凭据（演示与测试用）
    #[arg(long = "station", value_name = "CODE:TOKEN", value_parser = parse_station)]
    stations: Vec<(String, String)>,
    /// 行政区划代码（默认取第一个站点编码的前 6 位）
    #[arg(long)]
    region: Option<String>,
    /// 管理页 /admin 的口令文件
    #[arg(long)]
    admin_token_file: Option<PathBuf>,
    /// 好差评代码对照文件（JSON：评价等级与渠道对照为省级代码；默认见
    /// crates/yichuang-district/config/evaluation-codes.json）
    #[arg(long)]
    evaluation_codes: Option<PathBuf>,
    /// HTTPS 证书链文件（PEM：本服务器证书在前，可附中间证书）；与 --tls-key 一同给出时
    /// 以 HTTPS 提供服务，站点可固定签发它的根证书
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// HTTPS 私钥文件（PEM），与 --tls-cert 一同给出
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

fn parse_station(s: &str) -> Result<(String, String), String> {
    s.split_once(':')
        .map(|(c, t)| (c.to_string(), t.to_string()))
        .ok_or_else(|| "应写作 站点编码:凭据".to_string())
}

fn parse_kind(s: &str) -> Result<ReferenceKind, String> {
    ReferenceKind::from_path_segment(s)
        .ok_or_else(|| "应为 catalogue、calendar、credit-list 或 clerks".to_string())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::EnrollCode {
            data,
            station,
            station_name,
            valid_hours,
        }) => {
            let store = data.pg.open(data.data.as_deref()).await?;
            let (code, expires) =
                officer::issue_enroll_code(&*store, &station, &station_name, valid_hours).await?;
            println!("{code}");
            eprintln!(
                "站点 {station} 的一次性注册码，有效至 {}",
                yichuang_core::time::format_minute(expires)
            );
            Ok(())
        }
        Some(Command::Publish { data, kind, file }) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("无法读取 {}", file.display()))?;
            let store = data.pg.open(data.data.as_deref()).await?;
            let version = officer::publish(&*store, kind, &text).await?;
            println!("已发布{}版本 {version}", kind.label());
            Ok(())
        }
        Some(Command::CaseStatus {
            data,
            case_id,
            status,
            note,
            courier,
            tracking_no,
        }) => {
            let Some(status) = officer::parse_status(&status) else {
                bail!("不认识的办理状态“{status}”");
            };
            let store = data.pg.open(data.data.as_deref()).await?;
            let change =
                officer::set_case_status(&*store, case_id, status, note, courier, tracking_no)
                    .await?;
            println!(
                "{} 已登记为“{}”（序号 {}）",
                change.official_case_no,
                status.label(),
                change.seq
            );
            Ok(())
        }
        Some(Command::Stations { data }) => {
            let store = data.pg.open(data.data.as_deref()).await?;
            print!("{}", officer::stations_table(&store.device_health().await?));
            Ok(())
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let Some(data) = args.data else {
        bail!("缺少 --data 数据目录");
    };
    // Read before anything opens: a wrong file is told at once, naming it.
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsIdentity::from_pem_files(cert, key)?),
        _ => None,
    };
    let region = match args.region {
        Some(r) => r,
        None => match args.stations.first() {
            Some((code, _)) => code.chars().take(6).collect(),
            None => bail!("缺少 --region 行政区划代码（或至少一个 --station）"),
        },
    };
    let store = args.pg.open(Some(&data)).await?;
    register_station_tokens(&*store, &args.stations).await?;
    let mut settings = Settings::new(region, data);
    settings.max_concurrent = args.max_concurrent;
    if let Some(file) = &args.evaluation_codes {
        settings.evaluation_codes = EvaluationCodes::from_file(file)?;
        tracing::info!("evaluation codes read from the given file");
    }
    tracing::info!(
        store = if args.pg.postgres.is_some() {
            "postgres"
        } else {
            "sqlite"
        },
        max_concurrent = settings.max_concurrent,
        "district store open"
    );
    if let Some(file) = args.admin_token_file {
        let token = std::fs::read_to_string(&file)
            .with_context(|| format!("无法读取管理口令文件 {}", file.display()))?;
        let token = token.trim().to_string();
        if token.len() < 16 {
            bail!("管理口令至少 16 个字符");
        }
        settings.admin_token = Some(token);
    }
    let listener = bind(&args.listen)
        .await
        .with_context(|| format!("无法监听 {}", args.listen))?;
    let server = match tls {
        Some(tls) => DistrictServer::start_with_tls(listener, settings, store, tls).await?,
        None => DistrictServer::start_with(listener, settings, store).await?,
    };
    // The launcher reads this line to learn the address (the port may have been 0).
    println!("listening on {}", server.url());
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown().await?;
    Ok(())
}

/// Connections the kernel holds for us before they are accepted. tokio's `bind` asks for
/// 128, which a district with hundreds of stations connecting at once overflows (measured:
/// connections reset under 500 at once); the kernel caps this at `net.core.somaxconn`.
const LISTEN_BACKLOG: u32 = 4096;

async fn bind(listen: &str) -> anyhow::Result<TcpListener> {
    let mut last = None;
    for addr in tokio::net::lookup_host(listen).await? {
        let socket = if addr.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        socket.set_reuseaddr(true)?;
        match socket.bind(addr) {
            Ok(()) => return Ok(socket.listen(LISTEN_BACKLOG)?),
            Err(e) => last = Some(e),
        }
    }
    Err(last.map_or_else(|| anyhow::anyhow!("地址无法解析"), anyhow::Error::from))
}
