//! A district serving the citizen's pages for a look (a screenshot, a phone on the same
//! network): one station enrolled with an evaluation-QR key through the real enrollment, the
//! demo catalogue published, one case received (with a status) and one printed offline.
//! Prints the URLs its slips' QR codes would carry, then serves until Ctrl-C.
//!
//! `cargo run -p yichuang-district --example citizen_pages -- [127.0.0.1:0]`

use std::sync::Arc;

use anyhow::{Context, bail};
use jiff::Timestamp;
use tokio::net::TcpListener;
use yichuang_core::DistrictStatus;
use yichuang_core::evaluation_qr::{EvaluationQr, QrSigningKey};
use yichuang_district::store::NewStatus;
use yichuang_district::{DistrictServer, DistrictStore, Settings, SqliteStore, officer};
use yichuang_sync::protocol::v2::cases::{BatchAnswer, CASES_BATCH_PATH, CaseBatch, CaseRecord};
use yichuang_sync::protocol::v2::downloads::ReferenceKind;
use yichuang_sync::protocol::v2::enroll::{ENROLL_PATH, EnrollRequest, Enrollment};
use yichuang_sync::testing::sample_submission;

const STATION: &str = "440111001";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn DistrictStore> =
        Arc::new(SqliteStore::open(&dir.path().join("district.sqlite3"))?);
    let listener = TcpListener::bind(&listen)
        .await
        .with_context(|| format!("bind {listen}"))?;
    let server =
        DistrictServer::start_with(listener, Settings::new("440111", dir.path()), store).await?;
    let url = server.url();
    let store = server.store();
    officer::publish(
        store.as_ref(),
        ReferenceKind::Catalogue,
        include_str!("../../../assets/demo/catalogue.json"),
    )
    .await?;

    // The station enrolls as a real one does, sending its key's public half.
    let key = QrSigningKey::generate()?;
    let (code, _) =
        officer::issue_enroll_code(store.as_ref(), STATION, "白云区京溪街便民服务站", 1).await?;
    let http = reqwest::Client::new();
    let enrolled: Enrollment = http
        .post(format!("{url}{ENROLL_PATH}"))
        .json(&EnrollRequest {
            code,
            station_code: STATION.into(),
            device_name: "1 号窗口".into(),
            app_version: "0.1.0".into(),
            qr_public_key: Some(key.public_key().to_hex()),
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;

    let received = sample_submission(STATION, 1);
    let offline = sample_submission(STATION, 2);
    let answer: BatchAnswer = http
        .post(format!("{url}{CASES_BATCH_PATH}"))
        .bearer_auth(&enrolled.device_token)
        .json(&CaseBatch {
            records: vec![CaseRecord {
                submission: received.clone(),
                revision: 1,
                clock_offset_ms: None,
                materials: vec![],
            }],
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    if answer.results.len() != 1 {
        bail!("the case was not answered");
    }
    store
        .record_status(NewStatus {
            case_id: received.id,
            status: DistrictStatus::Reviewing,
            note: None,
            courier: None,
            tracking_no: None,
            now: Timestamp::now(),
        })
        .await?;

    for (what, case) in [("received", &received), ("printed offline", &offline)] {
        let qr = EvaluationQr {
            station_code: STATION.into(),
            case_no: case.case_no.clone(),
            item_code: case.item_code.clone(),
            region_code: "440111".into(),
            channel: "qr".into(),
        };
        let payload = qr.to_payload(&format!("{url}/hcp"), &key);
        println!("{what}: {payload}");
        if let Some((_, query)) = payload.split_once('?') {
            println!("{what}: {url}/progress?{query}");
        }
    }
    tokio::signal::ctrl_c().await?;
    server.shutdown().await?;
    Ok(())
}
