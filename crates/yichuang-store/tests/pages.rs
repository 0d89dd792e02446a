//! Scanned pages in a real provisioned station: attach, dedup, reorder, remove, open
//! (audited), refuse, reuse for a returning applicant, encryption at rest, reopen, upgrade.

use crate::common;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use common::{IMMEDIATE, PASSPHRASE, PROMISED, TestStation, draft, ts};
use uuid::Uuid;
use yichuang_core::IntakeDecision;
use yichuang_store::{DbKey, KeyringStore, StationPaths, Store, StoreError, recover_key};

const CLERK: &str = "zhangsan";
const ID_NO: &str = "11010519491231002X";

/// A real image of `format`, different for every `seed`.
fn image_bytes(seed: u8, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64 + u32::from(seed), 48, |x, y| {
        image::Rgb([x as u8 ^ seed, y as u8, seed.wrapping_mul(37)])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn jpeg(seed: u8) -> Vec<u8> {
    image_bytes(seed, image::ImageFormat::Jpeg)
}

fn write(t: &TestStation, name: &str, bytes: &[u8]) -> PathBuf {
    let path = t.dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Page files in the vault (thumbnails not counted).
fn vault_files(paths: &StationPaths) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(shards) = std::fs::read_dir(paths.pages_dir()) else {
        return files;
    };
    for shard in shards.map(|e| e.unwrap().path()) {
        if shard.is_dir() && !shard.ends_with("thumbs") {
            files.extend(
                std::fs::read_dir(&shard)
                    .unwrap()
                    .map(|e| e.unwrap().path()),
            );
        }
    }
    files
}

fn count(t: &TestStation, sql: &str) -> i64 {
    t.raw_connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn positions(store: &Store, id: Uuid) -> Vec<(String, u32)> {
    let pages = store.pages_of(id).unwrap();
    pages.into_iter().map(|p| (p.sha256, p.position)).collect()
}

#[test]
fn attach_and_attach_again_and_dedup_across_intakes() {
    let t = TestStation::new("pages-attach");
    let mut store = t.provision();
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let card = write(&t, "身份证正面.jpg", &jpeg(1));
    let first = store.attach_page(a, "M01", &card, CLERK).unwrap();
    assert_eq!((first.intake_id, first.material_code.as_str()), (a, "M01"));
    assert_eq!((first.position, first.kind.as_str()), (1, "jpeg"));
    assert_eq!(
        (first.width, first.height, first.pdf_pages),
        (Some(65), Some(48), None)
    );
    assert_eq!(first.original_name, "身份证正面.jpg");
    assert_eq!(first.reused_from_case, None);
    let png = image_bytes(2, image::ImageFormat::Png);
    let second = store
        .attach_page_bytes(a, "M01", "拖入.png", png.clone(), CLERK)
        .unwrap();
    assert_eq!((second.position, second.kind.as_str()), (2, "png"));
    assert_eq!(
        store.attach_page(a, "M01", &card, CLERK).unwrap(),
        first,
        "the same file on the same line is not added twice"
    );
    store.attach_page(b, "M01", &card, CLERK).unwrap();
    assert_eq!(store.pages_of(a).unwrap(), vec![first.clone(), second]);
    assert_eq!(vault_files(&t.paths).len(), 2, "one vault file per content");
    assert_eq!(count(&t, "SELECT count(*) FROM pages"), 2);
    assert_eq!(count(&t, "SELECT count(*) FROM intake_pages"), 3);
    assert!(
        store
            .page_thumbnail(first.id)
            .unwrap()
            .starts_with(&[0xFF, 0xD8, 0xFF])
    );
}

#[test]
fn reorder_keeps_positions_dense() {
    let t = TestStation::new("pages-move");
    let mut store = t.provision();
    let id = Uuid::now_v7();
    let p: Vec<_> = (10..13)
        .map(|s| {
            store
                .attach_page_bytes(id, "M03", &format!("{s}.jpg"), jpeg(s), CLERK)
                .unwrap()
        })
        .collect();
    let other = store
        .attach_page_bytes(id, "M01", "card.jpg", jpeg(20), CLERK)
        .unwrap();
    assert_eq!(store.move_page(p[2].id, 1).unwrap().position, 1);
    let order = |store: &Store| -> Vec<_> {
        store
            .pages_of(id)
            .unwrap()
            .into_iter()
            .map(|r| (r.id, r.position))
            .collect()
    };
    let expected = [(other.id, 1), (p[2].id, 1), (p[0].id, 2), (p[1].id, 3)];
    assert_eq!(order(&store), expected);
    assert_eq!(
        store.move_page(p[2].id, 99).unwrap().position,
        3,
        "clamped to the line"
    );
    let expected = [(other.id, 1), (p[0].id, 1), (p[1].id, 2), (p[2].id, 3)];
    assert_eq!(order(&store), expected);
    assert!(matches!(
        store.move_page(9999, 1),
        Err(StoreError::PageNotFound { page_id: 9999 })
    ));
}

#[test]
fn remove_keeps_the_file_while_another_intake_uses_it() {
    let t = TestStation::new("pages-remove");
    let mut store = t.provision();
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let shared = jpeg(3);
    let on_a = store
        .attach_page_bytes(a, "M01", "a.jpg", shared.clone(), CLERK)
        .unwrap();
    let after = store
        .attach_page_bytes(a, "M01", "a2.jpg", jpeg(4), CLERK)
        .unwrap();
    let on_b = store
        .attach_page_bytes(b, "M01", "b.jpg", shared.clone(), CLERK)
        .unwrap();
    assert_eq!(vault_files(&t.paths).len(), 2);

    assert!(store.remove_page(on_a.id).unwrap());
    assert_eq!(
        positions(&store, a),
        vec![(after.sha256.clone(), 1)],
        "moved up"
    );
    assert_eq!(
        vault_files(&t.paths).len(),
        2,
        "b still uses the shared page"
    );
    assert_eq!(store.page_image(on_b.id, CLERK).unwrap(), shared);

    assert!(store.remove_page(on_b.id).unwrap());
    assert_eq!(vault_files(&t.paths).len(), 1, "last use gone, file gone");
    assert_eq!(count(&t, "SELECT count(*) FROM pages"), 1);
    assert!(
        !store.remove_page(on_b.id).unwrap(),
        "removing twice is harmless"
    );
}

#[test]
fn opening_a_page_returns_the_original_and_is_audited() {
    let t = TestStation::new("pages-open");
    let mut store = t.provision();
    let id = Uuid::now_v7();
    let original = jpeg(5);
    let page = store
        .attach_page(id, "M01", &write(&t, "王堃喆身份证.jpg", &original), CLERK)
        .unwrap();
    let before = count(
        &t,
        "SELECT count(*) FROM audit_log WHERE event = 'scan.opened'",
    );
    store.page_thumbnail(page.id).unwrap();
    assert_eq!(store.page_image(page.id, CLERK).unwrap(), original);
    let (actor, target, result): (String, String, String) = t
        .raw_connection()
        .query_row(
            "SELECT actor, target, result FROM audit_log WHERE event = 'scan.opened'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(before, 0, "a thumbnail is not audited");
    assert_eq!((actor.as_str(), result.as_str()), (CLERK, "ok"));
    assert_eq!(target, id.to_string(), "a draft is named by its intake id");

    // Once decided, the case number names it; never the applicant.
    let now = ts("2026-11-30T02:00:00Z");
    let saved = store
        .decide_case(id, &draft(PROMISED), &IntakeDecision::Accept, "张三", now)
        .unwrap();
    store.page_image(page.id, CLERK).unwrap();
    let last: String = t
        .raw_connection()
        .query_row(
            "SELECT target FROM audit_log WHERE event = 'scan.opened' ORDER BY id DESC",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, saved.case.case_no);
    assert_eq!(
        count(
            &t,
            "SELECT count(*) FROM audit_log WHERE target LIKE '%王%'"
        ),
        0
    );
    store.verify_audit_chain().unwrap();
}

#[test]
fn a_wrong_or_corrupt_file_is_refused_by_name_and_nothing_is_written() {
    let t = TestStation::new("pages-refuse");
    let mut store = t.provision();
    let id = Uuid::now_v7();
    store
        .save_draft(
            id,
            CLERK,
            PROMISED,
            r#"{"step":1}"#,
            ts("2026-11-30T02:00:00Z"),
        )
        .unwrap();
    let kept = store
        .attach_page_bytes(id, "M01", "ok.jpg", jpeg(6), CLERK)
        .unwrap();
    let text = write(&t, "申请表.jpg", "申请人：王堃喆\n".as_bytes());
    let mut cut = jpeg(7);
    cut.truncate(cut.len() / 2);
    let refusals = [
        store.attach_page(id, "M01", &text, CLERK).unwrap_err(),
        store
            .attach_page_bytes(id, "M01", "半张.jpg", cut, CLERK)
            .unwrap_err(),
        store
            .attach_page(id, "M01", Path::new("/nonexistent/丢失.jpg"), CLERK)
            .unwrap_err(),
    ];
    for (err, name) in refusals.iter().zip(["申请表.jpg", "半张.jpg", "丢失.jpg"]) {
        assert_eq!(err.kind(), "scan");
        assert!(err.to_string().contains(name), "{err}");
        let source = std::error::Error::source(err).expect("keeps its source");
        assert!(source.downcast_ref::<yichuang_scan::ScanError>().is_some());
    }
    assert!(
        refusals[0].to_string().contains("文本文件"),
        "{}",
        refusals[0]
    );
    assert_eq!(store.pages_of(id).unwrap(), vec![kept]);
    assert_eq!(count(&t, "SELECT count(*) FROM pages"), 1);
    assert_eq!(vault_files(&t.paths).len(), 1);
    assert_eq!(store.draft(id).unwrap().unwrap().form_json, r#"{"step":1}"#);
}

#[test]
fn a_returning_applicant_reuses_the_id_card_page() {
    let t = TestStation::new("pages-reuse");
    let mut store = t.provision();
    let earlier = Uuid::now_v7();
    let card = store
        .attach_page_bytes(earlier, "M01", "card.jpg", jpeg(8), CLERK)
        .unwrap();
    let now = ts("2026-11-30T02:00:00Z");
    let decision = IntakeDecision::Accept;
    store
        .decide_case(earlier, &draft(PROMISED), &decision, "张三", now)
        .unwrap();

    let new = Uuid::now_v7();
    let offered = store
        .reusable_pages(" 110105 19491231002x ", "居民身份证")
        .unwrap();
    assert_eq!(offered, vec![card.clone()]);
    assert!(
        store
            .reusable_pages(ID_NO, "近期免冠照片")
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .reusable_pages("440524188001010014", "居民身份证")
            .unwrap()
            .is_empty()
    );

    let reused = store.reuse_page(new, "M01", card.id, CLERK).unwrap();
    assert_eq!((reused.intake_id, reused.position), (new, 1));
    assert_eq!(reused.reused_from_case, Some(earlier));
    assert_eq!(reused.sha256, card.sha256);
    assert_eq!(
        store.reuse_page(new, "M01", card.id, CLERK).unwrap(),
        reused
    );
    assert_eq!(vault_files(&t.paths).len(), 1, "no new file");
    assert_eq!(store.page_image(reused.id, CLERK).unwrap(), jpeg(8));
    assert_eq!(
        count(
            &t,
            "SELECT count(*) FROM audit_log WHERE event = 'scan.reused'"
        ),
        1
    );

    // The new intake (another item whose M01 is also 居民身份证) is decided: two cases now
    // offer the same page once.
    store
        .decide_case(new, &draft(IMMEDIATE), &decision, "张三", now)
        .unwrap();
    assert_eq!(store.reusable_pages(ID_NO, "居民身份证").unwrap().len(), 1);
    // A draft's page is not an earlier case's.
    let draft_page = store
        .attach_page_bytes(Uuid::now_v7(), "M01", "d.jpg", jpeg(9), CLERK)
        .unwrap();
    let err = store
        .reuse_page(Uuid::now_v7(), "M01", draft_page.id, CLERK)
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)), "{err}");
}

#[test]
fn vault_files_are_encrypted_and_survive_reopen_and_key_recovery() {
    let t = TestStation::new("pages-at-rest");
    let original = jpeg(11);
    let page = {
        let mut store = t.provision();
        store
            .attach_page_bytes(Uuid::now_v7(), "M01", "c.jpg", original.clone(), CLERK)
            .unwrap()
    };
    let files = vault_files(&t.paths);
    assert_eq!(files.len(), 1);
    let sealed = std::fs::read(&files[0]).unwrap();
    assert!(
        !sealed.starts_with(&[0xFF, 0xD8, 0xFF]),
        "no JPEG SOI at offset 0"
    );
    assert_ne!(sealed, original);
    assert!(
        !sealed
            .windows(64)
            .any(|w| w == &original[original.len() - 64..])
    );

    let mut store = t.open();
    assert_eq!(store.page_image(page.id, CLERK).unwrap(), original);
    drop(store);
    // The page key lives in the encrypted database: restoring the database key restores it.
    let id = t.paths.database_id().unwrap();
    assert!(t.keyring.delete(&id).unwrap());
    recover_key(&t.paths, &t.keyring, PASSPHRASE).unwrap();
    assert_eq!(t.open().page_image(page.id, CLERK).unwrap(), original);
}

#[test]
fn a_station_provisioned_then_reopened_attaches_pages() {
    let t = TestStation::new("pages-reopened");
    drop(t.provision());
    let mut store = t.open();
    let page = store
        .attach_page_bytes(Uuid::now_v7(), "M01", "c.jpg", jpeg(12), CLERK)
        .unwrap();
    assert_eq!(store.page_image(page.id, CLERK).unwrap(), jpeg(12));
}

#[test]
fn a_schema_1_station_from_the_field_gets_pages_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let paths = StationPaths::new(dir.path().join("station"));
    std::fs::create_dir_all(&paths.data_dir).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/station-v1.db");
    std::fs::copy(fixture, paths.db_path()).unwrap();
    let keyring = KeyringStore::new(format!(
        "yichuang-store-test-pages-v1-{}",
        std::process::id()
    ));
    let db_id = paths.database_id().unwrap();
    let key = DbKey::from_slice(&mut b"yichuang-fixture-key-0001-schema".to_vec()).unwrap();
    keyring.set(&db_id, &key).unwrap();
    let result = std::panic::catch_unwind(|| {
        let mut store = Store::open(&paths, &keyring).unwrap();
        let case = store.list_cases(1).unwrap().remove(0);
        let page = store
            .attach_page_bytes(case.id, "M01", "c.jpg", jpeg(13), "chenyi")
            .unwrap();
        assert_eq!(
            store
                .reusable_pages("440524188001010014", "居民身份证")
                .unwrap(),
            vec![page.clone()]
        );
        drop(store);
        let mut store = Store::open(&paths, &keyring).unwrap();
        assert_eq!(store.page_image(page.id, "chenyi").unwrap(), jpeg(13));
    });
    keyring.delete(&db_id).unwrap();
    result.unwrap();
}
