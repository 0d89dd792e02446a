//! Benchmark of committing an intake durably (`Store::decide_case`) against the least any
//! durable write costs: one ~1 KB row inserted in its own transaction into the same database.
//!
//! `bash crates/yichuang-store/with-keyring.sh cargo run --release -p yichuang-store --example bench_commit`
//! Options: `--pairs N` (default 300); `--big [DIR]` runs on a copy of the million-case station
//! that `bench_search` generates and keeps in `<target>/bench-data/` (run that first), or of
//! another station made by it; `--trial-sql SQL` changes the station's schema first (e.g.
//! `DROP INDEX …`), to price an index before a migration is written.
//!
//! By default a fresh station is provisioned (keyring key, demo catalogue, holiday calendar,
//! one clerk) in a temporary directory under `<target>/bench-data/`. Then, interleaved
//! A B A B …: A = `INSERT INTO bench_bare` of one 1 KB row in its own IMMEDIATE transaction;
//! B = `Store::decide_case` (受理) of a fresh intake whose draft was saved just before
//! (untimed): case row, outbox row, audit row, draft removal and serial, one IMMEDIATE
//! transaction. Goal: median B ≤ 3 × median A. After each B its search keys are written as
//! the station's indexer does just after a decision (`Store::write_search_keys`, migration
//! 0010), untimed in B and reported as C.
//!
//! The pairs run twice. First A runs on the store's own connection (`Store::bench_connection`,
//! the `bench` feature): the store is the station's one writer, so this is how a decision
//! meets the disk in the app. Then A runs on a second connection with the same key and the
//! settings of `db::configure` (WAL, foreign keys, synchronous=FULL); in WAL mode each of its
//! commits empties the store's page cache, so B reads its pages again. On-CPU time comes from
//! /proc/thread-self/schedstat. Afterwards it times the parts of a decision that the public
//! API exposes, B alone, the WAL frames (pages) each commit writes and the tables and indexes
//! they belong to, and A without fsync.

use std::error::Error;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, TransactionBehavior, params};
use uuid::Uuid;
use yichuang_core::outcome::decide;
use yichuang_core::{
    Applicant, Catalogue, ContactInfo, DeliveryMethod, HolidayCalendar, IdType, IntakeDecision,
    IntakeDraft, ItemKind, ReceivedMaterial, StationCode, time,
};
use yichuang_store::{KeyringStore, ProvisionInput, StationPaths, Store};

type Res<T> = Result<T, Box<dyn Error>>;

const CLERK: (&str, &str) = ("chenjing", "陈静");
const PAYLOAD_BYTES: usize = 1024;

fn main() -> Res<()> {
    let Args {
        pairs,
        big,
        trial_sql,
    } = clap::Parser::parse();
    let work_root = target_dir()?.join("bench-data");
    std::fs::create_dir_all(&work_root)?;
    let work = tempfile::tempdir_in(&work_root)?;
    let paths = StationPaths::new(work.path().join("station"));
    let keyring = KeyringStore::new(format!("yichuang-bench-commit-{}", std::process::id()));
    let catalogue = Catalogue::from_json(include_str!("../../../assets/demo/catalogue.json"))?;
    let calendar =
        HolidayCalendar::from_json(include_str!("../../../assets/calendar/holidays.json"))?;
    let mut store = if let Some(source) = big {
        let source = source.unwrap_or_else(|| work_root.join("store-search-g1-1000000"));
        copy_search_station(&source, &paths, &keyring)?
    } else {
        let mut store = Store::provision(&paths, &keyring, provision_input()?)?;
        store.import_catalogue(&catalogue)?;
        store.import_calendar(&calendar)?;
        store.add_clerk(CLERK.0, CLERK.1, "bench-password-2026")?;
        store
    };
    let _key = KeyGuard {
        keyring: &keyring,
        db_id: paths.database_id()?,
    };

    if let Some(sql) = &trial_sql {
        store.bench_connection().execute_batch(sql)?;
        println!("trial schema change applied: {sql}");
    }
    let bare = bare_connection(&paths, &keyring)?;
    let intakes = intakes(&catalogue)?;
    let payload = payload(&intakes[0])?;
    println!(
        "station in {}; {} intakes (one item each); baseline row {} bytes; synchronous=FULL \
         (the store's db::configure) on both connections, WAL",
        work.path().display(),
        intakes.len(),
        payload.len()
    );

    let mut bench = Bench {
        store: &mut store,
        second: &bare,
        on_second: false,
        intakes: &intakes,
        payload: &payload,
        wal_path: PathBuf::from(format!("{}-wal", paths.db_path().display())),
        n: 0,
        catch_ups: Vec::new(),
    };
    let ratio = pairs_run(
        &mut bench,
        pairs,
        "the store's own connection (the one writer)",
    )?;
    bench.on_second = true;
    pairs_run(
        &mut bench,
        pairs,
        "a second connection (its commits empty the store's page cache)",
    )?;
    bench.on_second = false;
    println!(
        "\ngoal B ≤ 3 × A on the one writer's connection: {ratio:.2} ({})",
        if ratio <= 3.0 { "met" } else { "NOT met" }
    );

    profile(&mut bench, &catalogue, &calendar)?;
    Ok(())
}

/// 20 warm-up pairs, then `pairs` pairs A B A B …; prints the table and returns the ratio
/// of the medians B/A.
fn pairs_run(bench: &mut Bench<'_>, pairs: usize, baseline: &str) -> Res<f64> {
    for _ in 0..20 {
        bench.bare_insert()?;
        bench.decide()?;
    }
    let (mut a, mut b) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs));
    let (mut a_cpu, mut b_cpu) = (Duration::ZERO, Duration::ZERO);
    bench.catch_ups.clear();
    for _ in 0..pairs {
        let (wall, cpu) = bench.bare_insert()?;
        a.push(wall);
        a_cpu += cpu;
        let (wall, cpu) = bench.decide()?;
        b.push(wall);
        b_cpu += cpu;
    }
    let (a50, a95) = stats(&mut a);
    let (b50, b95) = stats(&mut b);
    println!("\n{pairs} pairs, interleaved A B A B …; A on {baseline}\n");
    println!("{:<52} {:>9} {:>9} {:>9}", "", "median", "p95", "on-CPU");
    let per = |d: Duration| ms(d) / pairs as f64;
    println!(
        "{:<52} {:>7.2}ms {:>7.2}ms {:>7.2}ms",
        "A  bare INSERT of a 1 KB row, own IMMEDIATE tx",
        ms(a50),
        ms(a95),
        per(a_cpu)
    );
    println!(
        "{:<52} {:>7.2}ms {:>7.2}ms {:>7.2}ms",
        "B  Store::decide_case (受理)",
        ms(b50),
        ms(b95),
        per(b_cpu)
    );
    let (c50, c95) = stats(&mut bench.catch_ups);
    println!(
        "{:<52} {:>7.2}ms {:>7.2}ms",
        "C  its search keys after the commit (indexer, untimed above)",
        ms(c50),
        ms(c95),
    );
    let ratio = ms(b50) / ms(a50);
    println!(
        "ratio of medians B/A: {ratio:.2}; ratio of p95: {:.2}; (B + C)/A: {:.2}",
        ms(b95) / ms(a95),
        (ms(b50) + ms(c50)) / ms(a50)
    );
    Ok(ratio)
}

/// Benchmark of committing an intake durably against a bare durable write.
#[derive(clap::Parser)]
struct Args {
    /// Pairs to measure.
    #[arg(long, default_value_t = 300)]
    pairs: usize,
    /// Run on a copy of bench_search's million-case station (or of the station in DIR).
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    big: Option<Option<PathBuf>>,
    /// SQL to run on the station before measuring (`DROP INDEX …`), to price a schema change.
    #[arg(long, value_name = "SQL")]
    trial_sql: Option<String>,
}

/// Copies bench_search's million-case station (same generator, cases over three years) and
/// opens the copy with its key restored from the recovery file into this run's keyring service.
fn copy_search_station(
    source: &std::path::Path,
    paths: &StationPaths,
    keyring: &KeyringStore,
) -> Res<Store> {
    if !source.join("station-key.recovery.json").exists() {
        return Err(format!(
            "{} is missing: run the bench_search example first",
            source.display()
        )
        .into());
    }
    let t = Instant::now();
    std::fs::create_dir_all(&paths.data_dir)?;
    for name in ["station.db", "station.db-wal", "station-key.recovery.json"] {
        if source.join(name).exists() {
            std::fs::copy(source.join(name), paths.data_dir.join(name))?;
        }
    }
    yichuang_store::recover_key(paths, keyring, "bench-search 白云区 recovery")?;
    let store = Store::open(paths, keyring)?;
    println!(
        "copied the million-case station in {:.0} s",
        t.elapsed().as_secs_f64()
    );
    Ok(store)
}

/// `<target>`, found from this binary's place (`<target>/release/examples/`).
fn target_dir() -> Res<PathBuf> {
    let exe = std::env::current_exe()?;
    Ok(exe
        .ancestors()
        .nth(3)
        .ok_or("cannot find the target directory")?
        .to_path_buf())
}

fn provision_input() -> Res<ProvisionInput> {
    Ok(ProvisionInput {
        station_code: StationCode::try_from("440111001".to_string())?,
        station_name: "白云区京溪街道政务服务中心".into(),
        counter: 1,
        region_code: "440111".into(),
        district_url: "http://127.0.0.1:9/".into(),
        district_token: "bench-token".into(),
        evaluation_base_url: "http://127.0.0.1:9/hcp".into(),
        recovery_passphrase: "bench-commit 白云区 recovery".into(),
    })
}

/// Removes the station's key from the keyring when the run ends.
struct KeyGuard<'a> {
    keyring: &'a KeyringStore,
    db_id: String,
}

impl Drop for KeyGuard<'_> {
    fn drop(&mut self) {
        let _ = self.keyring.delete(&self.db_id);
    }
}

/// The baseline's connection: same file, same key, the settings of `db::configure`.
fn bare_connection(paths: &StationPaths, keyring: &KeyringStore) -> Res<Connection> {
    let key = keyring
        .get(&paths.database_id()?)?
        .ok_or("no key in the keyring")?;
    let conn = Connection::open(paths.db_path())?;
    let literal = format!("x'{}'", hex::encode(key.as_bytes()));
    conn.key(rusqlite::DEFAULT_NAME, literal.as_bytes(), false)?;
    let cipher: String = conn.query_row("PRAGMA cipher_version", [], |r| r.get(0))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") || sync != 2 || cipher.is_empty() {
        return Err(format!("baseline connection: journal {mode}, synchronous {sync}").into());
    }
    conn.execute_batch(
        "CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, at TEXT NOT NULL, payload TEXT NOT NULL) STRICT",
    )?;
    Ok(conn)
}

/// GB 11643 number with its MOD 11-2 check character.
fn resident_id(body17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!(
        "{body17}{}",
        char::from(b"10X98765432"[(sum % 11) as usize])
    )
}

/// Complete intakes (every required material received) for the promised items a person
/// applies for, each by a different applicant.
fn intakes(catalogue: &Catalogue) -> Res<Vec<IntakeDraft>> {
    let people = [
        ("王堃喆", "44011119880312041"),
        ("李娜", "44010619920701152"),
        ("陈嘉怡", "44011220010115262"),
        ("欧阳俊杰", "43012419750920771"),
        ("黄䶮", "44011119650228083"),
        ("张子涵", "44010320150608124"),
        ("梁伟", "44011119580101035"),
        ("刘淼", "36030219990909186"),
    ];
    let items = catalogue
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Promised && !i.name.contains("公司"))
        .take(people.len());
    let mut out = Vec::new();
    for (item, (name, body)) in items.zip(people) {
        let draft = IntakeDraft {
            item_code: item.item_code.clone(),
            applicant: Applicant::NaturalPerson {
                name: name.into(),
                id_type: IdType::ResidentIdCard,
                id_no: resident_id(body),
                address: "广州市白云区京溪街云景路 12 号".into(),
            },
            contact: ContactInfo {
                name: name.into(),
                phone: "13800138000".into(),
            },
            materials: item
                .materials
                .iter()
                .filter(|m| m.required)
                .map(|m| ReceivedMaterial {
                    code: m.code.clone(),
                    form: m.form,
                    count: m.copies.max(1),
                })
                .collect(),
            delivery: DeliveryMethod::Window,
            agent: None,
        };
        draft
            .validate(item)
            .map_err(|e| format!("bench intake invalid: {e:?}"))?;
        out.push(draft);
    }
    Ok(out)
}

/// The baseline row: the first intake as JSON, padded to 1 KB.
fn payload(draft: &IntakeDraft) -> Res<String> {
    let mut s = serde_json::to_string(draft)?;
    while s.len() < PAYLOAD_BYTES {
        s.push(' ');
    }
    s.truncate(PAYLOAD_BYTES);
    Ok(s)
}

struct Bench<'a> {
    store: &'a mut Store,
    /// A second connection to the same file, for A when `on_second`.
    second: &'a Connection,
    on_second: bool,
    intakes: &'a [IntakeDraft],
    payload: &'a str,
    wal_path: PathBuf,
    n: usize,
    /// Time of each `Store::write_search_keys` after a B (the deferred part of a decision).
    catch_ups: Vec<Duration>,
}

impl Bench<'_> {
    /// The connection A writes on: the store's own, or the second one.
    fn bare(&self) -> &Connection {
        if self.on_second {
            self.second
        } else {
            self.store.bench_connection()
        }
    }

    /// A: one row in its own IMMEDIATE transaction. Returns (wall, on-CPU) time.
    fn bare_insert(&mut self) -> Res<(Duration, Duration)> {
        let (t, cpu) = (Instant::now(), on_cpu()?);
        let tx = rusqlite::Transaction::new_unchecked(self.bare(), TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO bench_bare (at, payload) VALUES (?1, ?2)",
            params![Timestamp::now().to_string(), self.payload],
        )?;
        tx.commit()?;
        Ok((t.elapsed(), on_cpu()? - cpu))
    }

    /// B: a saved draft (untimed) decided as 受理, then its search keys written as the
    /// station's indexer does just after (untimed here, timed into `catch_ups`). Returns B's
    /// (wall, on-CPU) time.
    fn decide(&mut self) -> Res<(Duration, Duration)> {
        let next = self.save_next_draft()?;
        let took = self.decide_saved(next)?;
        let t = Instant::now();
        if self.store.write_search_keys(100)? != 1 {
            return Err("the decision left no search keys to write".into());
        }
        self.catch_ups.push(t.elapsed());
        Ok(took)
    }

    /// Saves the next intake's draft as the counter does while the clerk types.
    fn save_next_draft(&mut self) -> Res<(Uuid, usize)> {
        let n = self.n % self.intakes.len();
        self.n += 1;
        let id = Uuid::now_v7();
        let draft = &self.intakes[n];
        let form = serde_json::to_string(draft)?;
        self.store
            .save_draft(id, CLERK.0, &draft.item_code, &form, Timestamp::now())?;
        Ok((id, n))
    }

    /// Decides the saved draft as 受理, timed. Returns (wall, on-CPU) time.
    fn decide_saved(&mut self, (id, n): (Uuid, usize)) -> Res<(Duration, Duration)> {
        let draft = &self.intakes[n];
        let (t, cpu) = (Instant::now(), on_cpu()?);
        let saved = self.store.decide_case(
            id,
            draft,
            &IntakeDecision::Accept,
            CLERK.0,
            Timestamp::now(),
        )?;
        let took = (t.elapsed(), on_cpu()? - cpu);
        if saved.already_saved {
            return Err("a fresh intake was already saved".into());
        }
        Ok(took)
    }
}

/// This thread's on-CPU time so far (the scheduler's nanosecond count).
fn on_cpu() -> Res<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat")?;
    let ns: u64 = s.split_whitespace().next().ok_or("schedstat")?.parse()?;
    Ok(Duration::from_nanos(ns))
}

/// What the public API shows of a decision's cost, and how many pages each commit writes.
fn profile(bench: &mut Bench<'_>, catalogue: &Catalogue, calendar: &HolidayCalendar) -> Res<()> {
    const N: usize = 300;
    let time_it = |f: &mut dyn FnMut() -> Res<()>| -> Res<Duration> {
        let mut v = Vec::with_capacity(N);
        for _ in 0..N {
            let t = Instant::now();
            f()?;
            v.push(t.elapsed());
        }
        Ok(stats(&mut v).0)
    };
    let store = &*bench.store;
    let parse_cat = time_it(&mut || store.catalogue().map(drop).map_err(Into::into))?;
    let parse_cal = time_it(&mut || store.calendar().map(drop).map_err(Into::into))?;
    let settings = time_it(&mut || store.settings().map(drop).map_err(Into::into))?;
    let draft = &bench.intakes[0];
    let item = catalogue.item(&draft.item_code).ok_or("item")?;
    let now = Timestamp::now();
    let day: Date = time::local_date(now);
    let decide_core = time_it(&mut || {
        decide(draft, item, &IntakeDecision::Accept, day, now)
            .map(drop)
            .map_err(|e| format!("{e:?}").into())
    })?;
    let deadline = time_it(&mut || {
        std::hint::black_box(calendar.add_working_days(day, item.promised_limit_days));
        Ok(())
    })?;
    println!("\nparts of a decision visible through the public API (medians of {N}):");
    for (label, d) in [
        (
            "Store::catalogue()  (read + parse the catalogue JSON)",
            parse_cat,
        ),
        (
            "Store::calendar()   (read + parse the calendar JSON)",
            parse_cal,
        ),
        ("Store::settings()   (read every setting)", settings),
        ("core decide()       (validate the intake)", decide_core),
        ("calendar.add_working_days()", deadline),
    ] {
        println!("  {label:<56} {:>8.3} ms", ms(d));
    }

    // B alone: no other connection writes in between, so the store's page cache stays valid
    // (in WAL mode a commit by another connection empties it).
    let mut alone = Vec::with_capacity(100);
    for _ in 0..100 {
        alone.push(bench.decide()?.0);
    }
    println!(
        "B alone, 100 in a row (no baseline writes in between): median {:.2} ms",
        ms(stats(&mut alone).0)
    );

    // Pages written per commit: empty the WAL, do one operation, count the WAL frames.
    let (mut a_frames, mut b_frames) = (Vec::new(), Vec::new());
    let frames = |conn: &Connection, mode: &str| -> Res<i64> {
        Ok(conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| r.get(1))?)
    };
    for _ in 0..20 {
        frames(bench.second, "TRUNCATE")?;
        bench.bare_insert()?;
        a_frames.push(frames(bench.second, "PASSIVE")?);
        let next = bench.save_next_draft()?;
        frames(bench.second, "TRUNCATE")?;
        bench.decide_saved(next)?;
        b_frames.push(frames(bench.second, "PASSIVE")?);
        bench.store.write_search_keys(100)?;
    }
    a_frames.sort_unstable();
    b_frames.sort_unstable();
    println!(
        "WAL frames (4 KB pages, each encrypted and fsync'd) per commit, median of 20: A {} / B {}",
        a_frames[10], b_frames[10]
    );

    // Which tables and indexes those pages belong to (one decision, WAL frame headers are
    // not encrypted; `dbstat` maps a page number to its b-tree).
    let next = bench.save_next_draft()?;
    frames(bench.second, "TRUNCATE")?;
    bench.decide_saved(next)?;
    let by_tree = pages_by_tree(bench.second, &bench.wal_path)?;
    println!("pages of one decision by table or index:");
    for (name, n) in &by_tree {
        println!("  {name:<40} {n}");
    }
    frames(bench.second, "TRUNCATE")?;
    bench.store.write_search_keys(100)?;
    let by_tree = pages_by_tree(bench.second, &bench.wal_path)?;
    println!("pages of its search keys written after the commit:");
    for (name, n) in &by_tree {
        println!("  {name:<40} {n}");
    }

    // The baseline without its fsync, to show what the fsync costs on this disk.
    bench.on_second = true;
    bench.second.pragma_update(None, "synchronous", "OFF")?;
    let mut no_sync = Vec::with_capacity(N);
    for _ in 0..N {
        no_sync.push(bench.bare_insert()?.0);
    }
    bench.second.pragma_update(None, "synchronous", "FULL")?;
    println!(
        "A with synchronous=OFF (no fsync): median {:.3} ms",
        ms(stats(&mut no_sync).0)
    );
    Ok(())
}

/// The b-tree of every page in the WAL (counted once per page), largest first.
fn pages_by_tree(conn: &Connection, wal: &std::path::Path) -> Res<Vec<(String, usize)>> {
    const WAL_HEADER: usize = 32;
    const FRAME_HEADER: usize = 24;
    let bytes = std::fs::read(wal)?;
    let page_size = u32::from_be_bytes(bytes[8..12].try_into()?) as usize;
    let mut pages: Vec<u32> = bytes[WAL_HEADER..]
        .chunks_exact(FRAME_HEADER + page_size)
        .map(|f| u32::from_be_bytes([f[0], f[1], f[2], f[3]]))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    let mut stmt = conn.prepare("SELECT name FROM dbstat WHERE pageno = ?1")?;
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for page in pages {
        let name: String = stmt
            .query_row([page], |r| r.get(0))
            .unwrap_or_else(|_| format!("page {page} (header or free list)"));
        *counts.entry(name).or_default() += 1;
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(v)
}

fn stats(v: &mut [Duration]) -> (Duration, Duration) {
    v.sort_unstable();
    let p = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (p(0.5), p(0.95))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
