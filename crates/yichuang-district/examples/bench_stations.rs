//! Benchmark: many stations uploading at once to the real district (HTTP on 127.0.0.1), on
//! PostgreSQL and, as the baseline of the same run, on SQLite.
//!
//! `YICHUANG_TEST_PG_URL=postgres://… cargo run --release -p yichuang-district --example
//! bench_stations -- [--stations 500] [--batches 4] [--records 50] [--runs 3] [--pg-pool 32]`
//!
//! Each run gets a fresh database (PostgreSQL: a new database, dropped afterwards; SQLite: a
//! temp dir). Every station has its own device token and its own HTTP client; all start at
//! once and send their batches one after another. The run fails unless every request was
//! answered 200, every record `Stored` (not a duplicate) and the official numbers of the year
//! are unique and gapless.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use tokio::net::TcpSocket;
use tokio::sync::Barrier;
use yichuang_district::secrets::SecretHash;
use yichuang_district::store::{
    PgOptions, PgStore, SqliteStore, create_database, drop_database, parse_url,
};
use yichuang_district::{DistrictServer, DistrictStore, Settings};
use yichuang_sync::protocol::v2::cases::{
    BatchAnswer, CASES_BATCH_PATH, CaseBatch, CaseRecord, RecordResult,
};
use yichuang_sync::protocol::v2::materials::MaterialRef;
use yichuang_sync::testing::sample_submission;

const REGION: &str = "440111";

#[derive(Debug, Clone, Copy)]
struct Load {
    stations: u32,
    batches: u32,
    records: u32,
    pg_pool: usize,
}

/// What one run measured.
#[derive(Debug, Clone)]
struct Figures {
    records: usize,
    seconds: f64,
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
}

impl Figures {
    fn per_second(&self) -> f64 {
        self.records as f64 / self.seconds
    }
}

/// Many stations uploading at once to the district, on PostgreSQL and on SQLite.
#[derive(clap::Parser)]
struct Args {
    /// Stations uploading at once (at most 900: three-digit station codes).
    #[arg(long, default_value_t = 500)]
    stations: u32,
    /// Batches each station sends, one after another.
    #[arg(long, default_value_t = 4)]
    batches: u32,
    /// Records in each batch.
    #[arg(long, default_value_t = 50)]
    records: u32,
    /// Runs on each database (PostgreSQL, then SQLite, taking turns); medians are printed.
    #[arg(long, default_value_t = 3)]
    runs: u32,
    /// Connections in the district's PostgreSQL pool.
    #[arg(long, default_value_t = 32)]
    pg_pool: usize,
}

/// Station `n`'s code: the region, then three digits (100…999 cover 900 stations).
fn station_code(n: u32) -> String {
    format!("{REGION}{:03}", 100 + n)
}

fn record(station: &str, serial: u32) -> CaseRecord {
    let submission = sample_submission(station, serial);
    let material = |code: &str, position: u32| MaterialRef {
        material_code: code.into(),
        position,
        sha256: format!("{:064x}", u128::from(serial) * 7919 + u128::from(position)),
        bytes: 180_000 + u64::from(serial % 97) * 1000,
        kind: "jpeg".into(),
    };
    CaseRecord {
        submission,
        revision: 1,
        clock_offset_ms: Some(-850),
        materials: vec![material("M01", 1), material("M01", 2), material("M02", 1)],
    }
}

/// One station: its batches one after another; returns each batch's latency and the
/// official numbers it was given. Any failed request, non-200 answer or record not newly
/// stored is an error.
async fn station(
    url: String,
    token: String,
    batches: Vec<Vec<CaseRecord>>,
    start: Arc<Barrier>,
) -> anyhow::Result<(Vec<Duration>, Vec<String>)> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(300))
        .build()?;
    let (mut latencies, mut numbers) = (Vec::new(), Vec::new());
    start.wait().await;
    for records in batches {
        let sent = records.len();
        let began = Instant::now();
        let resp = http
            .post(format!("{url}{CASES_BATCH_PATH}"))
            .bearer_auth(&token)
            .json(&CaseBatch { records })
            .send()
            .await
            .context("connection error")?;
        let status = resp.status();
        ensure!(status == reqwest::StatusCode::OK, "answer {status}");
        let answer: BatchAnswer = resp.json().await.context("unreadable answer")?;
        latencies.push(began.elapsed());
        ensure!(
            answer.results.len() == sent,
            "{} results",
            answer.results.len()
        );
        for result in answer.results {
            match result {
                RecordResult::Stored {
                    official_case_no,
                    duplicate: false,
                    ..
                } => numbers.push(official_case_no),
                other => bail!("not stored as new: {other:?}"),
            }
        }
    }
    Ok((latencies, numbers))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Serves `store` and sends the whole load through HTTP.
async fn run(
    store: Arc<dyn DistrictStore>,
    data: &std::path::Path,
    load: Load,
) -> anyhow::Result<Figures> {
    let mut tokens = Vec::new();
    for n in 0..load.stations {
        let token = format!("bench-token-{n}-{}", uuid::Uuid::now_v7().simple());
        store
            .register_device(
                &station_code(n),
                "基准测试窗口",
                &SecretHash::of(&token),
                None,
                jiff::Timestamp::now(),
            )
            .await?;
        tokens.push(token);
    }
    let mut settings = Settings::new(REGION, data);
    // A city's district serves every station at once instead of shedding most of them.
    settings.max_concurrent = usize::try_from(load.stations)? + 64;
    settings.request_timeout = Duration::from_secs(300);
    // As `yichuang-district serve` does: room for every station's connection in the
    // kernel's accept queue (tokio's `bind` asks for 128).
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind("127.0.0.1:0".parse()?)?;
    let listener = socket.listen(4096)?;
    let server = DistrictServer::start_with(listener, settings, Arc::clone(&store)).await?;
    let start = Arc::new(Barrier::new(usize::try_from(load.stations)? + 1));
    let mut tasks = Vec::new();
    for (n, token) in (0..load.stations).zip(tokens) {
        let code = station_code(n);
        let batches = (0..load.batches)
            .map(|b| {
                (0..load.records)
                    .map(|r| record(&code, b * load.records + r))
                    .collect()
            })
            .collect();
        tasks.push(tokio::spawn(station(
            server.url(),
            token,
            batches,
            Arc::clone(&start),
        )));
    }
    start.wait().await;
    let began = Instant::now();
    let (mut latencies, mut numbers, mut failures) = (Vec::new(), Vec::new(), Vec::new());
    for task in tasks {
        match task.await? {
            Ok((l, n)) => {
                latencies.extend(l);
                numbers.extend(n);
            }
            Err(e) => failures.push(format!("{e:#}")),
        }
    }
    let seconds = began.elapsed().as_secs_f64();
    server.shutdown().await?;
    if !failures.is_empty() {
        let first: BTreeSet<&String> = failures.iter().take(5).collect();
        bail!(
            "{} of {} stations failed: {first:?}",
            failures.len(),
            load.stations
        );
    }
    let expected = usize::try_from(load.stations * load.batches * load.records)?;
    ensure!(
        numbers.len() == expected,
        "{} numbers for {expected} records",
        numbers.len()
    );
    let serials: BTreeSet<u64> = numbers
        .iter()
        .map(|n| n.rsplit('-').next().unwrap_or("").parse::<u64>())
        .collect::<Result<_, _>>()?;
    let years: BTreeSet<&str> = numbers.iter().filter_map(|n| n.split('-').nth(1)).collect();
    ensure!(
        years.len() == 1,
        "the run crossed New Year in China: {years:?}, run it again"
    );
    ensure!(
        serials.len() == expected,
        "an official number was handed out twice"
    );
    ensure!(
        serials.first() == Some(&1) && serials.last() == Some(&(expected as u64)),
        "official numbers have a gap"
    );
    let mut stored = 0;
    for n in 0..load.stations {
        stored += store.count_cases(&station_code(n)).await?;
    }
    ensure!(stored == expected as u64, "the store holds {stored} cases");
    latencies.sort();
    Ok(Figures {
        records: expected,
        seconds,
        p50_ms: percentile(&latencies, 0.50),
        p95_ms: percentile(&latencies, 0.95),
        max_ms: percentile(&latencies, 1.0),
    })
}

async fn on_postgres(admin_url: &str, load: Load) -> anyhow::Result<Figures> {
    let admin = parse_url(admin_url)?;
    let name = format!("yc_bench_{}", uuid::Uuid::now_v7().simple());
    let config = create_database(&admin, &name).await?;
    let dir = tempfile::tempdir()?;
    let options = PgOptions {
        max_connections: load.pg_pool,
        wait_timeout: Duration::from_secs(60),
        ..PgOptions::default()
    };
    let result = async {
        let store = PgStore::connect_with(config, options).await?;
        run(Arc::new(store), dir.path(), load).await
    }
    .await;
    drop_database(&admin, &name).await?;
    result
}

async fn on_sqlite(load: Load) -> anyhow::Result<Figures> {
    let dir = tempfile::tempdir()?;
    let store = SqliteStore::open(&dir.path().join("district.sqlite3"))?;
    run(Arc::new(store), dir.path(), load).await
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn report(name: &str, runs: &[Figures]) {
    for (i, f) in runs.iter().enumerate() {
        println!(
            "{name} run {}: {} records in {:.2} s = {:.0} records/s; batch p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
            i + 1,
            f.records,
            f.seconds,
            f.per_second(),
            f.p50_ms,
            f.p95_ms,
            f.max_ms
        );
    }
    println!(
        "{name} median of {}: {:.0} records/s; batch p50 {:.0} ms, p95 {:.0} ms",
        runs.len(),
        median(runs.iter().map(Figures::per_second).collect()),
        median(runs.iter().map(|f| f.p50_ms).collect()),
        median(runs.iter().map(|f| f.p95_ms).collect()),
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Args {
        stations,
        batches,
        records,
        runs,
        pg_pool,
    } = clap::Parser::parse();
    let load = Load {
        stations,
        batches,
        records,
        pg_pool,
    };
    ensure!(
        load.stations <= 900,
        "at most 900 stations (three-digit station codes)"
    );
    let url = std::env::var("YICHUANG_TEST_PG_URL")
        .context("YICHUANG_TEST_PG_URL (a PostgreSQL role that may create databases) is not set")?;
    println!(
        "{} stations at once, {} batches of {} records each, PostgreSQL pool {}",
        load.stations, load.batches, load.records, load.pg_pool
    );
    let (mut pg, mut lite) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        pg.push(on_postgres(&url, load).await.context("PostgreSQL run")?);
        lite.push(on_sqlite(load).await.context("SQLite run")?);
    }
    report("PostgreSQL", &pg);
    report("SQLite", &lite);
    let ratio = median(pg.iter().map(Figures::per_second).collect())
        / median(lite.iter().map(Figures::per_second).collect());
    println!("PostgreSQL / SQLite records/s (medians): {ratio:.2}");
    Ok(())
}
