//! Benchmark of the station's sync against the real district on loopback: draining a queue
//! of intakes (goal ≥ 25,000 records/s) and, once status downloads exist, pulling status
//! changes. The station is the real store (SQLCipher, key in the Secret Service), the district
//! the real server on 127.0.0.1:0 with its SQLite store (synchronous=FULL).
//!
//! `bash crates/yichuang-store/with-keyring.sh cargo run --release -p yichuang-sync --example bench_sync`
//! Options: `--records N` (default 10000), `--runs N` (default 3), `--batch N` (records per
//! request, default the engine's).

use std::error::Error;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use tokio::net::TcpListener;
use uuid::Uuid;
use yichuang_district::{DistrictConfig, DistrictServer};
use yichuang_store::{KeyringStore, StationPaths};
use yichuang_sync::testing::{demo_intake, provision_test_station};
use yichuang_sync::{ClientTimeouts, DistrictClient, DistrictEndpoint, SyncPolicy, sync_once};

type Res<T> = Result<T, Box<dyn Error>>;

const STATION: &str = "440111001";
const TOKEN: &str = "bench-sync-token";

struct Args {
    records: u32,
    runs: u32,
    batch: Option<usize>,
}

fn parse_args() -> Res<Args> {
    let mut a = Args {
        records: 10_000,
        runs: 3,
        batch: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--records" => a.records = value()?.parse()?,
            "--runs" => a.runs = value()?.parse()?,
            "--batch" => a.batch = Some(value()?.parse()?),
            _ => return Err("usage: bench_sync [--records N] [--runs N] [--batch N]".into()),
        }
    }
    Ok(a)
}

#[tokio::main]
async fn main() -> Res<()> {
    let args = parse_args()?;
    let mut policy = SyncPolicy::default();
    if let Some(b) = args.batch {
        policy.batch_limit = b;
    }
    println!(
        "{} queued intakes per run, {} runs, {} records per request, {} read per round",
        args.records, args.runs, policy.batch_limit, policy.load_limit
    );
    let mut rates = Vec::new();
    for run in 1..=args.runs {
        let (took, rounds) = drain_once(args.records, &policy).await?;
        let rate = f64::from(args.records) / took.as_secs_f64();
        println!(
            "run {run}: drained {} in {:.3} s ({rounds} rounds): {rate:.0} records/s",
            args.records,
            took.as_secs_f64()
        );
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!(
        "\nmedian drain rate: {median:.0} records/s (goal ≥ 25,000: {})",
        if median >= 25_000.0 { "met" } else { "NOT met" }
    );
    Ok(())
}

/// One run: a fresh station with `n` queued intakes and a fresh district; the time to drain.
async fn drain_once(n: u32, policy: &SyncPolicy) -> Res<(Duration, u32)> {
    let dir = tempfile::tempdir()?;
    std::fs::create_dir_all(dir.path().join("district"))?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let district = DistrictServer::start(
        listener,
        DistrictConfig {
            db_path: dir.path().join("district").join("district.sqlite3"),
            region_code: "440111".into(),
            station_tokens: vec![(STATION.into(), TOKEN.into())],
            faults: None,
        },
    )
    .await?;
    let paths = StationPaths::new(dir.path().join("station"));
    let keyring = KeyringStore::new(format!("yichuang-bench-sync-{}", Uuid::now_v7()));
    let mut store = provision_test_station(&paths, &keyring, STATION, &district.url(), TOKEN);
    let t = Instant::now();
    for i in 0..n {
        store.accept_case(demo_intake(i), "同步测试窗口人员", Timestamp::now())?;
    }
    println!(
        "  queued {n} intakes in {:.1} s (one commit each, untimed)",
        t.elapsed().as_secs_f64()
    );
    let db_id = paths.database_id()?;
    let store = Arc::new(Mutex::new(store));
    let client = DistrictClient::new(
        DistrictEndpoint {
            url: district.url(),
            token: TOKEN.into(),
            ca_pem: None,
        },
        ClientTimeouts::default(),
    )?;
    let t = Instant::now();
    let mut rounds = 0;
    loop {
        let report = sync_once(&store, &client, policy).await?;
        rounds += 1;
        if let Some(stop) = report.stop {
            return Err(format!("round stopped: {stop:?} {:?}", report.problem).into());
        }
        if report.pending == 0 {
            break;
        }
    }
    let took = t.elapsed();
    let synced = store.lock().map_err(|_| "store lock")?.outbox_counts()?;
    if synced != (0, 0) {
        return Err(format!("outbox not empty after the drain: {synced:?}").into());
    }
    district.shutdown().await?;
    let _ = keyring.delete(&db_id);
    Ok((took, rounds))
}
