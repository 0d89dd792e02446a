//! Printing through a real CUPS queue (cups-pdf, set up by .ci/test): the app's print path
//! sends a job, cups-pdf writes it out, and the evaluation QR is decoded from a render of the
//! printed file; a missing printer fails and its retry prints the same copy; a stuck job on a
//! paused printer is reported, cancelled, and retried once the printer is enabled. Run under
//! crates/yichuang-store/with-keyring.sh, as root (CI) so queues can be added.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{RESIDENCE_PERMIT, filled, station};
use uuid::Uuid;
use yichuang_core::{IntakeDecision, Paper, SlipKind};
use yichuang_station::{PrintHistoryQuery, PrintStatus, Station};

/// The cups-pdf queue .ci/test creates; the test fails when it is not there.
fn test_printer() -> String {
    let name = std::env::var("YICHUANG_TEST_PRINTER").unwrap_or_else(|_| "yichuang-pdf".into());
    let out = Command::new("lpstat").args(["-p", &name]).output();
    match out {
        Ok(o) if o.status.success() => name,
        _ => panic!(
            "CUPS queue “{name}” not found: install the Debian packages `cups` and \
             `printer-driver-cups-pdf` (bash .ci/setup --test-tools) and let .ci/test start \
             cupsd and create the queue (or set YICHUANG_TEST_PRINTER)"
        ),
    }
}

/// Where cups-pdf writes a job (`Out ${HOME}/PDF`): `<title>…job_<n>.pdf`.
fn wait_for_printed(os_job: &str) -> PathBuf {
    let n = os_job.rsplit('-').next().expect("job number");
    let suffix = format!("job_{n}.pdf");
    let dir = PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join("PDF");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        let found = std::fs::read_dir(&dir).ok().and_then(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .find(|p| p.to_string_lossy().ends_with(&suffix))
        });
        if let Some(path) = found {
            // cups-pdf renames the finished file into place; give Ghostscript's close a moment.
            std::thread::sleep(Duration::from_millis(300));
            return path;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!(
        "cups-pdf wrote no {suffix} into {} within 60 s",
        dir.display()
    );
}

/// Decodes every QR code of the first page of `pdf` (pdftoppm + zbarimg).
fn qr_codes(pdf: &Path) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-q", "-r", "200", "-png", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(status.success());
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("a rendered page");
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(&png)
        .output()
        .expect("zbarimg (zbar-tools)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// A cups-pdf queue of the test's own, removed at the end.
struct Queue(String);

impl Queue {
    fn name(tag: &str) -> Queue {
        Queue(format!("yichuang-test-{tag}-{}", std::process::id()))
    }
    fn create(&self) {
        let status = Command::new("lpadmin")
            .args(["-p", &self.0, "-v", "cups-pdf:/", "-E", "-m"])
            .arg("lsb/usr/cups-pdf/CUPS-PDF_opt.ppd")
            .status()
            .expect("lpadmin");
        assert!(status.success(), "lpadmin could not add {}", self.0);
    }
    fn run(&self, tool: &str) {
        assert!(Command::new(tool).arg(&self.0).status().unwrap().success());
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        let _ = Command::new("lpadmin").args(["-x", &self.0]).status();
    }
}

fn accepted_case(station: &Station) -> Uuid {
    let form = filled(station, RESIDENCE_PERMIT);
    station
        .decide(&form, &IntakeDecision::Accept)
        .unwrap()
        .case
        .id
}

#[test]
fn a_slip_goes_through_cups_and_its_printed_qr_code_reads_back() {
    let printer = test_printer();
    let f = station();
    let case_id = accepted_case(&f.station);
    f.station.set_printer(Paper::A4, &printer).unwrap();
    let options = f.station.print_options(case_id).unwrap();
    let notice = options
        .papers
        .iter()
        .find(|p| p.kind == SlipKind::AcceptanceNotice)
        .expect("an accepted case prints its 受理通知书");
    assert_eq!(notice.printer.as_deref(), Some(printer.as_str()));
    assert_eq!((notice.label.as_str(), notice.printed), ("受理通知书", 0));
    assert!(options.printers.iter().any(|p| p.name == printer));

    let preview = f
        .station
        .preview_slip(case_id, SlipKind::AcceptanceNotice)
        .unwrap();
    assert!(preview.pdf.starts_with(b"%PDF"));

    let job_id = Uuid::now_v7();
    let started = Instant::now();
    let printed = f
        .station
        .print_slip(job_id, case_id, SlipKind::AcceptanceNotice, None)
        .unwrap();
    let took = started.elapsed();
    assert_eq!(printed.status, PrintStatus::Done, "{}", printed.message);
    assert_eq!(printed.record.copy_no, 1);
    assert!(printed.message.contains(&printer), "{}", printed.message);
    let history = f
        .station
        .print_history(&PrintHistoryQuery::default())
        .unwrap();
    let os_job = f
        .station
        .store()
        .lock()
        .unwrap()
        .print_job(job_id)
        .unwrap()
        .and_then(|j| j.os_job_id)
        .expect("the CUPS job id is recorded");
    let file = wait_for_printed(&os_job);
    eprintln!(
        "printed {} in {took:?} (app side), file after {:?}",
        file.display(),
        started.elapsed()
    );
    let codes = qr_codes(&file);
    let case_no = &history[0].case_no;
    assert!(
        codes.iter().any(|c| c.contains(case_no.as_str())),
        "no QR code of case {case_no} in the printed file: {codes:?}"
    );

    // The same press again (a double click, a restart): the same record, nothing resent.
    let again = f
        .station
        .print_slip(job_id, case_id, SlipKind::AcceptanceNotice, None)
        .unwrap();
    assert_eq!(again.status, PrintStatus::Done);
    assert_eq!(again.record, printed.record);

    // A further copy is a 补打 and needs a reason.
    let no_reason = f
        .station
        .print_slip(Uuid::now_v7(), case_id, SlipKind::AcceptanceNotice, None)
        .unwrap_err();
    assert!(no_reason.message.contains("原因"), "{}", no_reason.message);
    let reprint = f
        .station
        .print_slip(
            Uuid::now_v7(),
            case_id,
            SlipKind::AcceptanceNotice,
            Some("回执遗失".into()),
        )
        .unwrap();
    assert_eq!(reprint.status, PrintStatus::Done, "{}", reprint.message);
    assert_eq!(reprint.record.copy_label, "补打（第 2 份）");
    let refused = f
        .station
        .print_slip(Uuid::now_v7(), case_id, SlipKind::RejectionNotice, None)
        .unwrap_err();
    assert!(refused.message.contains("不能打印"), "{}", refused.message);
}

#[test]
fn a_missing_printer_fails_and_the_retry_prints_the_same_copy_once_it_exists() {
    test_printer();
    let f = station();
    let case_id = accepted_case(&f.station);
    let queue = Queue::name("missing");
    f.station.set_printer(Paper::A4, &queue.0).unwrap();

    let job_id = Uuid::now_v7();
    let failed = f
        .station
        .print_slip(job_id, case_id, SlipKind::AcceptanceNotice, None)
        .unwrap();
    assert_eq!(failed.status, PrintStatus::Failed);
    assert!(failed.message.contains("不存在"), "{}", failed.message);
    assert_eq!((failed.record.copy_no, failed.record.done), (1, false));
    // The dialog, opened again, offers that print for a retry (not a new copy).
    let options = f.station.print_options(case_id).unwrap();
    let notice = options
        .papers
        .iter()
        .find(|p| p.kind == SlipKind::AcceptanceNotice)
        .unwrap();
    assert_eq!(notice.printed, 0);
    assert_eq!(notice.unfinished.as_ref(), Some(&failed.record));

    queue.create();
    let retried = f.station.retry_print(job_id).unwrap();
    assert_eq!(retried.status, PrintStatus::Done, "{}", retried.message);
    assert_eq!(
        (retried.record.copy_no, retried.record.attempts),
        (1, 2),
        "the retry is the same copy"
    );
    let history = f
        .station
        .print_history(&PrintHistoryQuery {
            case_id: Some(case_id.to_string()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(history.len(), 1, "one record, no second copy");
    assert_eq!(history[0].state_label, "已打印");
    let options = f.station.print_options(case_id).unwrap();
    let notice = &options.papers[0];
    assert_eq!((notice.printed, notice.unfinished.is_none()), (1, true));
    assert_eq!(
        f.station.search_cases(&Default::default()).unwrap().len(),
        1
    );
}

#[test]
fn a_stuck_job_on_a_paused_printer_is_reported_cancelled_and_retried_after_it_is_enabled() {
    test_printer();
    let f = station();
    let case_id = accepted_case(&f.station);
    let queue = Queue::name("paused");
    queue.create();
    queue.run("cupsdisable");
    f.station.set_printer(Paper::Receipt80, &queue.0).unwrap();

    let job_id = Uuid::now_v7();
    let wait = Duration::from_secs(2);
    let stuck = f
        .station
        .print_slip_within(job_id, case_id, SlipKind::AcceptanceReceipt, None, wait)
        .unwrap();
    assert_eq!(stuck.status, PrintStatus::Stuck);
    assert!(stuck.message.contains("重试"), "{}", stuck.message);

    let cancelled = f.station.cancel_print(job_id).unwrap();
    assert_eq!(cancelled.status, PrintStatus::Failed);
    assert!(
        cancelled.message.contains("已取消"),
        "{}",
        cancelled.message
    );

    queue.run("cupsenable");
    let retried = f
        .station
        .retry_print_within(job_id, Duration::from_secs(30))
        .unwrap();
    assert_eq!(retried.status, PrintStatus::Done, "{}", retried.message);
    assert_eq!((retried.record.copy_no, retried.record.attempts), (1, 2));
}
