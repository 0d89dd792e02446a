//! Every A4 paper checked the way a reader sees it: every field in the extracted text, the
//! font embedded as a subset, a sound file, both QR codes decoded from pixels and verified
//! with the station's public key, nothing outside the printable area, and 补打 on every page.

use crate::support;

use support::papers::{DISTRICT, RECIPIENT_ID, RECIPIENT_ID_MASKED, all_papers};
use support::*;
use yichuang_core::evaluation_qr::EvaluationQr;
use yichuang_print::{PrintDoc, ReprintMark, render_doc};

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pages(path: &str) -> usize {
    run("pdfinfo", &[path])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

fn render(dir: &std::path::Path, stem: &str, doc: &PrintDoc) -> String {
    let pdf = render_doc(doc, font()).unwrap_or_else(|e| panic!("{stem}: {e}"));
    // Set PAPERS_KEEP_DIR to keep the PDFs for looking at them.
    if let Some(keep) = std::env::var_os("PAPERS_KEEP_DIR") {
        std::fs::create_dir_all(&keep).unwrap();
        write_pdf(std::path::Path::new(&keep), &format!("{stem}.pdf"), &pdf);
    }
    write_pdf(dir, &format!("{stem}.pdf"), &pdf)
}

#[test]
fn every_paper_prints_every_field() {
    let dir = tempfile::tempdir().unwrap();
    for (stem, case, doc) in all_papers(None) {
        let path = render(dir.path(), stem, &doc);
        // -raw keeps content-stream order: a wrapped cell's lines follow each other.
        let raw = squeeze(&run("pdftotext", &["-raw", &path, "-"]));
        let mut checked = 0;
        for (field, text) in doc.printed_fields() {
            let text = squeeze(text);
            if text.is_empty() {
                continue;
            }
            assert!(
                raw.contains(&text),
                "{stem}: {field} {text:?} missing in:\n{raw}"
            );
            checked += 1;
        }
        assert!(checked > 25, "{stem}: only {checked} fields");
        for expected in [
            case.case_no.as_str(),
            "王堃喆",
            MASKED_ID,
            "138****8000",
            "广州市公安局白云区分局",
        ] {
            assert!(
                raw.contains(&squeeze(expected)),
                "{stem}: {expected} missing"
            );
        }
        for secret in [FULL_ID, PHONE, RECIPIENT_ID] {
            assert!(!raw.contains(secret), "{stem}: unmasked {secret}");
        }
        assert_eq!(pages(&path), 1, "{stem} should fit one page");
    }
}

#[test]
fn each_paper_says_what_its_kind_requires() {
    let dir = tempfile::tempdir().unwrap();
    let papers = all_papers(None);
    let text = |stem: &str| {
        let (_, _, doc) = papers.iter().find(|(s, _, _)| *s == stem).unwrap();
        squeeze(&run(
            "pdftotext",
            &["-raw", &render(dir.path(), stem, doc), "-"],
        ))
    };
    let expect = |stem: &str, needles: &[&str]| {
        let t = text(stem);
        for n in needles {
            assert!(t.contains(&squeeze(n)), "{stem}: {n:?} missing in:\n{t}");
        }
    };
    expect(
        "acceptance",
        &[
            "受理通知书",
            "已收取材料名称",
            "2026年12月11日",
            "申请人（签名）",
        ],
    );
    expect(
        "correction",
        &[
            "一次性告知书",
            "合法稳定住所证明",
            "租赁合同须经住房和城乡建设部门登记备案",
            "照片背景不是白色",
            "在五日内一次告知申请人需要补正的全部内容",
            "经办人：李晓芸",
            "020-36578000",
            "2026-11-2709:20",
        ],
    );
    expect(
        "tolerant",
        &[
            "容缺受理通知书",
            "承诺于2026年12月4日前",
            "申请人（承诺人）签名",
        ],
    );
    expect(
        "rejection",
        &[
            "不予受理通知书",
            "不属于居住证申领对象",
            "请向广州市白云区市场监督管理局提出申请",
            "六十日内依法申请行政复议",
            "六个月内依法向人民法院提起行政诉讼",
            "行政复议法》第二十条",
            "行政诉讼法》第四十六条",
        ],
    );
    expect(
        "service",
        &[
            "送达回证",
            "广东省居住证",
            "粤穗白2026第004417号",
            RECIPIENT_ID_MASKED,
            "2026-12-1414:42",
            "京溪街道政务服务中心3号窗口",
            "直接送达（窗口领取）",
            "统一办件编号：44011120261127000123",
            "受送达人（签名）",
        ],
    );
    expect(
        "courier",
        &[
            "送达回证（邮寄）",
            "顺丰速运",
            "SF1402938475610",
            "蟾蜍石东路38号",
            "邮寄送达（快递）",
        ],
    );
    expect(
        "completion",
        &[
            "办结领取回执",
            "核发广东省居住证",
            "2026-12-1011:30",
            "领取人（签名）",
        ],
    );
}

#[test]
fn every_paper_embeds_a_subset_font_and_passes_qpdf() {
    let dir = tempfile::tempdir().unwrap();
    for (stem, _, doc) in all_papers(None) {
        let path = render(dir.path(), stem, &doc);
        let fonts = run("pdffonts", &[&path]);
        let rows: Vec<Vec<&str>> = fonts
            .lines()
            .skip(2)
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert!(!rows.is_empty(), "{stem}: no fonts:\n{fonts}");
        for cols in &rows {
            let n = cols.len();
            assert!(cols[0].contains('+'), "{stem}: not a subset name:\n{fonts}");
            assert_eq!(
                &cols[n - 5..n - 2],
                ["yes", "yes", "yes"],
                "{stem}:\n{fonts}"
            );
        }
        let size = std::fs::metadata(&path).unwrap().len();
        eprintln!("{stem}: {size} bytes");
        assert!(size < 200_000, "{stem} is {size} bytes");
        run("qpdf", &["--check", &path]);
    }
}

#[test]
fn both_qr_codes_decode_and_verify_on_every_paper() {
    let dir = tempfile::tempdir().unwrap();
    let public = qr_key().public_key();
    for (stem, case, doc) in all_papers(None) {
        let path = render(dir.path(), stem, &doc);
        let prefix = dir.path().join(stem);
        let prefix = prefix.to_str().unwrap();
        run(
            "pdftoppm",
            &["-r", "150", "-png", "-singlefile", &path, prefix],
        );
        let decoded = run(
            "zbarimg",
            &[
                "--raw",
                "-q",
                "-Sdisable",
                "-Sqrcode.enable",
                &format!("{prefix}.png"),
            ],
        );
        let mut codes: Vec<&str> = decoded.lines().collect();
        codes.sort();
        let mut expected = vec![
            doc.frame.evaluation_payload.as_str(),
            doc.frame.progress_payload.as_str(),
        ];
        expected.sort();
        assert_eq!(codes, expected, "{stem}");
        for (code, base) in [
            (&doc.frame.evaluation_payload, format!("{DISTRICT}/hcp?")),
            (&doc.frame.progress_payload, format!("{DISTRICT}/progress?")),
        ] {
            assert!(code.starts_with(&base), "{stem}: {code}");
            let read = EvaluationQr::verify(code, |_, _| Some(public)).expect("signature verifies");
            assert_eq!(read.case_no, case.case_no, "{stem}");
            assert_eq!(read.region_code, "440111");
        }
    }
}

/// Every word lies inside the page's printable area (≥ 8 mm from each edge), so no printer
/// margin clips it and nothing runs off the paper.
fn assert_inside_margins(stem: &str, path: &str) {
    let bbox = run("pdftotext", &["-bbox", path, "-"]);
    let (min, max_x, max_y) = (
        8.0 * 72.0 / 25.4,
        (210.0 - 8.0) * 72.0 / 25.4,
        (297.0 - 8.0) * 72.0 / 25.4,
    );
    let num = |l: &str, key: &str| -> f32 {
        let start = l.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        l[start..].split('"').next().unwrap().parse().unwrap()
    };
    let words: Vec<&str> = bbox
        .lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .collect();
    assert!(!words.is_empty(), "{stem}: no words");
    for w in words {
        let (x0, y0, x1, y1) = (
            num(w, "xMin"),
            num(w, "yMin"),
            num(w, "xMax"),
            num(w, "yMax"),
        );
        assert!(
            x0 >= min && y0 >= min && x1 <= max_x && y1 <= max_y,
            "{stem}: outside the page: {w}"
        );
    }
}

#[test]
fn nothing_leaves_the_printable_area() {
    let dir = tempfile::tempdir().unwrap();
    for (stem, _, doc) in all_papers(Some(ReprintMark {
        copy_no: 2,
        reason: "原件污损".into(),
    })) {
        assert_inside_margins(stem, &render(dir.path(), stem, &doc));
    }
}

#[test]
fn a_reprint_is_marked_on_every_page_with_copy_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let reason = "申请人遗失原通知书，经核验身份后补打（带班长同意，值班记录第 12 号）";
    for (stem, _, mut doc) in all_papers(Some(ReprintMark {
        copy_no: 3,
        reason: reason.into(),
    })) {
        // Long enough to run onto a second page.
        for _ in 0..2 {
            let extra = doc.blocks.clone();
            doc.blocks.extend(
                extra
                    .into_iter()
                    .filter(|b| matches!(b, yichuang_print::Block::Fields(_))),
            );
        }
        let path = render(dir.path(), stem, &doc);
        let n = pages(&path);
        assert!(n >= 2, "{stem}: {n} page(s)");
        for page in 1..=n {
            let p = page.to_string();
            let text = squeeze(&run("pdftotext", &["-raw", "-f", &p, "-l", &p, &path, "-"]));
            assert!(text.contains("补打第3份"), "{stem} page {page}:\n{text}");
            assert!(
                text.contains(&squeeze(reason)),
                "{stem} page {page}:\n{text}"
            );
        }
        assert_inside_margins(stem, &path);
    }
}

#[test]
fn a_paper_the_case_does_not_call_for_is_refused_with_a_reason() {
    use support::papers::{case_for, frame, handover};
    use yichuang_core::CaseOutcome;
    use yichuang_print::{
        PrintError, correction_notice, rejection_notice, service_receipt, tolerant_notice,
    };
    let item = item();
    let accepted = case_for(&item, CaseOutcome::Accepted);
    let refused = [
        correction_notice(&accepted, &item, frame(&accepted, None)),
        tolerant_notice(&accepted, &item, frame(&accepted, None)),
        rejection_notice(&accepted, &item, frame(&accepted, None)),
        // A window handover asked for as the courier receipt, and the other way round.
        service_receipt(
            &accepted,
            &item,
            &handover(&accepted, false),
            true,
            frame(&accepted, None),
        ),
        service_receipt(
            &accepted,
            &item,
            &handover(&accepted, true),
            false,
            frame(&accepted, None),
        ),
    ];
    for (result, paper) in refused.into_iter().zip([
        "一次性告知书",
        "容缺受理通知书",
        "不予受理通知书",
        "送达回证（邮寄）",
        "送达回证",
    ]) {
        match result {
            Err(e @ PrintError::NotForThisCase { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains(paper) && msg.contains("请"), "{msg}");
            }
            other => panic!("{paper}: expected NotForThisCase, got {other:?}"),
        }
    }
    let mut other_case = accepted.clone();
    other_case.id = "01936d2e-6a3b-7c4d-8e5f-0000000000ff".parse().unwrap();
    assert!(
        service_receipt(
            &other_case,
            &item,
            &handover(&accepted, false),
            false,
            frame(&accepted, None)
        )
        .is_err()
    );
}

#[test]
fn rendering_stays_fast() {
    // In-process cost of a paper (font parsed once, as in the app); debug builds are slower,
    // so this only guards against an order-of-magnitude regression.
    let papers = all_papers(None);
    let _ = render_doc(&papers[0].2, font()).unwrap();
    let start = std::time::Instant::now();
    let rounds = 3;
    for _ in 0..rounds {
        for (_, _, doc) in &papers {
            render_doc(doc, font()).unwrap();
        }
    }
    let per = start.elapsed() / (rounds * papers.len() as u32);
    eprintln!("{per:?} per paper");
    assert!(
        per < std::time::Duration::from_millis(500),
        "{per:?} per paper"
    );
}
