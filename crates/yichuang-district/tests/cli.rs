//! The `yichuang-district` binary: serve (the demo's flags too) and the officer's
//! subcommands on the same data dir, run as the officer would.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use yichuang_sync::protocol::v2::cases::{BatchAnswer, CASES_BATCH_PATH, CaseBatch, CaseRecord};
use yichuang_sync::protocol::v2::downloads::{STATUS_CHANGES_PATH, StatusChanges};
use yichuang_sync::protocol::v2::enroll::{ENROLL_PATH, EnrollRequest, Enrollment};
use yichuang_sync::protocol::v2::report::{REPORT_PATH, StationReport};

const BIN: &str = env!("CARGO_BIN_EXE_yichuang-district");
const STATION: &str = "440111001";

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run yichuang-district")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Starts the server; returns it with its base URL (read from its first line).
fn serve(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read address");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("address line")
        .to_string();
    (child, url)
}

fn data_arg(dir: &Path) -> String {
    dir.to_str().expect("utf-8 path").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officer_tools_and_server_on_one_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());
    let code = stdout(&run(&[
        "enroll-code",
        "--data",
        &data,
        "--station",
        STATION,
        "--station-name",
        "白云区测试站",
        "--valid-hours",
        "2",
    ]));
    let code = code.trim().to_string();
    assert_eq!(code.len(), 24, "{code}");
    assert!(
        !run(&[
            "enroll-code",
            "--data",
            &data,
            "--station",
            "4401",
            "--station-name",
            "x"
        ])
        .status
        .success()
    );

    let (mut server, url) = serve(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data",
        &data,
        "--region",
        "440111",
    ]);
    let http = reqwest::Client::new();
    let enrolled: Enrollment = http
        .post(format!("{url}{ENROLL_PATH}"))
        .json(&EnrollRequest {
            code,
            station_code: STATION.into(),
            device_name: "2 号窗口".into(),
            app_version: "0.2.0".into(),
            qr_public_key: None,
        })
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(enrolled.station_name, "白云区测试站");
    let token = enrolled.device_token;
    let record = CaseRecord {
        submission: yichuang_sync::testing::sample_submission(STATION, 1),
        revision: 1,
        clock_offset_ms: None,
        materials: vec![],
    };
    let answer: BatchAnswer = http
        .post(format!("{url}{CASES_BATCH_PATH}"))
        .bearer_auth(&token)
        .json(&CaseBatch {
            records: vec![record.clone()],
        })
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer.results.len(), 1);
    let report = StationReport {
        app_version: "0.2.0".into(),
        queue_depth: 4,
        quarantined: 1,
        materials_pending: 3,
        last_error: Some("网络中断".into()),
    };
    let resp = http
        .post(format!("{url}{REPORT_PATH}"))
        .bearer_auth(&token)
        .json(&report)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), reqwest::StatusCode::NO_CONTENT);

    // The officer works on the same data while the server runs.
    let id = record.submission.id.to_string();
    let out = stdout(&run(&[
        "case-status",
        "--data",
        &data,
        &id,
        "办结",
        "--note",
        "准予许可",
    ]));
    assert!(out.contains("办结"), "{out}");
    let refused = run(&["case-status", "--data", &data, &id, "reviewing"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("不能改为"));
    let changes: StatusChanges = http
        .get(format!("{url}{STATUS_CHANGES_PATH}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(changes.changes.len(), 1);
    assert_eq!(changes.changes[0].note.as_deref(), Some("准予许可"));

    let clerks = dir.path().join("clerks.json");
    // Saved by a Windows editor: UTF-8 with a byte-order mark.
    std::fs::write(&clerks, "\u{feff}{\"version\":\"v7\",\"clerks\":[]}").unwrap();
    let out = stdout(&run(&[
        "publish",
        "clerks",
        clerks.to_str().unwrap(),
        "--data",
        &data,
    ]));
    assert!(out.contains("v7"), "{out}");
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/catalogue.json");
    stdout(&run(&[
        "publish",
        "catalogue",
        catalogue.to_str().unwrap(),
        "--data",
        &data,
    ]));
    assert!(
        !run(&[
            "publish",
            "calendar",
            clerks.to_str().unwrap(),
            "--data",
            &data
        ])
        .status
        .success()
    );
    let resp = http
        .get(format!("{url}/api/v2/reference/clerks"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["etag"], "\"v7\"");

    let table = stdout(&run(&["stations", "--data", &data]));
    let line = table
        .lines()
        .find(|l| l.starts_with(STATION))
        .expect("station line");
    for part in ["白云区测试站", "2 号窗口", "0.2.0", "4", "网络中断"] {
        assert!(line.contains(part), "{part} in {line}");
    }
    server.kill().expect("stop server");
    server.wait().expect("reap server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_flags_serve_v2_with_the_registered_token() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(&dir.path().join("district"));
    let (mut server, url) = serve(&[
        "--listen",
        "127.0.0.1:0",
        "--data",
        &data,
        "--station",
        "440111001:demo-token",
    ]);
    let http = reqwest::Client::new();
    let batch = yichuang_sync::protocol::v2::cases::CaseBatch {
        records: vec![yichuang_sync::protocol::v2::cases::CaseRecord {
            submission: yichuang_sync::testing::sample_submission(STATION, 1),
            revision: 1,
            clock_offset_ms: None,
            materials: Vec::new(),
        }],
    };
    let stored = http
        .post(format!("{url}/api/v2/cases/batch"))
        .bearer_auth("demo-token")
        .json(&batch)
        .send()
        .await
        .unwrap();
    assert_eq!(stored.status(), reqwest::StatusCode::OK);
    let v1 = http
        .post(format!("{url}/api/v1/cases"))
        .bearer_auth("demo-token")
        .json(&batch.records[0].submission)
        .send()
        .await
        .unwrap();
    assert_eq!(v1.status(), reqwest::StatusCode::NOT_FOUND, "v1 is gone");
    let v2 = http
        .get(format!("{url}/api/v2/status-changes"))
        .bearer_auth("demo-token")
        .send()
        .await
        .unwrap();
    assert_eq!(v2.status(), reqwest::StatusCode::OK);
    server.kill().expect("stop server");
    server.wait().expect("reap server");
    assert!(
        !run(&["--listen", "127.0.0.1:0"]).status.success(),
        "no --data"
    );
    let help = stdout(&run(&["--help"]));
    for sub in ["serve", "enroll-code", "publish", "case-status", "stations"] {
        assert!(help.contains(sub), "{sub} in help");
    }
}

/// `url` (a `postgres://` URL) naming database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").expect("a postgres:// URL") + 3;
    let server = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_and_officer_tools_on_postgres() {
    use yichuang_district::store::{create_database, drop_database, parse_url};
    let Ok(admin_url) = std::env::var("YICHUANG_TEST_PG_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "YICHUANG_TEST_PG_URL is not set: CI must test the binary on PostgreSQL"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"skipped serve_and_officer_tools_on_postgres: YICHUANG_TEST_PG_URL is not set\n",
        );
        return;
    };
    let admin = parse_url(&admin_url).unwrap();
    let name = format!("yc_cli_{}", uuid::Uuid::now_v7().simple());
    create_database(&admin, &name).await.unwrap();
    let pg = with_database(&admin_url, &name);
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(dir.path());

    // The officer needs no data dir on PostgreSQL.
    let code = stdout(&run(&[
        "enroll-code",
        "--postgres",
        &pg,
        "--station",
        STATION,
        "--station-name",
        "白云区测试站",
    ]));
    let (mut server, url) = serve(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data",
        &data,
        "--postgres",
        &pg,
        "--region",
        "440111",
        "--max-concurrent",
        "500",
    ]);
    let http = reqwest::Client::new();
    let enrolled: Enrollment = http
        .post(format!("{url}{ENROLL_PATH}"))
        .json(&EnrollRequest {
            code: code.trim().to_string(),
            station_code: STATION.into(),
            device_name: "3 号窗口".into(),
            app_version: "0.2.0".into(),
            qr_public_key: None,
        })
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let record = CaseRecord {
        submission: yichuang_sync::testing::sample_submission(STATION, 1),
        revision: 1,
        clock_offset_ms: None,
        materials: vec![],
    };
    let answer: BatchAnswer = http
        .post(format!("{url}{CASES_BATCH_PATH}"))
        .bearer_auth(&enrolled.device_token)
        .json(&CaseBatch {
            records: vec![record.clone()],
        })
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer.results.len(), 1);
    // The environment variable names the database as well as the flag does.
    let out = Command::new(BIN)
        .args(["case-status", &record.submission.id.to_string(), "approved"])
        .env("YICHUANG_DISTRICT_PG", &pg)
        .output()
        .unwrap();
    assert!(stdout(&out).contains("办结"));
    let table = stdout(&run(&["stations", "--postgres", &pg]));
    assert!(table.contains("3 号窗口"), "{table}");
    // Nothing went to a SQLite file.
    assert!(!dir.path().join("district.sqlite3").exists());
    server.kill().expect("stop server");
    server.wait().expect("reap server");
    drop_database(&admin, &name).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_evaluation_codes_file_is_read_at_start_and_a_bad_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_arg(&dir.path().join("district"));
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/config/evaluation-codes.json");
    let (mut server, url) = serve(&[
        "--listen",
        "127.0.0.1:0",
        "--data",
        &data,
        "--region",
        "440111",
        "--evaluation-codes",
        shipped,
    ]);
    let health = reqwest::get(format!("{url}/api/v2/health")).await.unwrap();
    assert_eq!(health.status(), reqwest::StatusCode::OK);
    server.kill().expect("stop server");
    server.wait().expect("reap server");

    let broken = dir.path().join("codes.json");
    std::fs::write(
        &broken,
        r#"{"scores": {"1": "5"}, "channels": {}, "other_channel": "9"}"#,
    )
    .unwrap();
    let out = run(&[
        "--listen",
        "127.0.0.1:0",
        "--data",
        &data,
        "--region",
        "440111",
        "--evaluation-codes",
        broken.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("好差评代码对照有误") && err.contains("缺少等级 2"),
        "{err}"
    );
}
