//! Benchmark of uploading scanned pages: the station's sync (ask which files the district
//! lacks, decrypt each from the page vault, send it, record it) against plain HTTP requests
//! carrying the same bytes to the same kind of server, side by side in one run (goal: the
//! sync at ≥ 80 % of the plain throughput).
//!
//! `bash crates/yichuang-store/with-keyring.sh cargo run --release -p yichuang-sync --example bench_materials`
//! Options: `--files N[,M…]` (default 1000), sizes spread evenly from 200 KB to 5 MB;
//! `--runs R` (default 1): every file count is measured R times, the counts taking turns
//! (100, 1000, 100, 1000, …), and the medians per count are printed at the end.
//!
//! The files are valid JPEGs (a small picture padded with comment segments of random bytes to
//! the size wanted), so the station imports them as the scan desk would. The baseline sends
//! each file whole in one `PATCH` (offset 0) with reqwest to a fresh district, timing the
//! requests only; the sync (timed whole: rounds until every file is confirmed, decrypting
//! included) sends them to another fresh district. Both districts are the real server on 127.0.0.1:0 with
//! its SQLite store; each writes and fsyncs every file before answering.

use std::error::Error;
use std::io::Cursor;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use tokio::net::TcpListener;
use uuid::Uuid;
use yichuang_district::{DistrictConfig, DistrictServer};
use yichuang_store::{KeyringStore, StationPaths};
use yichuang_sync::protocol::v2::materials::{MATERIALS_PATH, UPLOAD_LENGTH, UPLOAD_OFFSET};
use yichuang_sync::testing::{demo_intake, provision_test_station};
use yichuang_sync::{ClientTimeouts, DistrictClient, DistrictEndpoint, SyncPolicy, sync_once};

type Res<T> = Result<T, Box<dyn Error>>;

const STATION: &str = "440111001";
const TOKEN: &str = "bench-materials-token";
const MIN_BYTES: usize = 200 * 1024;
const MAX_BYTES: usize = 5 * 1024 * 1024;
const PAGES_PER_CASE: usize = 10;

/// One measurement of `files` files: both halves timed, on fresh districts and a fresh station.
struct Measured {
    total_bytes: usize,
    plain: Duration,
    synced: Duration,
    bytes_sent: u64,
}

impl Measured {
    fn ratio(&self) -> f64 {
        self.plain.as_secs_f64() / self.synced.as_secs_f64()
    }
}

#[tokio::main]
async fn main() -> Res<()> {
    let Args {
        files: counts,
        runs,
    } = clap::Parser::parse();
    let runs = runs.max(1);
    let mut results: Vec<(usize, Vec<Measured>)> =
        counts.iter().map(|&n| (n, Vec::new())).collect();
    for run in 1..=runs {
        for (files, done) in &mut results {
            println!("run {run}/{runs}:");
            let m = measure(*files).await?;
            let mbps = |d: Duration| m.total_bytes as f64 / 1e6 / d.as_secs_f64();
            println!(
                "plain requests: {:.2} s, {:.0} MB/s\nstation sync:   {:.2} s, {:.0} MB/s ({} MB sent)",
                m.plain.as_secs_f64(),
                mbps(m.plain),
                m.synced.as_secs_f64(),
                mbps(m.synced),
                m.bytes_sent / 1_000_000
            );
            println!(
                "sync throughput / plain throughput: {:.2} (goal ≥ 0.80: {})",
                m.ratio(),
                if m.ratio() >= 0.8 { "met" } else { "NOT met" }
            );
            done.push(m);
        }
    }
    if runs > 1 {
        println!("\nmedians of {runs} runs (each column on its own):");
        for (files, done) in &results {
            let total = done[0].total_bytes as f64 / 1e6;
            let plain = median(done.iter().map(|m| m.plain.as_secs_f64()).collect());
            let synced = median(done.iter().map(|m| m.synced.as_secs_f64()).collect());
            let ratio = median(done.iter().map(Measured::ratio).collect());
            let each: Vec<String> = done.iter().map(|m| format!("{:.2}", m.ratio())).collect();
            println!(
                "{files} files ({total:.0} MB): plain {plain:.2} s, {:.0} MB/s; sync {synced:.2} s, \
                 {:.0} MB/s; sync / plain {ratio:.2} (runs {}; goal ≥ 0.80: {})",
                total / plain,
                total / synced,
                each.join(" / "),
                if ratio >= 0.8 { "met" } else { "NOT met" }
            );
        }
    }
    Ok(())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

async fn measure(files: usize) -> Res<Measured> {
    let dir = tempfile::tempdir()?;
    let sizes: Vec<usize> = (0..files)
        .map(|i| MIN_BYTES + (MAX_BYTES - MIN_BYTES) * i / (files - 1).max(1))
        .collect();
    let total: usize = sizes.iter().sum();
    println!(
        "{files} files, 200 KB to 5 MB, {:.0} MB in all",
        total as f64 / 1e6
    );

    // Baseline: the same bytes as plain requests, one file per request, to a fresh district.
    let base = district(&dir.path().join("district-a")).await?;
    let http = reqwest::Client::new();
    // Only the requests are timed: making and hashing each file is not the transfer's cost.
    let mut plain = Duration::ZERO;
    for (i, size) in sizes.iter().enumerate() {
        let bytes = jpeg(i as u64, *size)?;
        let sha = hex::encode(sha2::Digest::finalize(sha2::Digest::chain_update(
            <sha2::Sha256 as sha2::Digest>::new(),
            &bytes,
        )));
        let t = Instant::now();
        let resp = http
            .patch(format!("{}{MATERIALS_PATH}/{sha}", base.url()))
            .bearer_auth(TOKEN)
            .header(UPLOAD_OFFSET, 0)
            .header(UPLOAD_LENGTH, bytes.len())
            .body(bytes)
            .send()
            .await?;
        plain += t.elapsed();
        if resp.status() != reqwest::StatusCode::CREATED {
            return Err(format!("baseline upload answered {}", resp.status()).into());
        }
    }
    base.shutdown().await?;

    // The station: the same files scanned onto cases, then synced to another fresh district.
    let target = district(&dir.path().join("district-b")).await?;
    let paths = StationPaths::new(dir.path().join("station"));
    let keyring = KeyringStore::new(format!("yichuang-bench-materials-{}", Uuid::now_v7()));
    let mut store = provision_test_station(&paths, &keyring, STATION, &target.url(), TOKEN);
    let t = Instant::now();
    let mut case = Uuid::nil();
    for (i, size) in sizes.iter().enumerate() {
        if i % PAGES_PER_CASE == 0 {
            case = store
                .accept_case(demo_intake(i as u32), "同步测试窗口人员", Timestamp::now())?
                .id;
        }
        store.attach_page_bytes(
            case,
            "M01",
            &format!("扫描{i}.jpg"),
            jpeg(i as u64, *size)?,
            "bench",
        )?;
    }
    println!(
        "station scanned them in {:.1} s (untimed)",
        t.elapsed().as_secs_f64()
    );
    let db_id = paths.database_id()?;
    let store = Arc::new(Mutex::new(store));
    let client = DistrictClient::new(
        DistrictEndpoint {
            url: target.url(),
            token: TOKEN.into(),
            ca_pem: None,
        },
        ClientTimeouts {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(120),
        },
    )?;
    let policy = SyncPolicy::default();
    let t = Instant::now();
    let mut bytes_sent = 0u64;
    loop {
        let report = sync_once(&store, &client, &policy).await?;
        bytes_sent += report.material_bytes;
        if let Some(stop) = report.stop {
            return Err(format!("round stopped: {stop:?} {:?}", report.problem).into());
        }
        let (waiting, poisoned) = store.lock().map_err(|_| "lock")?.material_counts()?;
        if poisoned > 0 {
            return Err("a file was set apart".into());
        }
        if waiting == 0 {
            break;
        }
    }
    let synced = t.elapsed();
    target.shutdown().await?;
    drop(store);
    let _ = keyring.delete(&db_id);
    Ok(Measured {
        total_bytes: total,
        plain,
        synced,
        bytes_sent,
    })
}

/// Benchmark of uploading scanned pages: the station's sync against plain HTTP requests.
#[derive(clap::Parser)]
struct Args {
    /// Files to upload, sizes spread evenly from 200 KB to 5 MB; several counts separated by
    /// commas are measured in turn (at least 2 files each).
    #[arg(
        long,
        value_name = "N[,M…]",
        value_delimiter = ',',
        default_value = "1000",
        value_parser = file_count
    )]
    files: Vec<usize>,
    /// Times every file count is measured (at least 1); medians are printed when more than 1.
    #[arg(long, value_name = "R", default_value_t = 1)]
    runs: usize,
}

/// One count of `--files`: at least 2, so that the sizes can span 200 KB to 5 MB.
fn file_count(value: &str) -> Result<usize, std::num::ParseIntError> {
    value.trim().parse::<usize>().map(|n| n.max(2))
}

async fn district(dir: &std::path::Path) -> Res<DistrictServer> {
    std::fs::create_dir_all(dir)?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    Ok(DistrictServer::start(
        listener,
        DistrictConfig {
            db_path: dir.join("district.sqlite3"),
            region_code: "440111".into(),
            station_tokens: vec![(STATION.into(), TOKEN.into())],
            faults: None,
        },
    )
    .await?)
}

/// A valid JPEG of exactly `size` bytes (or a little more), different for every `seed`: a
/// 64×64 picture with comment segments of random bytes after its start marker.
fn jpeg(seed: u64, size: usize) -> Res<Vec<u8>> {
    let img = image::RgbImage::from_fn(64, 64, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 4) as u8, (seed % 251) as u8])
    });
    let mut small = Vec::new();
    img.write_to(&mut Cursor::new(&mut small), image::ImageFormat::Jpeg)?;
    let mut out = Vec::with_capacity(size + 70_000);
    out.extend_from_slice(&small[..2]); // SOI
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while out.len() + small.len() < size {
        let n = (size - out.len() - small.len()).clamp(16, 65_533);
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&((n + 2) as u16).to_be_bytes());
        for _ in 0..n {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            out.push(state as u8);
        }
    }
    out.extend_from_slice(&small[2..]);
    Ok(out)
}
