//! Benchmark of the queue search (`Store::search_cases`) on a station holding a million cases.
//!
//! `bash crates/yichuang-store/with-keyring.sh cargo run --release -p yichuang-store --example bench_search`
//! Options: `--cases N` (default 1000000), `--queries Q` per kind (default 300), `--regenerate`,
//! `--explain` (print the query plans of the SQL the store runs for one query of each kind),
//! `--station DIR` (use a generated station elsewhere, e.g. a copy with an index under trial),
//! `--queue` (time what the queue window asks per keystroke: `search_page`, total + 100 rows).
//!
//! The station is provisioned through the store (keyring key, recovery file, migrations), gets
//! the demo catalogue, the holiday calendar and four clerks, and is then filled with cases over
//! three years. Deciding a million intakes through `Store::decide_case` (one fsync'd transaction
//! each, no batch API) would take hours, so the rows are written through a raw connection with
//! the station's key in large transactions, in exactly the shape the store writes them; see
//! [`Writer`] for which store functions each statement mirrors. Every case is built with the
//! core's own `decide` (so intakes and outcomes pass the real validation) and the due date with
//! the real calendar. After generation a sample is read back through `Store::get_case` (it must
//! equal the case built), found through `search_cases`, and the audit chain is verified.
//!
//! The database is kept in `<target>/bench-data/store-search-g<version>-<cases>/` and reused by
//! later runs. Its key is put back into the keyring from the recovery file at each start (the
//! keyring of `with-keyring.sh` lives only for one run) and removed from it at the end.

use std::collections::HashSet;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, Transaction, params};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use yichuang_core::outcome::decide;
use yichuang_core::{
    Agent, Applicant, Case, CaseNo, CaseOutcome, CaseQuery, CaseState, Catalogue, ContactInfo,
    DeliveryKind, DeliveryMethod, HolidayCalendar, IdType, IntakeDecision, IntakeDraft, ItemKind,
    MaterialDefect, ReceivedMaterial, ServiceItem, StationCode, SyncState, time,
};
use yichuang_store::{KeyringStore, ProvisionInput, StationPaths, Store, StoreError};

pub(crate) mod checks;
mod data;
mod generator;
mod queries;
mod writer;

use checks::*;
use data::*;
use generator::*;
use queries::*;
use writer::*;

pub(crate) type Res<T> = Result<T, Box<dyn Error>>;

/// Bump when the generated data changes shape, so that cached databases are rebuilt.
pub(crate) const GENERATOR_VERSION: u32 = 1;
pub(crate) const SEED: u64 = 0x5EED_2026_0005;
pub(crate) const STATION: &str = "440111001";
pub(crate) const COUNTER: u8 = 1;
pub(crate) const REGION: &str = "440111";
pub(crate) const PASSPHRASE: &str = "bench-search 白云区 recovery";
pub(crate) const KEYRING_SERVICE: &str = "yichuang-bench-search";
pub(crate) const COMPLETE: &str = "generated.txt";
pub(crate) const CLERKS: [(&str, &str); 4] = [
    ("chenjing", "陈静"),
    ("liwei", "李伟"),
    ("huangmin", "黄敏"),
    ("zhangtao", "张涛"),
];
pub(crate) const TARGET_P95: Duration = Duration::from_millis(20);

fn main() -> Res<()> {
    let args = <Args as clap::Parser>::parse();
    let dir = match &args.station {
        Some(dir) => dir.clone(),
        None => bench_data_dir()?.join(format!("store-search-g{GENERATOR_VERSION}-{}", args.cases)),
    };
    let keyring = KeyringStore::new(KEYRING_SERVICE);
    let paths = StationPaths::new(&dir);
    if args.station.is_none() && (args.regenerate || !dir.join(COMPLETE).exists()) {
        generate(&dir, &keyring, args.cases)?;
    } else {
        let note = fs::read_to_string(dir.join(COMPLETE)).unwrap_or_default();
        println!("station: {} ({})", dir.display(), note.trim());
    }
    let _key = KeyGuard::new(&keyring, &paths)?;
    let store = open_station(&paths, &keyring)?;
    let raw = raw_connection(&paths, &keyring)?;
    let rows: i64 = raw.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?;
    println!(
        "cases: {rows}; database: {:.0} MB (+ WAL {:.0} MB)",
        file_mb(&paths.db_path()),
        file_mb(&wal_path(&paths))
    );
    spot_check(&store, &raw)?;
    // The app walks the whole audit chain at every start (Station::open): what that costs here.
    let started = Instant::now();
    let records = store.verify_audit_chain()?;
    println!(
        "audit chain at start: {records} records verified in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let kinds = query_kinds(&raw, args.queries)?;
    if args.explain {
        for kind in &kinds {
            explain(&store, kind.label, &kind.queries[0])?;
        }
    }
    run(&store, &kinds, args.queue)
}

/// Benchmark of the queue search on a generated station of many cases.
#[derive(clap::Parser)]
pub(crate) struct Args {
    /// Cases in the generated station.
    #[arg(long, default_value_t = 1_000_000)]
    pub(crate) cases: u64,
    /// Queries per kind.
    #[arg(long, default_value_t = 300)]
    pub(crate) queries: usize,
    /// Generate the station again even if a complete one is cached.
    #[arg(long)]
    pub(crate) regenerate: bool,
    /// Print the query plans of the SQL the store runs for one query of each kind.
    #[arg(long)]
    pub(crate) explain: bool,
    /// Time what the queue window asks per keystroke (`search_page`: total + 100 rows).
    #[arg(long)]
    pub(crate) queue: bool,
    /// Use a generated station elsewhere (e.g. a copy with an index under trial).
    #[arg(long, value_name = "DIR")]
    pub(crate) station: Option<PathBuf>,
}

/// `<target>/bench-data`, found from this binary's place (`<target>/release/examples/`).
pub(crate) fn bench_data_dir() -> Res<PathBuf> {
    let exe = std::env::current_exe()?;
    let target = exe
        .ancestors()
        .nth(3)
        .ok_or("cannot find the target directory")?;
    Ok(target.join("bench-data"))
}

pub(crate) fn file_mb(path: &Path) -> f64 {
    fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}

pub(crate) fn wal_path(paths: &StationPaths) -> PathBuf {
    PathBuf::from(format!("{}-wal", paths.db_path().display()))
}

/// Removes the station's key from the keyring when the run ends (it is recovered next time).
pub(crate) struct KeyGuard<'a> {
    pub(crate) keyring: &'a KeyringStore,
    pub(crate) db_id: String,
}

impl<'a> KeyGuard<'a> {
    pub(crate) fn new(keyring: &'a KeyringStore, paths: &StationPaths) -> Res<Self> {
        Ok(Self {
            keyring,
            db_id: paths.database_id()?,
        })
    }
}

impl Drop for KeyGuard<'_> {
    fn drop(&mut self) {
        let _ = self.keyring.delete(&self.db_id);
    }
}

/// Opens the station, first restoring its key from the recovery file if the keyring lacks it.
pub(crate) fn open_station(paths: &StationPaths, keyring: &KeyringStore) -> Res<Store> {
    match Store::open(paths, keyring) {
        Err(StoreError::KeyMissing) => {
            let t = Instant::now();
            yichuang_store::recover_key(paths, keyring, PASSPHRASE)?;
            println!(
                "key restored from the recovery file in {:.1} s",
                t.elapsed().as_secs_f64()
            );
            Ok(Store::open(paths, keyring)?)
        }
        other => Ok(other?),
    }
}

/// A second connection to the station file with its key (the store's own is private).
pub(crate) fn raw_connection(paths: &StationPaths, keyring: &KeyringStore) -> Res<Connection> {
    let key = keyring
        .get(&paths.database_id()?)?
        .ok_or("no key in the keyring")?;
    let conn = Connection::open(paths.db_path())?;
    let literal = format!("x'{}'", hex::encode(key.as_bytes()));
    conn.key(rusqlite::DEFAULT_NAME, literal.as_bytes(), false)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}

// ---------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------

pub(crate) fn provision_input() -> Res<ProvisionInput> {
    Ok(ProvisionInput {
        station_code: StationCode::try_from(STATION.to_string())?,
        station_name: "白云区京溪街道政务服务中心".into(),
        counter: COUNTER,
        region_code: REGION.into(),
        district_url: "http://127.0.0.1:9/".into(),
        district_token: "bench-token".into(),
        evaluation_base_url: "http://127.0.0.1:9/hcp".into(),
        recovery_passphrase: PASSPHRASE.into(),
    })
}

pub(crate) fn demo_catalogue() -> Res<Catalogue> {
    Ok(Catalogue::from_json(include_str!(
        "../../../../assets/demo/catalogue.json"
    ))?)
}

pub(crate) fn holiday_calendar() -> Res<HolidayCalendar> {
    Ok(HolidayCalendar::from_json(include_str!(
        "../../../../assets/calendar/holidays.json"
    ))?)
}

pub(crate) fn generate(dir: &Path, keyring: &KeyringStore, cases: u64) -> Res<()> {
    let started = Instant::now();
    let building = dir.with_extension("building");
    for d in [dir, building.as_path()] {
        if d.exists() {
            if let Ok(id) = StationPaths::new(d).database_id() {
                let _ = keyring.delete(&id);
            }
            fs::remove_dir_all(d)?;
        }
    }
    fs::create_dir_all(building.parent().ok_or("no parent")?)?;
    let paths = StationPaths::new(&building);
    println!("generating {cases} cases into {}", building.display());
    let mut store = Store::provision(&paths, keyring, provision_input()?)?;
    let catalogue = demo_catalogue()?;
    let calendar = holiday_calendar()?;
    store.import_catalogue(&catalogue)?;
    store.import_calendar(&calendar)?;
    for (login, name) in CLERKS {
        store.add_clerk(login, name, "bench-password-2026")?;
    }
    drop(store);

    let mut conn = raw_connection(&paths, keyring)?;
    // Only for generating: the file is fsync'd once at the end and marked complete after the
    // checks below, so a crash leaves a directory that the next run rebuilds.
    conn.execute_batch(
        "PRAGMA synchronous = OFF; PRAGMA cache_size = -2000000; PRAGMA temp_store = MEMORY;",
    )?;
    let mut generator = Generator::new(&catalogue, &calendar);
    let summary = generator.write_all(&mut conn, cases)?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    drop(conn);
    fs::File::open(paths.db_path())?.sync_all()?;
    let written = started.elapsed();

    let store = Store::open(&paths, keyring)?;
    verify(&store, &summary)?;
    drop(store);
    let id = paths.database_id()?;
    fs::rename(&building, dir)?;
    let note = format!(
        "generator v{GENERATOR_VERSION}, {cases} cases, generated in {:.0} s (+{:.0} s checks)",
        written.as_secs_f64(),
        (started.elapsed() - written).as_secs_f64()
    );
    fs::write(dir.join(COMPLETE), format!("{note}\n"))?;
    keyring.delete(&id)?;
    println!("{note}");
    Ok(())
}
