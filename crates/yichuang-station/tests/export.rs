//! Exports of a date range on a real station: the XLSX read back with calamine and the CSV
//! with the csv crate, Chinese headers, ID numbers masked unless asked for in full, the file
//! renamed into place (no part file left), progress reported, the export audited without its
//! content, and a repeated export replacing the file. Run under with-keyring.sh.

use crate::common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{DEMO_ID, PENSION, RESIDENCE_PERMIT, filled, station};
use yichuang_core::IntakeDecision;
use yichuang_station::export::{ExportFormat, ExportProgress, ExportRequest, HEADERS};
use yichuang_station::{DateRange, Station};

fn export(
    station: &Station,
    path: &std::path::Path,
    format: ExportFormat,
    full_ids: bool,
) -> (yichuang_station::ExportDone, Vec<ExportProgress>) {
    let mut seen = Vec::new();
    let request = ExportRequest {
        range: DateRange::default(),
        format,
        path: path.display().to_string(),
        full_ids,
    };
    let done = station
        .export_cases(&request, &mut |p| seen.push(p))
        .unwrap();
    (done, seen)
}

/// The audit rows of exports, read from the encrypted file with the station's key.
fn export_audit(f: &common::Fixture) -> Vec<(String, String, String)> {
    let raw = common::raw_db(&f.config);
    let mut stmt = raw
        .prepare("SELECT actor, target, result FROM audit_log WHERE event = 'cases.exported' ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn xlsx_and_csv_hold_the_range_with_masked_ids_and_the_export_is_audited() {
    let f = station();
    let mut cases = Vec::new();
    for item in [RESIDENCE_PERMIT, PENSION, RESIDENCE_PERMIT] {
        let form = filled(&f.station, item);
        cases.push(
            f.station
                .decide(&form, &IntakeDecision::Accept)
                .unwrap()
                .case,
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let name = f
        .station
        .export_file_name(&DateRange::default(), ExportFormat::Xlsx)
        .unwrap();
    assert!(
        name.starts_with("办件导出_") && name.ends_with(".xlsx"),
        "{name}"
    );

    // XLSX, chosen without its extension: the extension is added.
    let (done, progress) = export(
        &f.station,
        &dir.path().join("本月办件"),
        ExportFormat::Xlsx,
        false,
    );
    assert_eq!(done.rows, 3);
    assert!(done.path.ends_with("本月办件.xlsx"), "{}", done.path);
    assert!(done.message.contains("已导出 3 件"), "{}", done.message);
    assert!(done.message.contains("证件号码已隐藏"), "{}", done.message);
    assert_eq!(progress.first().unwrap().written, 0);
    assert_eq!(
        progress.last().unwrap(),
        &ExportProgress {
            written: 3,
            total: 3
        }
    );
    let mut book: Xlsx<_> = open_workbook(&done.path).unwrap();
    let sheet = book.worksheet_range("办件").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("every cell is text, got {other:?}"),
                })
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0], HEADERS.map(str::to_string).to_vec());
    assert_eq!(rows[1][0], cases[0].case_no, "in the order saved");
    assert_eq!(rows[2][3], "城乡居民基本养老保险参保登记");
    assert_eq!(rows[1][4], "王堃喆");
    assert_eq!(rows[1][5], "110105********002X");
    assert_eq!(rows[1][7], "已受理");
    assert_eq!(rows[1][10], "未同步");

    // CSV with full IDs: a UTF-8 BOM, then the same rows.
    let csv_path = dir.path().join("办件.csv");
    let (done, _) = export(&f.station, &csv_path, ExportFormat::Csv, true);
    assert_eq!(done.rows, 3);
    assert!(done.message.contains("含完整证件号码"), "{}", done.message);
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        HEADERS
    );
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(&records[2][0], cases[2].case_no);
    assert_eq!(&records[0][5], DEMO_ID);

    // Again to the same file: replaced, not appended; no part file left beside it.
    let (again, _) = export(&f.station, &csv_path, ExportFormat::Csv, false);
    assert_eq!(again.rows, 3);
    let text = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(text.lines().count(), 4);
    assert!(!text.contains(DEMO_ID));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");

    let audit = export_audit(&f);
    assert_eq!(audit.len(), 3);
    assert_eq!(audit[0].0, "demo");
    assert!(audit[0].1.ends_with("xlsx rows=3 masked_ids"), "{audit:?}");
    assert!(audit[1].1.ends_with("csv rows=3 full_ids"), "{audit:?}");
    assert!(
        audit
            .iter()
            .all(|(_, target, _)| !target.contains("王") && !target.contains(DEMO_ID))
    );
}

#[test]
fn an_export_to_a_missing_folder_or_a_relative_path_says_what_to_do() {
    let f = station();
    let request = |path: String| ExportRequest {
        range: DateRange::default(),
        format: ExportFormat::Csv,
        path,
        full_ids: false,
    };
    let missing = f.dir.path().join("no-such-folder").join("x.csv");
    let e = f
        .station
        .export_cases(&request(missing.display().to_string()), &mut |_| {})
        .unwrap_err();
    assert!(e.message.contains("文件夹不存在"), "{e:?}");
    let e = f
        .station
        .export_cases(&request("x.csv".into()), &mut |_| {})
        .unwrap_err();
    assert!(e.message.contains("选择保存位置"), "{e:?}");
    let bad_range = ExportRequest {
        range: DateRange {
            from: Some("2026-12-01".into()),
            to: Some("2026-11-01".into()),
        },
        ..request(f.dir.path().join("y.csv").display().to_string())
    };
    let e = f.station.export_cases(&bad_range, &mut |_| {}).unwrap_err();
    assert!(e.message.contains("晚于"), "{e:?}");
}
