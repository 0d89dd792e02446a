//! Benchmark of the queue search (`Store::search_cases`) on a station holding a million cases.
//!
//! `bash crates/yichuang-store/with-keyring.sh cargo run --release -p yichuang-store --example bench_search`
//! Options: `--cases N` (default 1000000), `--queries Q` per kind (default 300), `--regenerate`,
//! `--explain` (print the query plans of the SQL the store runs for one query of each kind),
//! `--station DIR` (use a generated station elsewhere, e.g. a copy with an index under trial).
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
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, params, params_from_iter};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use yichuang_core::case_query::{TextMatch, read_search_text};
use yichuang_core::outcome::decide;
use yichuang_core::{
    Agent, Applicant, Case, CaseNo, CaseOutcome, CaseQuery, CaseState, Catalogue, ContactInfo,
    DeliveryKind, DeliveryMethod, HolidayCalendar, IdType, IntakeDecision, IntakeDraft, ItemKind,
    MaterialDefect, ReceivedMaterial, ServiceItem, StationCode, SyncState, time,
};
use yichuang_store::{KeyringStore, ProvisionInput, StationPaths, Store, StoreError};

type Res<T> = Result<T, Box<dyn Error>>;

/// Bump when the generated data changes shape, so that cached databases are rebuilt.
const GENERATOR_VERSION: u32 = 1;
const SEED: u64 = 0x5EED_2026_0005;
const STATION: &str = "440111001";
const COUNTER: u8 = 1;
const REGION: &str = "440111";
const PASSPHRASE: &str = "bench-search 白云区 recovery";
const KEYRING_SERVICE: &str = "yichuang-bench-search";
const COMPLETE: &str = "generated.txt";
const CLERKS: [(&str, &str); 4] = [
    ("chenjing", "陈静"),
    ("liwei", "李伟"),
    ("huangmin", "黄敏"),
    ("zhangtao", "张涛"),
];
const TARGET_P95: Duration = Duration::from_millis(20);

fn main() -> Res<()> {
    let args = Args::parse()?;
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

    let kinds = query_kinds(&raw, args.queries)?;
    if args.explain {
        for kind in &kinds {
            explain(&raw, kind.label, &kind.queries[0])?;
        }
    }
    run(&store, &kinds)
}

struct Args {
    cases: u64,
    queries: usize,
    regenerate: bool,
    explain: bool,
    station: Option<PathBuf>,
}

impl Args {
    fn parse() -> Res<Args> {
        let mut args = Args {
            cases: 1_000_000,
            queries: 300,
            regenerate: false,
            explain: false,
            station: None,
        };
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            match a.as_str() {
                "--cases" => args.cases = it.next().ok_or("--cases N")?.parse()?,
                "--queries" => args.queries = it.next().ok_or("--queries Q")?.parse()?,
                "--regenerate" => args.regenerate = true,
                "--explain" => args.explain = true,
                "--station" => args.station = Some(it.next().ok_or("--station DIR")?.into()),
                other => return Err(format!("unknown argument {other}").into()),
            }
        }
        Ok(args)
    }
}

/// `<target>/bench-data`, found from this binary's place (`<target>/release/examples/`).
fn bench_data_dir() -> Res<PathBuf> {
    let exe = std::env::current_exe()?;
    let target = exe
        .ancestors()
        .nth(3)
        .ok_or("cannot find the target directory")?;
    Ok(target.join("bench-data"))
}

fn file_mb(path: &Path) -> f64 {
    fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}

fn wal_path(paths: &StationPaths) -> PathBuf {
    PathBuf::from(format!("{}-wal", paths.db_path().display()))
}

/// Removes the station's key from the keyring when the run ends (it is recovered next time).
struct KeyGuard<'a> {
    keyring: &'a KeyringStore,
    db_id: String,
}

impl<'a> KeyGuard<'a> {
    fn new(keyring: &'a KeyringStore, paths: &StationPaths) -> Res<Self> {
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
fn open_station(paths: &StationPaths, keyring: &KeyringStore) -> Res<Store> {
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
fn raw_connection(paths: &StationPaths, keyring: &KeyringStore) -> Res<Connection> {
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

fn provision_input() -> Res<ProvisionInput> {
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

fn demo_catalogue() -> Res<Catalogue> {
    Ok(Catalogue::from_json(include_str!(
        "../../../assets/demo/catalogue.json"
    ))?)
}

fn holiday_calendar() -> Res<HolidayCalendar> {
    Ok(HolidayCalendar::from_json(include_str!(
        "../../../assets/calendar/holidays.json"
    ))?)
}

fn generate(dir: &Path, keyring: &KeyringStore, cases: u64) -> Res<()> {
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

/// A tiny deterministic PRNG (SplitMix64): the same seed gives the same station.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, cumulative: &[f64]) -> usize {
        let x = self.unit() * cumulative.last().copied().unwrap_or(0.0);
        cumulative
            .partition_point(|c| *c <= x)
            .min(cumulative.len() - 1)
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    weights
        .into_iter()
        .scan(0.0, |acc, w| {
            *acc += w;
            Some(*acc)
        })
        .collect()
}

/// Common surnames with rough frequencies (per mille), and a few compound ones.
const SURNAMES: &str = "王:71 李:70 张:67 刘:54 陈:60 杨:31 黄:35 赵:23 吴:20 周:19 徐:15 孙:15 马:12 朱:12 胡:11 郭:11 \
    何:12 林:14 高:10 罗:10 郑:9 梁:14 谢:8 宋:7 唐:6 许:6 邓:7 冯:6 韩:5 曹:5 曾:6 彭:5 肖:5 蔡:5 潘:5 \
    田:4 董:4 袁:4 于:4 余:4 叶:5 蒋:4 杜:4 苏:4 魏:3 程:3 吕:3 丁:3 沈:3 任:3 姚:3 卢:4 钟:4 姜:3 崔:3 \
    谭:4 陆:3 范:2 汪:2 廖:3 石:2 金:2 韦:2 贾:2 夏:2 付:2 方:2 邹:2 熊:2 白:2 孟:2 秦:2 邱:2 侯:2 江:2 \
    尹:2 薛:2 闫:2 段:2 雷:2 龙:2 黎:2 史:2 陶:2 贺:2 毛:1 郝:1 顾:1 龚:1 邵:1 万:1 覃:1 武:1 钱:1 戴:1 \
    严:1 欧阳:0.5 司马:0.1 诸葛:0.1 上官:0.1";

fn surnames() -> impl Iterator<Item = (&'static str, f64)> {
    SURNAMES.split_whitespace().filter_map(|s| {
        let (name, weight) = s.split_once(':')?;
        Some((name, weight.parse().ok()?))
    })
}

/// Characters of given names; the last line holds rare ones (CJK Ext. A and B among them).
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯健俊帆帅\
    旭宁龙林欣佳嘉琪怡雨梓涵子轩博诗晨思一可宏志海鹏飞亮鑫婷雪慧莹晶倩颖琳玲燕淑兰凤春梅云国\
    荣德永成福生祥发金东晓小家美泽瑞昊晗睿彤妍瑶馨然阳天安宸铭景楠振世丹蕾薇晖琦璐霖煜锦桐";
const RARE_GIVEN: &str = "堃喆䶮昇玥燊犇淼懿翀珺琰璟彧𠇔𡒊";
const STREETS: &[&str] = &[
    "京溪街云景路",
    "同和街蟾蜍石路",
    "三元里大道",
    "白云大道北",
    "机场路",
    "广园中路",
    "嘉禾街鹤龙一路",
    "均禾街清湖路",
    "永平街永泰路",
    "黄石东路",
    "太和镇大源北路",
];
/// Where applicants' ID cards were issued: mostly Guangzhou districts, some other provinces.
const ID_REGIONS: &[&str] = &[
    "440111", "440111", "440111", "440106", "440104", "440103", "440105", "440112", "440113",
    "440114", "440183", "441581", "445221", "430124", "450521", "360302", "510623", "421123",
    "350583", "411527",
];
const BUSINESS_SUFFIXES: &[&str] = &[
    "餐饮店",
    "商行",
    "贸易有限公司",
    "科技有限公司",
    "便利店",
    "五金店",
    "服装店",
    "物流有限公司",
];
const REJECT_REASONS: &[(&str, Option<&str>)] = &[
    (
        "申请事项不属于本机关职权范围",
        Some("广州市白云区市场监督管理局"),
    ),
    ("申请人不具备申请资格（户籍不在本辖区）", None),
    ("申请事项依法不需要取得行政许可", None),
];
/// Items applied for by a business (legal person) in the demo catalogue.
const BUSINESS_ITEMS: &[&str] = &["食品经营许可证核发", "公司设立登记", "公章刻制备案"];

struct Person {
    name: String,
    id_no: String,
    phone: String,
    address: String,
}

struct Company {
    name: String,
    uscc: String,
    representative: usize,
    address: String,
}

/// GB 11643 number: region, birth date, sequence (odd for men), ISO 7064 MOD 11-2 check.
fn resident_id(region: &str, birth: Date, seq: u64) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let body = format!(
        "{region}{:04}{:02}{:02}{seq:03}",
        birth.year(),
        birth.month(),
        birth.day()
    );
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{body}{}", char::from(b"10X98765432"[(sum % 11) as usize]))
}

/// GB 32100 code: 9 (market regulator), 2 (individual business) or 1, region, GB 11714 body.
fn uscc(rng: &mut Rng) -> String {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let kind = if rng.chance(0.6) { "92" } else { "91" };
    let body: String = (0..8)
        .map(|_| {
            let n = if rng.chance(0.8) { 10 } else { 31 };
            char::from(CHARSET[rng.below(n) as usize])
        })
        .collect();
    let sum: u32 = body
        .chars()
        .zip(ORG_WEIGHTS)
        .map(|(c, w)| c.to_digit(36).unwrap_or(0) * w)
        .sum();
    let org_check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from(b'0' + n as u8),
    };
    let first17 = format!("{kind}{REGION}{body}{org_check}");
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| CHARSET.iter().position(|c| *c == b).unwrap_or(0) as u32 * w)
        .sum();
    format!(
        "{first17}{}",
        char::from(CHARSET[((31 - sum % 31) % 31) as usize])
    )
}

/// One generated case with what the store keeps beside it.
struct Generated {
    case: Case,
    revision: i64,
    clerk_login: &'static str,
    /// Audit events after the decision's own: (time, event, target).
    later_events: Vec<(Timestamp, &'static str, String)>,
    updated_at: Timestamp,
}

/// What generation produced, for the checks afterwards.
struct Summary {
    samples: Vec<(Case, i64)>,
    pending: u32,
    quarantined: u32,
    audit_rows: u64,
}

struct Generator<'a> {
    rng: Rng,
    items: Vec<&'a ServiceItem>,
    item_weights: Vec<f64>,
    calendar: &'a HolidayCalendar,
    surname_weights: Vec<f64>,
    surnames: Vec<&'static str>,
    given: Vec<char>,
    rare: Vec<char>,
    people: Vec<Person>,
    companies: Vec<Company>,
    official_next: std::collections::HashMap<i16, u32>,
}

impl<'a> Generator<'a> {
    fn new(catalogue: &'a Catalogue, calendar: &'a HolidayCalendar) -> Self {
        let mut rng = Rng(SEED);
        let items: Vec<&ServiceItem> = catalogue.items.iter().collect();
        // A few items make most of the work at a counter (居住证, 社保, 医保 ...).
        let item_weights = cumulative((0..items.len()).map(|i| 1.0 / (1.0 + (i % 12) as f64)));
        let _ = rng.next();
        let mut g = Self {
            rng,
            items,
            item_weights,
            calendar,
            surname_weights: cumulative(surnames().map(|s| s.1)),
            surnames: surnames().map(|s| s.0).collect(),
            given: GIVEN.chars().filter(|c| !c.is_whitespace()).collect(),
            rare: RARE_GIVEN.chars().collect(),
            people: Vec::new(),
            companies: Vec::new(),
            official_next: Default::default(),
        };
        g.make_population();
        g
    }

    fn given_char(&mut self) -> char {
        if self.rng.chance(0.01) {
            *self.rng.pick(&self.rare)
        } else {
            *self.rng.pick(&self.given)
        }
    }

    fn make_population(&mut self) {
        let mut ids = HashSet::new();
        let first = Date::new(1940, 1, 1).expect("date");
        while self.people.len() < 350_000 {
            let surname = self.surnames[self.rng.weighted(&self.surname_weights)];
            let mut name = surname.to_string();
            name.push(self.given_char());
            if self.rng.chance(0.8) {
                name.push(self.given_char());
            }
            let region = *self.rng.pick(ID_REGIONS);
            let birth = first
                .checked_add(jiff::Span::new().days(self.rng.below(25_000) as i64))
                .expect("birth date");
            let id_no = resident_id(region, birth, self.rng.below(1000));
            if !ids.insert(id_no.clone()) {
                continue;
            }
            let phone = format!(
                "1{}{}",
                char::from(b'3' + self.rng.below(7) as u8),
                self.rng.digits(9)
            );
            let address = format!(
                "广州市白云区{}{}号",
                self.rng.pick(STREETS),
                1 + self.rng.below(300)
            );
            self.people.push(Person {
                name,
                id_no,
                phone,
                address,
            });
        }
        while self.companies.len() < 20_000 {
            let name = format!(
                "广州市白云区{}{}{}",
                self.given_char(),
                self.given_char(),
                self.rng.pick(BUSINESS_SUFFIXES)
            );
            let uscc = uscc(&mut self.rng);
            if !ids.insert(uscc.clone()) {
                continue;
            }
            let representative = self.rng.below(self.people.len() as u64) as usize;
            let address = self.people[representative].address.clone();
            self.companies.push(Company {
                name,
                uscc,
                representative,
                address,
            });
        }
    }

    /// Returning applicants: 40% of cases come from the first 30,000 people.
    fn person(&mut self) -> usize {
        let n = if self.rng.chance(0.4) {
            30_000
        } else {
            self.people.len()
        };
        self.rng.below(n as u64) as usize
    }

    /// Working days of the three years before 2026-12-01, and how many cases each gets.
    fn days(&mut self, cases: u64) -> Vec<(Date, u64)> {
        let mut day = Date::new(2023, 12, 1).expect("date");
        let end = Date::new(2026, 11, 30).expect("date");
        let mut days = Vec::new();
        while day <= end {
            if self.calendar.is_working_day(day).0 {
                days.push((day, 0.6 + 0.8 * self.rng.unit()));
            }
            day = day.tomorrow().expect("date");
        }
        let total: f64 = days.iter().map(|d| d.1).sum();
        let mut out: Vec<(Date, u64)> = days
            .iter()
            .map(|(d, w)| (*d, (w / total * cases as f64) as u64))
            .collect();
        let given: u64 = out.iter().map(|d| d.1).sum();
        for i in 0..(cases - given) as usize {
            let k = i % out.len();
            out[k].1 += 1;
        }
        out
    }

    /// Accept times of `n` cases on `day`: 08:30–12:00 and 14:00–17:30 China time, in order.
    fn times(&mut self, day: Date, n: u64) -> Res<Vec<Timestamp>> {
        const HALF: i128 = 12_600 * 1_000_000_000;
        let morning = time::china_tz().to_timestamp(day.at(8, 30, 0, 0))?;
        let afternoon = time::china_tz().to_timestamp(day.at(14, 0, 0, 0))?;
        let mut offsets: Vec<i128> = (0..n)
            .map(|_| (self.rng.next() as i128) % (2 * HALF))
            .collect();
        offsets.sort_unstable();
        offsets
            .into_iter()
            .map(|o| {
                let (base, o) = if o < HALF {
                    (morning, o)
                } else {
                    (afternoon, o - HALF)
                };
                Ok(Timestamp::from_nanosecond(base.as_nanosecond() + o)?)
            })
            .collect()
    }

    fn write_all(&mut self, conn: &mut Connection, cases: u64) -> Res<Summary> {
        let started = Instant::now();
        let mut writer = Writer::start(conn)?;
        let mut summary = Summary {
            samples: Vec::new(),
            pending: 0,
            quarantined: 0,
            audit_rows: 0,
        };
        let sample_every = (cases / 500).max(1);
        let mut done = 0u64;
        let mut tx = conn.transaction()?;
        for (day, n) in self.days(cases) {
            for (serial, at) in self.times(day, n)?.into_iter().enumerate() {
                let g = self.case(day, serial as u32 + 1, at)?;
                match g.case.sync_state {
                    SyncState::Pending => summary.pending += 1,
                    SyncState::Quarantined => summary.quarantined += 1,
                    SyncState::Synced => {}
                }
                summary.audit_rows += writer.write(&tx, &g)?;
                if done.is_multiple_of(sample_every) {
                    summary.samples.push((g.case, g.revision));
                }
                done += 1;
                if done.is_multiple_of(50_000) {
                    tx.commit()?;
                    tx = conn.transaction()?;
                    if done.is_multiple_of(200_000) {
                        println!("  {done} cases, {:.0} s", started.elapsed().as_secs_f64());
                    }
                }
            }
            writer.serial(&tx, day, n)?;
        }
        tx.commit()?;
        Ok(summary)
    }

    fn applicant(&mut self, item: &ServiceItem) -> (Applicant, ContactInfo, String) {
        if BUSINESS_ITEMS.contains(&item.name.as_str()) {
            let i = self.rng.below(self.companies.len() as u64) as usize;
            let c = &self.companies[i];
            let rep = &self.people[c.representative];
            let applicant = Applicant::LegalPerson {
                name: c.name.clone(),
                uscc: c.uscc.clone(),
                legal_representative: rep.name.clone(),
                address: c.address.clone(),
            };
            let contact = ContactInfo {
                name: rep.name.clone(),
                phone: rep.phone.clone(),
            };
            return (applicant, contact, c.address.clone());
        }
        let i = self.person();
        let p = &self.people[i];
        let applicant = Applicant::NaturalPerson {
            name: p.name.clone(),
            id_type: IdType::ResidentIdCard,
            id_no: p.id_no.clone(),
            address: p.address.clone(),
        };
        let contact = ContactInfo {
            name: p.name.clone(),
            phone: p.phone.clone(),
        };
        (applicant, contact, p.address.clone())
    }

    /// One intake decided the way a clerk would, with its later life (supplement, sync).
    fn case(&mut self, day: Date, serial: u32, at: Timestamp) -> Res<Generated> {
        let item = self.items[self.rng.weighted(&self.item_weights)];
        let (applicant, contact, address) = self.applicant(item);
        let agent = if matches!(applicant, Applicant::NaturalPerson { .. }) && self.rng.chance(0.04)
        {
            let i = self.person();
            let p = &self.people[i];
            Some(Agent {
                name: p.name.clone(),
                id_type: IdType::ResidentIdCard,
                id_no: p.id_no.clone(),
                phone: p.phone.clone(),
            })
            .filter(|a| a.id_no != applicant.id().1)
        } else {
            None
        };
        let mut materials: Vec<ReceivedMaterial> = item
            .materials
            .iter()
            .filter(|m| m.required || self.rng.chance(0.5))
            .map(|m| ReceivedMaterial {
                code: m.code.clone(),
                form: m.form,
                count: m.copies.max(1),
            })
            .collect();
        if agent.is_some() {
            materials.push(ReceivedMaterial {
                code: "POA".into(),
                form: yichuang_core::MaterialForm::Original,
                count: 1,
            });
        }
        let tolerable: Vec<String> = item
            .materials
            .iter()
            .filter(|m| m.required && m.tolerable && !m.key)
            .map(|m| m.code.clone())
            .collect();
        let r = self.rng.unit();
        let decision = if item.kind == ItemKind::Immediate {
            match r {
                r if r < 0.90 => IntakeDecision::CompleteOnSpot {
                    result: String::new(),
                },
                r if r < 0.95 => IntakeDecision::Accept,
                r if r < 0.98 => self.correction(item, &mut materials),
                _ => self.rejection(),
            }
        } else {
            match r {
                r if r < 0.87 => IntakeDecision::Accept,
                r if r < 0.92 && !tolerable.is_empty() => {
                    let code = self.rng.pick(&tolerable).clone();
                    materials.retain(|m| m.code != code);
                    IntakeDecision::AcceptTolerant {
                        supplement_by: day
                            .checked_add(jiff::Span::new().days(3 + self.rng.below(18) as i64))?
                            .into(),
                    }
                }
                r if r < 0.97 => self.correction(item, &mut materials),
                _ => self.rejection(),
            }
        };
        let delivery =
            if item.delivery_methods.contains(&DeliveryKind::Courier) && self.rng.chance(0.15) {
                DeliveryMethod::Post { address }
            } else {
                DeliveryMethod::Window
            };
        let draft = IntakeDraft {
            item_code: item.item_code.clone(),
            applicant,
            contact,
            materials,
            delivery,
            agent,
        };
        let decided = decide(&draft, item, &decision, day, at)
            .map_err(|issues| format!("generated intake refused: {issues:?}"))?;
        let mut outcome = decided.outcome;
        let mut state = CaseState::Draft.transition(outcome.state())?;
        // Mirrors decisions::deadline.
        let deadline = match (item.kind, item.promised_limit_days) {
            _ if !outcome.starts_the_clock() => None,
            (ItemKind::Immediate, _) | (_, 0) => None,
            (ItemKind::Promised, days) => Some(self.calendar.add_working_days(day, days)),
        };
        let (clerk_login, clerk_name) = *self.rng.pick(&CLERKS);
        let mut later_events = Vec::new();
        let mut revision = 1;
        let mut updated_at = at;
        let end = Date::new(2026, 11, 30)?;
        if let CaseOutcome::AcceptedTolerant {
            supplement_by,
            supplemented_at,
            ..
        } = &mut outcome
        {
            // Most 容缺 promises were kept (Store::record_supplement): now a plain 受理.
            if *supplement_by < end && self.rng.chance(0.9) {
                let span = (*supplement_by - day).get_days().max(1) as u64;
                let when = time::china_tz()
                    .to_timestamp(day.at(10, 0, 0, 0))?
                    .checked_add(jiff::SignedDuration::from_hours(
                        24 * (1 + self.rng.below(span)) as i64,
                    ))?;
                *supplemented_at = Some(when);
                later_events.push((when, "case.supplemented", String::new()));
                revision = 2;
                updated_at = when;
            }
        }
        if outcome.state() != state {
            state = state.transition(outcome.state())?;
        }
        let case_no = CaseNo::provisional(
            &StationCode::try_from(STATION.to_string())?,
            COUNTER,
            day,
            serial,
        )
        .to_string();
        let (official_case_no, sync_state) = match self.rng.unit() {
            r if r < 0.70 => {
                let year = day.year();
                let next = self.official_next.entry(year).or_insert(0);
                *next += 1 + self.rng.below(4) as u32;
                let official = format!("{REGION}-{year}-{next:06}");
                let when = updated_at.checked_add(jiff::SignedDuration::from_mins(
                    1 + self.rng.below(120) as i64,
                ))?;
                later_events.push((when, "case.synced", official.clone()));
                updated_at = when;
                (Some(official), SyncState::Synced)
            }
            r if r < 0.999 => (None, SyncState::Pending),
            _ => (None, SyncState::Quarantined),
        };
        for e in &mut later_events {
            if e.2.is_empty() {
                e.2 = case_no.clone();
            }
        }
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.rng.next().to_le_bytes());
        random[8..].copy_from_slice(&self.rng.next().to_le_bytes()[..2]);
        // UUIDv7 of the accept time, as `Uuid::now_v7()` made it at the counter.
        let id = uuid::Builder::from_unix_timestamp_millis(at.as_millisecond() as u64, &random)
            .into_uuid();
        Ok(Generated {
            case: Case {
                id,
                case_no,
                official_case_no,
                station_code: STATION.into(),
                item_name: item.name.clone(),
                intake: decided.intake.draft,
                clerk: clerk_name.into(),
                state,
                outcome,
                accepted_at: at,
                due_date: deadline.as_ref().map(|d| d.due),
                deadline_basis: deadline.map(|d| d.basis),
                sync_state,
            },
            revision,
            clerk_login,
            later_events,
            updated_at,
        })
    }

    /// 补正: a required material missing, or one received but defective.
    fn correction(
        &mut self,
        item: &ServiceItem,
        materials: &mut Vec<ReceivedMaterial>,
    ) -> IntakeDecision {
        let required: Vec<&str> = item
            .materials
            .iter()
            .filter(|m| m.required)
            .map(|m| m.code.as_str())
            .collect();
        let code = self.rng.pick(&required).to_string();
        if self.rng.chance(0.6) {
            materials.retain(|m| m.code != code);
            IntakeDecision::RequestCorrection { defects: vec![] }
        } else {
            IntakeDecision::RequestCorrection {
                defects: vec![MaterialDefect {
                    code,
                    problem: "复印件不清晰，请重新提供".into(),
                }],
            }
        }
    }

    fn rejection(&mut self) -> IntakeDecision {
        let (reasons, referral) = *self.rng.pick(REJECT_REASONS);
        IntakeDecision::Reject {
            reasons: reasons.into(),
            referral: referral.map(Into::into),
        }
    }
}

/// Writes generated cases in the store's shape. Each statement mirrors a store function:
/// `cases::insert` (the row and its search keys, with `search::reversed` numbers; created_at
/// and updated_at differ only when a later supplement or sync updated the row, as
/// `cases::update_decision` / `cases::mark_synced` would), `search::index_name` (its DELETE is
/// left out: a new row has no pieces yet), `outbox::enqueue` / `outbox::fail`, `audit::append`
/// (same hash chain, checked by `Store::verify_audit_chain` afterwards) and `serials::next`.
/// Keep them in step with those functions (and bump GENERATOR_VERSION) when they change.
struct Writer {
    audit_id: i64,
    audit_hash: String,
}

impl Writer {
    fn start(conn: &Connection) -> Res<Self> {
        let (audit_id, audit_hash) = conn.query_row(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Self {
            audit_id,
            audit_hash,
        })
    }

    /// Writes one case; returns how many audit rows it added.
    fn write(&mut self, tx: &Transaction<'_>, g: &Generated) -> Res<u64> {
        let case = &g.case;
        let (_, id_no) = case.intake.applicant.id();
        let open_supplement = match &case.outcome {
            CaseOutcome::AcceptedTolerant {
                supplement_by,
                supplemented_at: None,
                ..
            } => Some(supplement_by.to_string()),
            _ => None,
        };
        tx.prepare_cached(
            "INSERT INTO cases (id, case_no, official_case_no, station_code, item_code, item_name,
                intake_json, clerk, state, accepted_at, due_date, deadline_basis_json, sync_state,
                revision, created_at, updated_at, outcome_json, applicant_name, applicant_id_no,
                supplement_by, case_no_rev, official_case_no_rev)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22)",
        )?
        .execute(params![
            case.id.to_string(),
            case.case_no,
            case.official_case_no,
            case.station_code,
            case.intake.item_code,
            case.item_name,
            serde_json::to_string(&case.intake)?,
            case.clerk,
            enum_name(case.state)?,
            ts_sql(case.accepted_at),
            case.due_date.map(|d| d.to_string()),
            case.deadline_basis
                .as_ref()
                .map(serde_json::to_string)
                .transpose()?,
            enum_name(case.sync_state)?,
            g.revision,
            ts_sql(case.accepted_at),
            ts_sql(g.updated_at),
            serde_json::to_string(&case.outcome)?,
            case.intake.applicant.name(),
            id_no,
            open_supplement,
            reversed(&case.case_no),
            case.official_case_no.as_deref().map(reversed),
        ])?;
        let row = tx.last_insert_rowid();
        let mut grams = tx.prepare_cached(
            "INSERT OR IGNORE INTO case_name_grams (gram, accepted_at, case_row) VALUES (?1, ?2, ?3)",
        )?;
        let at = ts_sql(case.accepted_at);
        for gram in name_grams(case.intake.applicant.name()) {
            grams.execute(params![gram, at, row])?;
        }
        if case.sync_state != SyncState::Synced {
            let quarantined = case.sync_state == SyncState::Quarantined;
            tx.prepare_cached(
                "INSERT INTO outbox (case_id, revision, attempts, last_error, next_attempt_at,
                    quarantined) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                case.id.to_string(),
                g.revision,
                i64::from(quarantined),
                quarantined.then_some("区级系统拒收：与已有办件内容不一致"),
                ts_sql(g.updated_at),
                quarantined,
            ])?;
        }
        let event = match case.outcome {
            CaseOutcome::Accepted => "case.accepted",
            CaseOutcome::AcceptedTolerant { .. } => "case.accepted_tolerant",
            CaseOutcome::CorrectionRequested { .. } => "case.correction_requested",
            CaseOutcome::Rejected { .. } => "case.rejected",
            CaseOutcome::CompletedOnSpot { .. } => "case.completed_on_spot",
        };
        self.audit(tx, case.accepted_at, g.clerk_login, event, &case.case_no)?;
        for (when, event, target) in &g.later_events {
            let actor = if *event == "case.synced" {
                "sync"
            } else {
                g.clerk_login
            };
            self.audit(tx, *when, actor, event, target)?;
        }
        Ok(1 + g.later_events.len() as u64)
    }

    fn audit(
        &mut self,
        tx: &Transaction<'_>,
        at: Timestamp,
        actor: &str,
        event: &str,
        target: &str,
    ) -> Res<()> {
        let id = self.audit_id + 1;
        let at = ts_sql(at);
        let mut h = Sha256::new();
        h.update(b"yichuang-audit-v1");
        h.update(id.to_be_bytes());
        for part in [at.as_str(), actor, event, target, "ok", &self.audit_hash] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        let hash = hex::encode(h.finalize());
        tx.prepare_cached(
            "INSERT INTO audit_log (id, at, actor, event, target, result, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            at,
            actor,
            event,
            target,
            "ok",
            self.audit_hash,
            hash
        ])?;
        self.audit_id = id;
        self.audit_hash = hash;
        Ok(())
    }

    fn serial(&self, tx: &Transaction<'_>, day: Date, last: u64) -> Res<()> {
        if last > 0 {
            tx.execute(
                "INSERT INTO case_serials (station_code, counter, day, last_serial) VALUES (?1, ?2, ?3, ?4)",
                params![STATION, COUNTER, day.to_string(), last as i64],
            )?;
        }
        Ok(())
    }
}

/// Mirrors `timefmt::ts_to_sql`.
fn ts_sql(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

/// Mirrors `cases::enum_to_sql`.
fn enum_name<T: serde::Serialize>(value: T) -> Res<String> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(format!("not a unit enum: {other}").into()),
    }
}

/// Mirrors `search::reversed`.
fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

/// Mirrors `search::name_grams`.
fn name_grams(name: &str) -> Vec<String> {
    let chars: Vec<char> = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let mut seen = HashSet::new();
    let unigrams = chars.iter().map(|c| c.to_string());
    let bigrams = chars.windows(2).map(|w| w.iter().collect::<String>());
    unigrams
        .chain(bigrams)
        .filter(|g| seen.insert(g.clone()))
        .collect()
}

/// The generated rows read back through the store: equal cases, found by search, chain intact.
fn verify(store: &Store, summary: &Summary) -> Res<()> {
    let t = Instant::now();
    for (case, _) in &summary.samples {
        let stored = store.get_case(case.id)?.ok_or("sample case missing")?;
        if &stored != case {
            return Err(format!("case {} reads back differently", case.case_no).into());
        }
        let day = time::local_date(case.accepted_at);
        let texts = [
            case.case_no.clone(),
            case.intake.applicant.name().to_string(),
            case.intake.applicant.id().1.to_string(),
        ];
        for text in texts.iter().chain(&case.official_case_no) {
            let found = store.search_cases(&CaseQuery {
                text: text.clone(),
                from: Some(day),
                to: Some(day),
                limit: 200,
                ..Default::default()
            })?;
            if !found.iter().any(|c| c.id == case.id) {
                return Err(format!("search for {text} misses case {}", case.case_no).into());
            }
        }
    }
    let (pending, quarantined) = store.outbox_counts()?;
    if (pending, quarantined) != (summary.pending, summary.quarantined) {
        return Err("outbox counts differ".into());
    }
    let chain = store.verify_audit_chain()?;
    println!(
        "checked {} sample cases (get_case equal, found by number, name, ID), outbox \
         {pending}+{quarantined}, audit chain of {chain} rows ({} generated) in {:.0} s",
        summary.samples.len(),
        summary.audit_rows,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A quick check of a cached station: a few cases read back and found by their number.
fn spot_check(store: &Store, raw: &Connection) -> Res<()> {
    let mut stmt = raw.prepare("SELECT id, case_no FROM cases WHERE rowid % 100003 = 7")?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, case_no) in &rows {
        let case = store
            .get_case(Uuid::parse_str(id)?)?
            .ok_or("case missing")?;
        let found = store.find_cases(case_no)?;
        if case.case_no != *case_no || found.first().map(|c| c.id) != Some(case.id) {
            return Err(format!("spot check failed for {case_no}").into());
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------

struct Kind {
    label: &'static str,
    queries: Vec<CaseQuery>,
}

/// A case drawn at random from the station (a natural person's), as a clerk would look it up.
struct Drawn {
    name: Vec<char>,
    id_no: String,
    case_no: String,
    official: Option<String>,
    item_code: String,
    day: Date,
}

fn draw(raw: &Connection, rng: &mut Rng, max_row: i64) -> Res<Drawn> {
    let mut stmt = raw.prepare_cached(
        "SELECT applicant_name, applicant_id_no, case_no, official_case_no, item_code, accepted_at
         FROM cases WHERE rowid = ?1",
    )?;
    loop {
        let row = 1 + rng.below(max_row as u64) as i64;
        let (name, id_no, case_no, official, item_code, at): (
            String,
            String,
            String,
            Option<String>,
            String,
            String,
        ) = stmt.query_row([row], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        let name: Vec<char> = name.chars().collect();
        if id_no.len() == 18 && id_no[..17].bytes().all(|b| b.is_ascii_digit()) && name.len() >= 3 {
            return Ok(Drawn {
                name,
                id_no,
                case_no,
                official,
                item_code,
                day: time::local_date(at.parse()?),
            });
        }
    }
}

fn text(t: impl Into<String>) -> CaseQuery {
    CaseQuery {
        text: t.into(),
        ..Default::default()
    }
}

/// `per_kind` queries of each kind, values drawn from the station, about one in ten a miss.
fn query_kinds(raw: &Connection, per_kind: usize) -> Res<Vec<Kind>> {
    let max_row: i64 = raw.query_row("SELECT max(rowid) FROM cases", [], |r| r.get(0))?;
    let mut rng = Rng(SEED ^ 0xA11CE);
    type Make = fn(&Drawn, &mut Rng, bool) -> CaseQuery;
    let makers: Vec<(&'static str, Make)> = vec![
        ("queue front page (no text, no filter)", |_, _, _| {
            CaseQuery::default()
        }),
        ("name: surname, 1 char (王)", |d, _, miss| {
            text(if miss {
                "龘".into()
            } else {
                d.name[0].to_string()
            })
        }),
        ("name: given-name piece, 2 chars", |d, _, miss| {
            let n = d.name.len();
            text(if miss {
                "靐龘".into()
            } else {
                d.name[n - 2..].iter().collect::<String>()
            })
        }),
        ("name: full name", |d, _, miss| {
            let name: String = d.name.iter().collect();
            text(if miss { format!("{name}龘") } else { name })
        }),
        ("ID number: full 18", |d, _, miss| {
            text(if miss {
                resident_id("110101", Date::constant(1990, 5, 17), 123)
            } else {
                d.id_no.clone()
            })
        }),
        ("ID number: last 4", |d, _, _| text(&d.id_no[14..])),
        ("ID number: last 6", |d, rng, miss| {
            text(if miss {
                rng.digits(6)
            } else {
                d.id_no[12..].to_string()
            })
        }),
        ("case no: full provisional", |d, _, miss| {
            text(if miss {
                "L440111001-01-20991231-0001".into()
            } else {
                d.case_no.clone()
            })
        }),
        ("case no: start (station-counter-date)", |d, _, miss| {
            text(if miss {
                "L440111001-01-20991231".into()
            } else {
                d.case_no[..22].to_string()
            })
        }),
        ("case no: end, serial (4 digits)", |d, _, _| {
            text(&d.case_no[d.case_no.len() - 4..])
        }),
        ("case no: end, date-serial", |d, _, miss| {
            text(if miss {
                "20991231-0001".into()
            } else {
                d.case_no[14..].to_string()
            })
        }),
        ("official no: end (6 digits)", |d, rng, miss| {
            match &d.official {
                Some(o) if !miss => text(&o[o.len() - 6..]),
                _ => text(format!("9{}", rng.digits(5))),
            }
        }),
        ("filter: item", |d, _, _| CaseQuery {
            item_code: Some(d.item_code.clone()),
            ..Default::default()
        }),
        ("filter: state", |_, rng, _| CaseQuery {
            state: Some(CaseState::ALL[1 + rng.below(5) as usize]),
            ..Default::default()
        }),
        ("filter: one day", |d, _, _| CaseQuery {
            from: Some(d.day),
            to: Some(d.day),
            ..Default::default()
        }),
        ("filter: one month", |d, _, _| CaseQuery {
            from: Some(d.day.first_of_month()),
            to: Some(d.day.last_of_month()),
            ..Default::default()
        }),
        ("item + month + name piece", |d, rng, miss| {
            let n = d.name.len();
            let piece: String = match rng.below(3) {
                _ if miss => "龘".into(),
                0 => d.name[0].to_string(),
                1 => d.name[n - 2..].iter().collect(),
                _ => d.name.iter().collect(),
            };
            CaseQuery {
                text: piece,
                item_code: Some(d.item_code.clone()),
                from: Some(d.day.first_of_month()),
                to: Some(d.day.last_of_month()),
                ..Default::default()
            }
        }),
    ];
    let mut kinds: Vec<Kind> = makers
        .iter()
        .map(|(label, _)| Kind {
            label,
            queries: Vec::with_capacity(per_kind),
        })
        .collect();
    for _ in 0..per_kind {
        let drawn = draw(raw, &mut rng, max_row)?;
        for (kind, (_, make)) in kinds.iter_mut().zip(&makers) {
            let miss = rng.chance(0.1);
            kind.queries.push(make(&drawn, &mut rng, miss));
        }
    }
    Ok(kinds)
}

/// Runs every kind's queries interleaved (one of each kind in turn), after a warm-up round.
fn run(store: &Store, kinds: &[Kind]) -> Res<()> {
    let per_kind = kinds[0].queries.len();
    for kind in kinds {
        for q in kind.queries.iter().take(10) {
            store.search_cases(q)?;
        }
    }
    let mut times = vec![Vec::with_capacity(per_kind); kinds.len()];
    let mut rows = vec![(0usize, 0usize); kinds.len()];
    for i in 0..per_kind {
        for (k, kind) in kinds.iter().enumerate() {
            let t = Instant::now();
            let found = store.search_cases(&kind.queries[i])?;
            times[k].push(t.elapsed());
            rows[k].0 += found.len();
            rows[k].1 += usize::from(found.is_empty());
        }
    }
    println!(
        "\n{per_kind} queries per kind, interleaved; limit 50 (the default); target p95 < {} ms\n",
        TARGET_P95.as_millis()
    );
    println!(
        "{:<40} {:>8} {:>8} {:>8} {:>9} {:>7}",
        "kind", "p50 ms", "p95 ms", "max ms", "rows avg", "empty"
    );
    let mut over = Vec::new();
    for (k, kind) in kinds.iter().enumerate() {
        let t = &mut times[k];
        t.sort_unstable();
        let p = |q: f64| t[((t.len() - 1) as f64 * q).round() as usize];
        let flag = if p(0.95) >= TARGET_P95 {
            over.push(kind.label);
            "  OVER"
        } else {
            ""
        };
        println!(
            "{:<40} {:>8.2} {:>8.2} {:>8.2} {:>9.1} {:>6.0}%{flag}",
            kind.label,
            ms(p(0.5)),
            ms(p(0.95)),
            ms(p(1.0)),
            rows[k].0 as f64 / per_kind as f64,
            100.0 * rows[k].1 as f64 / per_kind as f64,
        );
    }
    if over.is_empty() {
        println!("\nevery kind meets p95 < {} ms", TARGET_P95.as_millis());
    } else {
        println!("\nover target: {}", over.join("; "));
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Mirrors `cases::COLUMNS`.
const COLUMNS: &str = "c.id, c.case_no, c.official_case_no, c.station_code, \
    c.item_name, c.intake_json, c.clerk, c.state, c.accepted_at, c.due_date, \
    c.deadline_basis_json, c.sync_state, c.outcome_json";

/// Mirrors `search::escape_like`.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Prints the plan of each SQL statement the store runs for `q`. The SQL is rebuilt here the
/// way `search::find` builds it (text_clause + Filters); keep it in step with search.rs.
fn explain(raw: &Connection, label: &str, q: &CaseQuery) -> Res<()> {
    println!("\n== {label}: {q:?}");
    let mut filters = String::new();
    let mut fargs = Vec::new();
    if let Some(item) = &q.item_code {
        filters.push_str(" AND c.item_code = ?");
        fargs.push(Value::Text(item.clone()));
    }
    if let Some(state) = q.state {
        filters.push_str(" AND c.state = ?");
        fargs.push(Value::Text(enum_name(state)?));
    }
    if let Some(sync) = q.sync_state {
        filters.push_str(" AND c.sync_state = ?");
        fargs.push(Value::Text(enum_name(sync)?));
    }
    if let Some(from) = q.from {
        filters.push_str(" AND c.accepted_at >= ?");
        fargs.push(Value::Text(ts_sql(
            time::china_tz().to_timestamp(from.at(0, 0, 0, 0))?,
        )));
    }
    if let Some(to) = q.to {
        filters.push_str(" AND c.accepted_at < ?");
        fargs.push(Value::Text(ts_sql(
            time::china_tz().to_timestamp(to.tomorrow()?.at(0, 0, 0, 0))?,
        )));
    }
    let mut clauses = Vec::new();
    let matches = read_search_text(&q.text);
    if matches.is_empty() {
        clauses.push(("FROM cases c WHERE 1 = 1".to_string(), vec![]));
    }
    for m in matches {
        clauses.push(match m {
            TextMatch::Name(name) => {
                let grams = name_grams(&name);
                let gram = grams
                    .iter()
                    .max_by_key(|g| g.chars().count())
                    .cloned()
                    .unwrap_or_default();
                (
                    "FROM case_name_grams g JOIN cases c ON c.rowid = g.case_row
                     WHERE g.gram = ? AND c.applicant_name LIKE ? ESCAPE '\\'"
                        .into(),
                    vec![
                        Value::Text(gram),
                        Value::Text(format!("%{}%", escape_like(&name))),
                    ],
                )
            }
            TextMatch::IdNo(id) => (
                "FROM cases c WHERE c.applicant_id_no = ?".into(),
                vec![Value::Text(id)],
            ),
            TextMatch::IdTail(tail) => (
                "FROM cases c WHERE substr(c.applicant_id_no, -4) = ? AND c.applicant_id_no GLOB ?"
                    .into(),
                vec![
                    Value::Text(tail[tail.len() - 4..].to_string()),
                    Value::Text(format!("*{tail}")),
                ],
            ),
            TextMatch::CaseNoPrefix(prefix) => (
                "FROM cases c WHERE (c.case_no GLOB ?1 OR c.official_case_no GLOB ?1
                    OR c.case_no_rev GLOB ?2 OR c.official_case_no_rev GLOB ?2)"
                    .into(),
                vec![
                    Value::Text(format!("{prefix}*")),
                    Value::Text(format!("{}*", reversed(&prefix))),
                ],
            ),
        });
    }
    for (from, mut args) in clauses {
        let sql = format!(
            "SELECT c.accepted_at, c.rowid, {COLUMNS} {from}{filters} \
             ORDER BY c.accepted_at DESC, c.rowid DESC LIMIT ?"
        );
        args.extend(fargs.iter().cloned());
        args.push(Value::Integer(i64::from(q.limit())));
        let t = Instant::now();
        let n = raw
            .prepare(&sql)?
            .query_map(params_from_iter(args.iter()), |_| Ok(()))?
            .count();
        let took = t.elapsed();
        println!("  {}", sql.split_whitespace().collect::<Vec<_>>().join(" "));
        println!("  -- {n} rows in {:.2} ms (rows not decoded)", ms(took));
        let mut stmt = raw.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let mut plan = stmt.query(params_from_iter(args.iter()))?;
        while let Some(r) = plan.next()? {
            let detail: String = r.get(3)?;
            println!("     {detail}");
        }
    }
    Ok(())
}
