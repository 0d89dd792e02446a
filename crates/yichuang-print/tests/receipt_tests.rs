//! The 80 mm receipt (受理回执小票) checked the way a reader sees it: every field in the
//! extracted text (pdftotext), the font embedded as a subset (pdffonts), the structure
//! (qpdf --check), the QR code decoded from a render at the thermal head's 203 dpi (zbarimg)
//! and at least 30 mm wide, one roll page 80 mm wide with every word inside the printable 72 mm.

use crate::support;

use support::*;
use yichuang_print::{AcceptanceSlip, PrintError, SlipMaterial, render_acceptance_receipt};

const PT_PER_MM: f64 = 72.0 / 25.4;

/// Sample files are left here when `SLIP_KEEP_DIR` is set, for looking at the layout.
fn work_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("SLIP_KEEP_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    (tmp, dir)
}

/// (pages, width mm, height mm) from pdfinfo.
fn page_geometry(path: &str) -> (usize, f64, f64) {
    let info = run("pdfinfo", &[path]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in:\n{info}"))
            .trim()
            .to_string()
    };
    let pages = field("Pages:").parse().unwrap();
    // "226.772 x 1395.2 pts"
    let size = field("Page size:");
    let nums: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (pages, nums[0] / PT_PER_MM, nums[1] / PT_PER_MM)
}

/// The text in content order with all whitespace removed: a wrapped value reads whole.
fn flat_text(path: &str) -> String {
    run("pdftotext", &["-raw", path, "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn long_slip() -> AcceptanceSlip {
    let mut slip = slip_for(person("王堃喆"));
    slip.materials = (1..=30)
        .map(|i| SlipMaterial {
            name: format!("第{i}号补充证明材料（加盖单位公章，注明与原件一致）"),
            form: if i % 2 == 0 {
                "原件及复印件"
            } else {
                "复印件"
            }
            .into(),
            count: format!("{} 份", i % 3 + 1),
        })
        .collect();
    slip.official_case_no = Some("44011120261127000123".into());
    slip
}

#[test]
fn every_field_prints_with_id_and_phone_masked() {
    let slip = slip_for(person("王堃喆"));
    let pdf = render_acceptance_receipt(&slip, font(), None).unwrap();
    let (_tmp, dir) = work_dir();
    let path = write_pdf(&dir, "receipt.pdf", &pdf);
    let text = flat_text(&path);
    let fields = slip.printed_fields();
    assert!(fields.len() > 25, "{fields:?}");
    for (name, value) in fields {
        assert!(
            text.contains(&flat(value)),
            "{name} {value:?} missing in:\n{text}"
        );
    }
    for label in [
        "办件编号",
        "证件号码",
        "联系电话",
        "已收取材料（共3项）",
        "告知事项",
    ] {
        assert!(text.contains(label), "{label} missing in:\n{text}");
    }
    assert!(text.contains(MASKED_ID) && text.contains("138****8000"));
    assert!(!text.contains(FULL_ID), "full ID printed:\n{text}");
    assert!(!text.contains(PHONE), "full phone printed:\n{text}");
    assert!(!text.contains("补打"), "an original is no reprint:\n{text}");
    let (pages, width, height) = page_geometry(&path);
    assert_eq!(pages, 1);
    assert!((width - 80.0).abs() < 0.05, "width {width} mm");
    // A roll page: as long as its content (the 30-material test sees it grow).
    assert!((150.0..450.0).contains(&height), "height {height} mm");
}

#[test]
fn font_is_a_subset_and_the_file_passes_qpdf() {
    let pdf = render_acceptance_receipt(&slip_for(person("王堃喆")), font(), None).unwrap();
    let (_tmp, dir) = work_dir();
    let path = write_pdf(&dir, "receipt-fonts.pdf", &pdf);
    let fonts = run("pdffonts", &[&path]);
    let rows: Vec<Vec<&str>> = fonts
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(!rows.is_empty(), "no fonts:\n{fonts}");
    for cols in &rows {
        let n = cols.len();
        assert!(cols[0].contains("+NotoSansCJKsc"), "not a subset:\n{fonts}");
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{fonts}");
    }
    eprintln!("receipt PDF size: {} bytes", pdf.len());
    assert!(pdf.len() < 200_000, "receipt is {} bytes", pdf.len());
    run("qpdf", &["--check", &path]);
}

/// A one-bit PBM (P4, as `pdftoppm -mono` writes it): width, height, and black pixels.
fn read_pbm(path: &str) -> (usize, usize, Vec<bool>) {
    let bytes = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 3 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8(bytes[start..at].to_vec()).unwrap());
    }
    assert_eq!(fields[0], "P4");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = &bytes[at + 1..];
    let stride = w.div_ceil(8);
    let black = (0..h)
        .flat_map(|y| (0..w).map(move |x| (y, x)))
        .map(|(y, x)| data[y * stride + x / 8] & (0x80 >> (x % 8)) != 0)
        .collect();
    (w, h, black)
}

/// The QR symbol's width in pixels, measured from its finder patterns: rows crossing a
/// finder's centre read dark-light-dark-light-dark in the ratio 1:1:3:1:1 (one unit = one
/// module). The outer edges of the left and right finders are the symbol's edges.
fn qr_symbol_width_px(path: &str) -> f64 {
    let (w, h, black) = read_pbm(path);
    let at = |x: usize, y: usize| black[y * w + x];
    // Lengths of the runs met walking from (x, y) in steps of `dy`: the run holding the
    // start, then the next two (light, dark).
    let column_runs = |x: usize, y: usize, up: bool| -> [usize; 3] {
        let mut out = [0; 3];
        let mut yy = y as isize;
        for (i, want) in [true, false, true].into_iter().enumerate() {
            while yy >= 0 && (yy as usize) < h && at(x, yy as usize) == want {
                out[i] += 1;
                yy += if up { -1 } else { 1 };
            }
        }
        out
    };
    let ratio_ok = |lens: [usize; 5], unit: f64| {
        lens.iter()
            .zip([1.0, 1.0, 3.0, 1.0, 1.0])
            .all(|(&len, want)| (len as f64 - want * unit).abs() <= unit * 0.5 * want)
    };
    // (centre x, module size) of every row crossing a finder's centre, confirmed by the
    // column through that centre reading 1:1:3:1:1 too (as QR readers check).
    let mut hits: Vec<(f64, f64)> = Vec::new();
    for y in 0..h {
        let row = &black[y * w..(y + 1) * w];
        let mut runs: Vec<(bool, usize, usize)> = Vec::new();
        for (x, &b) in row.iter().enumerate() {
            match runs.last_mut() {
                Some((color, _, len)) if *color == b => *len += 1,
                _ => runs.push((b, x, 1)),
            }
        }
        for win in runs.windows(5) {
            if !win[0].0 {
                continue;
            }
            let lens = [win[0].2, win[1].2, win[2].2, win[3].2, win[4].2];
            let unit = lens.iter().sum::<usize>() as f64 / 7.0;
            if unit < 3.0 || !ratio_ok(lens, unit) {
                continue;
            }
            let cx = win[2].1 + win[2].2 / 2;
            let (up, down) = (column_runs(cx, y, true), column_runs(cx, y, false));
            let vertical = [up[2], up[1], up[0] + down[0] - 1, down[1], down[2]];
            if ratio_ok(vertical, unit) {
                hits.push((win[2].1 as f64 + win[2].2 as f64 / 2.0, unit));
            }
        }
    }
    // A finder's centre is three modules tall: many rows at one x. Stray glyph strokes are not.
    let unit = hits.iter().map(|h| h.1).sum::<f64>() / hits.len().max(1) as f64;
    let mut columns: Vec<(f64, usize)> = Vec::new();
    for (x, _) in &hits {
        match columns.iter_mut().find(|(cx, _)| (cx - x).abs() <= unit) {
            Some((_, n)) => *n += 1,
            None => columns.push((*x, 1)),
        }
    }
    let finders: Vec<f64> = columns
        .iter()
        .filter(|(_, n)| *n as f64 >= 2.0 * unit)
        .map(|(x, _)| *x)
        .collect();
    assert_eq!(finders.len(), 2, "finder columns {columns:?}");
    let (left, right) = (finders[0].min(finders[1]), finders[0].max(finders[1]));
    right - left + 7.0 * unit
}

#[test]
fn qr_code_decodes_at_203_dpi_verifies_and_is_over_30_mm() {
    let slip = slip_for(person("王堃喆"));
    let pdf = render_acceptance_receipt(&slip, font(), None).unwrap();
    let (_tmp, dir) = work_dir();
    let path = write_pdf(&dir, "receipt-qr.pdf", &pdf);
    let prefix = dir.join("receipt-203dpi");
    let prefix = prefix.to_str().unwrap();
    // 203 dpi, one-bit: what a thermal head makes of it.
    run(
        "pdftoppm",
        &["-r", "203", "-mono", "-singlefile", &path, prefix],
    );
    let image = format!("{prefix}.pbm");
    let decoded = run(
        "zbarimg",
        &["--raw", "-q", "-Sdisable", "-Sqrcode.enable", &image],
    );
    let mut codes: Vec<&str> = decoded.lines().collect();
    codes.sort();
    let progress = yichuang_print::progress_payload(
        &slip.evaluation_payload,
        "https://hcp.example.invalid/e/progress",
    );
    let mut expected = vec![slip.evaluation_payload.as_str(), progress.as_str()];
    expected.sort();
    assert_eq!(codes, expected, "both codes, exactly");
    // What the district does with either code scanned: it checks the station's signature.
    let public = qr_key().public_key();
    for code in codes {
        let read = yichuang_core::evaluation_qr::EvaluationQr::verify(code, |_, _| Some(public))
            .expect("the decoded code verifies");
        assert_eq!(read.case_no, CASE_NO);
    }

    let width_mm = qr_symbol_width_px(&image) / 203.0 * 25.4;
    eprintln!("QR symbol width: {width_mm:.1} mm");
    assert!(width_mm >= 30.0, "QR only {width_mm:.1} mm wide");
}

#[test]
fn a_reprint_says_so_with_copy_number_and_reason() {
    let slip = slip_for(person("王堃喆"));
    let pdf =
        render_acceptance_receipt(&slip, font(), Some((3, "申请人遗失原回执，\n凭身份证补打")))
            .unwrap();
    let (_tmp, dir) = work_dir();
    let path = write_pdf(&dir, "reprint.pdf", &pdf);
    let text = flat_text(&path);
    assert!(text.contains("补打·第3份"), "{text}");
    assert!(
        text.contains("补打原因：申请人遗失原回执，凭身份证补打"),
        "{text}"
    );
    assert!(text.contains(CASE_NO), "{text}");

    // U+E000 (private use) is in neither bundled font.
    let rare = '\u{E000}';
    let reason = format!("王{rare}要求补打");
    match render_acceptance_receipt(&slip, font(), Some((2, &reason))) {
        Err(PrintError::UnprintableChars { field, chars }) => {
            assert_eq!(field, "补打原因");
            assert_eq!(chars, vec![rare]);
        }
        other => panic!("expected UnprintableChars, got {other:?}"),
    }
    match render_acceptance_receipt(&slip_for(person(&format!("王{rare}"))), font(), None) {
        Err(PrintError::UnprintableChars { field, .. }) => assert_eq!(field, "申请人"),
        other => panic!("expected UnprintableChars, got {other:?}"),
    }
}

#[test]
fn thirty_materials_stay_on_one_roll_page_with_nothing_clipped() {
    let slip = long_slip();
    let pdf = render_acceptance_receipt(&slip, font(), Some((2, "打印机卡纸"))).unwrap();
    let (_tmp, dir) = work_dir();
    let path = write_pdf(&dir, "long-receipt.pdf", &pdf);
    let (pages, width, height) = page_geometry(&path);
    assert_eq!(pages, 1, "a roll has one page");
    assert!((width - 80.0).abs() < 0.05, "width {width} mm");
    assert!(height > 297.0, "30 materials fit in {height} mm?");

    let text = flat_text(&path);
    for (name, value) in slip.printed_fields() {
        assert!(text.contains(&flat(value)), "{name} {value:?} lost");
    }
    for i in 1..=30 {
        assert!(
            text.contains(&format!("{i}.第{i}号补充证明材料")),
            "material {i} lost"
        );
    }

    // Every word inside the printable 72 mm and above the page's foot.
    let bbox = run("pdftotext", &["-bbox", &path, "-"]);
    let attr = |line: &str, name: &str| -> f64 {
        let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[at..at + line[at..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    let mut words = 0;
    let mut lowest = 0.0_f64;
    for line in bbox.lines().filter(|l| l.trim_start().starts_with("<word")) {
        words += 1;
        let (x0, x1) = (
            attr(line, "xMin") / PT_PER_MM,
            attr(line, "xMax") / PT_PER_MM,
        );
        let (y0, y1) = (
            attr(line, "yMin") / PT_PER_MM,
            attr(line, "yMax") / PT_PER_MM,
        );
        assert!(
            x0 >= 3.9 && x1 <= 76.1,
            "outside the printable width: {line}"
        );
        assert!(y0 >= 0.0 && y1 <= height, "off the page: {line}");
        lowest = lowest.max(y1);
    }
    assert!(words > 200, "{words} words");
    // The last line (the date under the seal) ends before the cutter's feed.
    assert!(
        height - lowest >= 8.0,
        "last text {lowest} mm of {height} mm"
    );
    assert!(
        text.ends_with("2026年11月27日"),
        "{}",
        text.chars().rev().take(30).collect::<String>()
    );
    run("qpdf", &["--check", &path]);

    let prefix = dir.join("long-receipt");
    run(
        "pdftoppm",
        &[
            "-r",
            "203",
            "-mono",
            "-singlefile",
            &path,
            prefix.to_str().unwrap(),
        ],
    );
    let decoded = run(
        "zbarimg",
        &[
            "--raw",
            "-q",
            "-Sdisable",
            "-Sqrcode.enable",
            &format!("{}.pbm", prefix.to_str().unwrap()),
        ],
    );
    assert_eq!(decoded.lines().count(), 2, "{decoded}");
    assert!(
        decoded.lines().any(|l| l == slip.evaluation_payload),
        "{decoded}"
    );
}
