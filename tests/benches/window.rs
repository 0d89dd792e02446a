//! The window benchmarks of issue 8, each beside a bare Tauri window measured in the same run
//! (src-tauri/bench/bare_window.rs: same Tauri and WebKitGTK, one static page, no station):
//!
//! - start to interactive: from the app process's start (kernel start time) to the moment its
//!   first screen can take input (the page stamps `data-interactive-at` on <html>);
//! - memory, the desk logged in with its queue open on a station of 100,000 cases: the app's
//!   own process (PSS, the goal's measure; RSS; its anonymous part), and the app with its
//!   WebKit processes (PSS and RSS summed); `YICHUANG_BENCH_SMAPS=<dir>` keeps each process's
//!   /proc/<pid>/smaps there, to see which mappings hold it;
//! - keystroke to result: an `input` event in the search box to the answer drawn (the list's
//!   `data-query` equals the typed text, then one animation frame), for the item search and the
//!   queue search; the bare page answers each keystroke through one IPC round trip.
//!
//! Release builds and the 100,000-case station first (docs/BENCHMARKS.md has the commands):
//!   cargo build --release --bins --example bare_window
//!   bash crates/yichuang-store/with-keyring.sh cargo run --release -p yichuang-store \
//!     --example bench_search -- --cases 100000 --queries 1
//!   bash crates/yichuang-store/with-keyring.sh cargo bench -p yichuang-tests --bench window
//! The station is copied for each run (the app migrates and writes its own files), and its
//! key is put into this run's keyring from the generator's recovery file.

#[path = "../e2e/display.rs"]
mod display;
#[path = "../e2e/driver.rs"]
#[allow(dead_code)]
mod driver;
#[path = "window_probe.rs"]
mod probe;
#[path = "../e2e/ui.rs"]
mod ui;

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use yichuang_store::{KeyringStore, StationPaths};

use probe::Figures;

/// Window benchmarks: the desk against a bare Tauri window.
#[derive(Parser)]
struct Args {
    /// Runs of each window (medians are reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Keystrokes measured per search per run.
    #[arg(long, default_value_t = 20)]
    keystrokes: usize,
    /// The generated station (bench_search --cases 100000); default: under the target dir.
    #[arg(long)]
    station: Option<PathBuf>,
    /// The build to measure: release (what clerks run) or debug (to try the harness quickly).
    #[arg(long, default_value = "release")]
    profile: String,
    /// cargo passes --bench to harness-less benches.
    #[arg(long, hide = true)]
    bench: bool,
}

const BENCH_PASSPHRASE: &str = "bench-search 白云区 recovery";
const BENCH_CLERK: (&str, &str) = ("chenjing", "bench-password-2026");

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

fn built_binary(profile: &str, rel: &str) -> PathBuf {
    let bin = target_dir().join(profile).join(rel);
    assert!(
        bin.is_file(),
        "{} is missing: cargo build --release --bins --example bare_window",
        bin.display()
    );
    bin
}

/// A fresh copy of the generated station with its key in a keyring service of this run.
fn station_copy(generated: &Path, into: &Path) -> (PathBuf, String) {
    assert!(
        generated.join("generated.txt").is_file(),
        "{} has no generated station: run bench_search --cases 100000 first",
        generated.display()
    );
    let data_dir = into.join("station");
    std::fs::create_dir_all(&data_dir).unwrap();
    for entry in std::fs::read_dir(generated).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), data_dir.join(entry.file_name())).unwrap();
        }
    }
    let service = format!("yichuang-bench-window-{}", uuid::Uuid::now_v7());
    yichuang_store::recover_key(
        &StationPaths::new(&data_dir),
        &KeyringStore::new(&service),
        BENCH_PASSPHRASE,
    )
    .expect("restore the bench station's key from its recovery file");
    (data_dir, service)
}

async fn bare_run(display: &display::Display, app: &Path, keystrokes: usize) -> Figures {
    let driver = driver::Driver::start(&display.name, &[]);
    let client = driver.session(app).await;
    let pid = probe::app_pid(app);
    let start = probe::start_to_interactive(&client, pid).await;
    let typed = probe::keystrokes(&client, "bare-search", "bare-list", keystrokes).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let memory = probe::memory(pid);
    client.close().await.ok();
    Figures {
        start,
        memory,
        item_search: typed.clone(),
        queue_search: typed,
    }
}

async fn desk_run(
    display: &display::Display,
    app: &Path,
    generated: &Path,
    keystrokes: usize,
) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let (data_dir, service) = station_copy(generated, dir.path());
    // The first open migrates the copy to this build's schema (and the with-keyring.sh keyring
    // lives only for this run, so the key needs no clean-up); time the start after that.
    drop(
        yichuang_station::Station::open(&yichuang_station::StationConfig {
            data_dir: data_dir.clone(),
            keyring_service: service.clone(),
        })
        .expect("open the bench station"),
    );
    let env = [
        ("YICHUANG_DATA_DIR", data_dir.display().to_string()),
        ("YICHUANG_KEYRING_SERVICE", service.clone()),
    ];
    let driver = driver::Driver::start(&display.name, &env);
    let client = driver.session(app).await;
    let pid = probe::app_pid(app);
    let start = probe::start_to_interactive(&client, pid).await;
    let page = ui::Page::new(&client);
    page.login(BENCH_CLERK.0, BENCH_CLERK.1).await;
    let item_search = probe::keystrokes(&client, "item-search", "item-list", keystrokes).await;
    page.click("nav-queue").await;
    let queue_search = probe::keystrokes(&client, "queue-search", "queue-list", keystrokes).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let memory = probe::memory(pid);
    client.close().await.ok();
    Figures {
        start,
        memory,
        item_search,
        queue_search,
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let generated = args
        .station
        .unwrap_or_else(|| target_dir().join("bench-data/store-search-g1-100000"));
    let bare = built_binary(&args.profile, "examples/bare_window");
    let desk = built_binary(&args.profile, "yichuang-desk");
    let display = display::Display::get();
    let (mut bare_runs, mut desk_runs) = (Vec::new(), Vec::new());
    for run in 1..=args.runs {
        // Alternate, so that the machine's noise falls on both alike.
        bare_runs.push(bare_run(&display, &bare, args.keystrokes).await);
        desk_runs.push(desk_run(&display, &desk, &generated, args.keystrokes).await);
        eprintln!(
            "run {run}/{}: bare {:?} · desk {:?}",
            args.runs,
            bare_runs[run - 1],
            desk_runs[run - 1]
        );
    }
    probe::report(&bare_runs, &desk_runs);
}
