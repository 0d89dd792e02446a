//! Benchmark of the station's sync against the real district on loopback: draining a queue
//! of intakes (goal ≥ 25,000 records/s), then, on the same station and district, pulling one
//! status change per synced case (goal ≥ 10,000 records/s; the changes are recorded at the
//! district through its store, untimed). The station is the real store (SQLCipher, key in
//! the Secret Service), the district the real server on 127.0.0.1:0 with its SQLite store
//! (synchronous=FULL).
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
use yichuang_core::DistrictStatus;
use yichuang_district::server_tools::register_station_tokens;
use yichuang_district::store::NewStatus;
use yichuang_district::{DistrictServer, DistrictStore, Settings, SqliteStore};
use yichuang_store::{KeyringStore, StationPaths};
use yichuang_sync::testing::{demo_intake, provision_test_station};
use yichuang_sync::{ClientTimeouts, DistrictClient, DistrictEndpoint, SyncPolicy, sync_once};

type Res<T> = Result<T, Box<dyn Error>>;

const STATION: &str = "440111001";
const TOKEN: &str = "bench-sync-token";

/// Benchmark of the station's sync: draining queued intakes, then pulling status changes.
#[derive(clap::Parser)]
struct Args {
    /// Intakes queued at the station in each run (and status changes pulled back).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    records: u32,
    /// Runs, each on a fresh station and district; medians are printed.
    #[arg(long, value_name = "N", default_value_t = 3)]
    runs: u32,
    /// Records per request (default the engine's).
    #[arg(long, value_name = "N")]
    batch: Option<usize>,
}

#[tokio::main]
async fn main() -> Res<()> {
    let args: Args = clap::Parser::parse();
    if std::env::var_os("RUST_LOG").is_some() {
        // Timestamped events of the station's engine and the district, to see the drain's
        // steps (e.g. RUST_LOG=info); off by default so logging costs nothing in the figures.
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .init();
    }
    let mut policy = SyncPolicy::default();
    if let Some(b) = args.batch {
        policy.batch_limit = b;
    }
    println!(
        "{} queued intakes per run, {} runs, {} records per request, {} read per round",
        args.records, args.runs, policy.batch_limit, policy.load_limit
    );
    let mut drains = Vec::new();
    let mut pulls = Vec::new();
    for run in 1..=args.runs {
        let run_figures = run_once(args.records, &policy).await?;
        let n = f64::from(args.records);
        let (drain, pull) = (
            n / run_figures.drain.as_secs_f64(),
            n / run_figures.pull.as_secs_f64(),
        );
        println!(
            "run {run}: drained {} in {:.3} s ({} rounds): {drain:.0} records/s; \
             pulled {} status changes in {:.3} s ({} rounds): {pull:.0} records/s",
            args.records,
            run_figures.drain.as_secs_f64(),
            run_figures.drain_rounds,
            args.records,
            run_figures.pull.as_secs_f64(),
            run_figures.pull_rounds,
        );
        drains.push(drain);
        pulls.push(pull);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (drain, pull) = (median(drains), median(pulls));
    println!(
        "\nmedian drain rate: {drain:.0} records/s (goal ≥ 25,000: {})",
        if drain >= 25_000.0 { "met" } else { "NOT met" }
    );
    println!(
        "median pull rate: {pull:.0} records/s (goal ≥ 10,000: {})",
        if pull >= 10_000.0 { "met" } else { "NOT met" }
    );
    Ok(())
}

/// What one run measured.
struct RunFigures {
    drain: Duration,
    drain_rounds: u32,
    pull: Duration,
    pull_rounds: u32,
}

/// One run: a fresh station with `n` queued intakes and a fresh district; the time to drain
/// them, then the time to pull one status change per case.
async fn run_once(n: u32, policy: &SyncPolicy) -> Res<RunFigures> {
    let dir = tempfile::tempdir()?;
    let district_dir = dir.path().join("district");
    std::fs::create_dir_all(&district_dir)?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let district_store = Arc::new(SqliteStore::open(&district_dir.join("district.sqlite3"))?);
    register_station_tokens(district_store.as_ref(), &[(STATION.into(), TOKEN.into())]).await?;
    let dyn_store: Arc<dyn DistrictStore> = district_store.clone();
    let district =
        DistrictServer::start_with(listener, Settings::new("440111", &district_dir), dyn_store)
            .await?;
    let paths = StationPaths::new(dir.path().join("station"));
    let keyring = KeyringStore::new(format!("yichuang-bench-sync-{}", Uuid::now_v7()));
    let mut store = provision_test_station(&paths, &keyring, STATION, &district.url(), TOKEN);
    let t = Instant::now();
    let mut ids = Vec::with_capacity(n as usize);
    for i in 0..n {
        ids.push(
            store
                .accept_case(demo_intake(i), "同步测试窗口人员", Timestamp::now())?
                .id,
        );
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
    let mut drain_rounds = 0;
    loop {
        let report = sync_once(&store, &client, policy).await?;
        drain_rounds += 1;
        if let Some(stop) = report.stop {
            return Err(format!("round stopped: {stop:?} {:?}", report.problem).into());
        }
        if report.pending == 0 {
            break;
        }
    }
    let drain = t.elapsed();
    let synced = store.lock().map_err(|_| "store lock")?.outbox_counts()?;
    if synced != (0, 0) {
        return Err(format!("outbox not empty after the drain: {synced:?}").into());
    }

    let t = Instant::now();
    for &case_id in &ids {
        district_store
            .record_status(NewStatus {
                case_id,
                status: DistrictStatus::Approved,
                note: Some("准予许可".into()),
                courier: None,
                tracking_no: None,
                now: Timestamp::now(),
            })
            .await?;
    }
    println!(
        "  recorded {n} status changes at the district in {:.1} s (untimed)",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let mut pull_rounds = 0;
    let mut applied = 0;
    while applied < n {
        let report = sync_once(&store, &client, policy).await?;
        pull_rounds += 1;
        if let Some(stop) = report.stop {
            return Err(format!("round stopped: {stop:?} {:?}", report.problem).into());
        }
        if report.status_changes_applied == 0 {
            return Err(format!("a round applied nothing ({applied} of {n} so far)").into());
        }
        applied += report.status_changes_applied;
    }
    let pull = t.elapsed();
    let last = ids.last().copied().ok_or("no cases")?;
    let status = store
        .lock()
        .map_err(|_| "store lock")?
        .district_status(last)?;
    if status.map(|s| s.status) != Some(DistrictStatus::Approved) {
        return Err("the last case's status did not arrive".into());
    }

    district.shutdown().await?;
    let _ = keyring.delete(&db_id);
    Ok(RunFigures {
        drain,
        drain_rounds,
        pull,
        pull_rounds,
    })
}
