//! The CUPS command-line output the printing path reads, as `lpstat` and `lp` print it in
//! the C locale (captured from CUPS 2.4 on Debian 12), and the labels of print records.

use crate::printing_cups::{OsPrinter, lists_job, parse_printers, parse_request_id};
use crate::printing_views::copy_label;

#[test]
fn printers_and_the_default_are_read_from_lpstat() {
    let out = "printer counter-receipt disabled since Sun Nov 29 21:25:02 2026 -\n\tPaused\n\
               printer hall-a4 is idle.  enabled since Sun Nov 29 21:12:57 2026\n\
               printer yichuang-pdf now printing yichuang-pdf-3.  enabled since Sun Nov 29 21:13:00 2026\n\
               system default destination: hall-a4\n";
    assert_eq!(
        parse_printers(out),
        vec![
            OsPrinter {
                name: "counter-receipt".into(),
                enabled: false,
                busy: false,
                is_default: false
            },
            OsPrinter {
                name: "hall-a4".into(),
                enabled: true,
                busy: false,
                is_default: true
            },
            OsPrinter {
                name: "yichuang-pdf".into(),
                enabled: true,
                busy: true,
                is_default: false
            },
        ]
    );
    let none = "printer solo is idle.  enabled since Sun Nov 29 21:12:57 2026\nno system default destination\n";
    assert!(!parse_printers(none)[0].is_default);
    assert!(parse_printers("").is_empty());
}

#[test]
fn the_job_id_comes_from_lp_and_is_found_in_lpstat_listings() {
    assert_eq!(
        parse_request_id("request id is yichuang-pdf-12 (0 file(s))\n").as_deref(),
        Some("yichuang-pdf-12")
    );
    assert_eq!(parse_request_id("lp: Error - no default destination"), None);
    let listing = "yichuang-pdf-12          root             48128   Sun Nov 29 21:25:02 2026\n\
                   yichuang-pdf-120         root             48128   Sun Nov 29 21:25:03 2026\n";
    assert!(lists_job(listing, "yichuang-pdf-12"));
    assert!(
        !lists_job(listing, "yichuang-pdf-1"),
        "a prefix is another job"
    );
    assert!(!lists_job("", "yichuang-pdf-12"));
}

#[test]
fn a_first_copy_and_a_reprint_are_labelled_apart() {
    assert_eq!(copy_label(1), "第 1 份");
    assert_eq!(copy_label(3), "补打（第 3 份）");
}
