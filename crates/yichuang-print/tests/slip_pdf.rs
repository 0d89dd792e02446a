//! The acceptance slip checked the way a reader sees it: extracted text (pdftotext), embedded
//! subset font (pdffonts), structure (qpdf --check) and the QR code decoded from pixels (zbarimg).

use crate::support;

use support::*;
use yichuang_core::Applicant;
use yichuang_print::{PrintError, SlipMaterial, render_acceptance_slip};

/// Sample PNGs are left here when `SLIP_KEEP_DIR` is set, for looking at the layout.
fn work_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("SLIP_KEEP_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    (tmp, dir)
}

/// The seal and QR code never end up alone on a page: the notices travel with them.
fn seal_page_has_notices(path: &str) {
    let info = run("pdfinfo", &[path]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    let last = pages.to_string();
    let text = run(
        "pdftotext",
        &["-layout", "-f", &last, "-l", &last, path, "-"],
    );
    for expected in ["告知事项", "受理单位印章", "扫码评价"] {
        assert!(
            text.contains(expected),
            "page {last} lacks {expected:?}:\n{text}"
        );
    }
}

#[test]
fn slip_text_shows_the_case_with_masked_id() {
    let slip = slip_for(person("王堃喆"));
    let pdf = render_acceptance_slip(&slip, font()).unwrap();
    let (_tmp, dir) = work_dir();
    let path = write_pdf(&dir, "slip.pdf", &pdf);
    let text = run("pdftotext", &["-layout", &path, "-"]);
    for expected in [
        CASE_NO,
        "广东省居住证申领",
        "114401110075061234200011000101",
        "广州市公安局白云区分局",
        "王堃喆",
        "居民身份证",
        MASKED_ID,
        "138****8000",
        "近期一寸免冠彩色照片",
        "原件及复印件",
        "白云区京溪街道政务服务中心",
        "李晓芸",
        "2026-11-27 09:05",
        "10 个工作日",
        "15 个工作日",
        "2026年12月11日",
        "窗口领取",
        "不收费",
        "受理单位印章",
        "扫码评价 好差评",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains(FULL_ID), "full ID printed:\n{text}");
    assert!(!text.contains(PHONE), "full phone printed:\n{text}");
    assert_eq!(
        run("pdfinfo", &[&path])
            .lines()
            .find(|l| l.starts_with("Pages:")),
        Some("Pages:           1")
    );
}

#[test]
fn font_is_embedded_as_a_subset_and_the_file_is_small() {
    let pdf = render_acceptance_slip(&slip_for(person("王堃喆")), font()).unwrap();
    let (_tmp, dir) = work_dir();
    let path = write_pdf(&dir, "slip.pdf", &pdf);
    let fonts = run("pdffonts", &[&path]);
    let rows: Vec<Vec<&str>> = fonts
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(!rows.is_empty(), "no fonts:\n{fonts}");
    for cols in &rows {
        // name ... emb sub uni object ID  → emb, sub, uni are the 5th, 4th, 3rd from the end.
        let n = cols.len();
        assert!(
            cols[0].contains("+NotoSansCJKsc"),
            "not a subset name:\n{fonts}"
        );
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "emb/sub/uni:\n{fonts}"
        );
    }
    eprintln!("slip PDF size: {} bytes", pdf.len());
    assert!(pdf.len() < 1_000_000, "slip is {} bytes", pdf.len());
    run("qpdf", &["--check", &path]);
}

#[test]
fn qr_code_decodes_to_exactly_the_evaluation_payload() {
    let slip = slip_for(person("王堃喆"));
    let pdf = render_acceptance_slip(&slip, font()).unwrap();
    let (_tmp, dir) = work_dir();
    let path = write_pdf(&dir, "slip.pdf", &pdf);
    let prefix = dir.join("slip");
    run(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-singlefile",
            &path,
            prefix.to_str().unwrap(),
        ],
    );
    let png = dir.join("slip.png");
    let decoded = run(
        "zbarimg",
        &[
            "--raw",
            "-q",
            "-Sdisable",
            "-Sqrcode.enable",
            png.to_str().unwrap(),
        ],
    );
    // The evaluation code, and the progress code: the same signed query at /progress.
    let mut codes: Vec<&str> = decoded.lines().collect();
    codes.sort();
    let progress = yichuang_print::progress_payload(
        &slip.evaluation_payload,
        "https://hcp.example.invalid/e/progress",
    );
    let mut expected = vec![slip.evaluation_payload.as_str(), progress.as_str()];
    expected.sort();
    assert_eq!(codes, expected);
    // What the district does with a scanned code: it checks with the station's public key.
    let public = support::qr_key().public_key();
    let read = yichuang_core::evaluation_qr::EvaluationQr::verify(&progress, |_, _| Some(public))
        .expect("the decoded code verifies");
    assert_eq!(read.region_code, "440111");
}

#[test]
fn rare_characters_print_and_legal_person_fields_show() {
    assert!(font().missing_chars("王堃喆龚䶮").is_empty());
    let mut slip = slip_for(Applicant::LegalPerson {
        name: "广州䶮堃贸易有限公司".into(),
        uscc: "91310110666007217T".into(),
        legal_representative: "龚䶮".into(),
        address: String::new(),
    });
    // A reprint after sync carries the district's number beside the provisional one.
    slip.official_case_no = Some("44011120261127000123".into());
    let pdf = render_acceptance_slip(&slip, font()).unwrap();
    let (_tmp, dir) = work_dir();
    let text = run(
        "pdftotext",
        &["-layout", &write_pdf(&dir, "legal.pdf", &pdf), "-"],
    );
    for expected in [
        CASE_NO,
        "统一办件编号：44011120261127000123",
        "广州䶮堃贸易有限公司",
        "91310110666007217T",
        "龚䶮",
        "统一社会信用代码",
        "法定代表人",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn character_outside_the_font_is_reported_not_dropped() {
    // U+E000 (private use) is in neither bundled font; the check below proves it.
    let rare = '\u{E000}';
    assert!(!font().has_glyph(rare));
    assert_eq!(font().missing_chars(&format!("王{rare} 王\n")), vec![rare]);
    let slip = slip_for(person(&format!("王{rare}")));
    match render_acceptance_slip(&slip, font()) {
        Err(e @ PrintError::UnprintableChars { .. }) => {
            let PrintError::UnprintableChars { field, chars } = &e else {
                unreachable!()
            };
            assert_eq!(field, "申请人");
            assert_eq!(chars, &vec![rare]);
            let msg = e.to_string();
            assert!(
                msg.contains("申请人") && msg.contains(rare) && msg.contains("U+E000"),
                "{msg}"
            );
        }
        other => panic!("expected UnprintableChars, got {other:?}"),
    }
}

#[test]
fn long_material_list_continues_on_a_second_page() {
    let mut slip = slip_for(person("王堃喆"));
    slip.materials = (1..=30)
        .map(|i| SlipMaterial {
            name: format!("第{i}号补充证明材料（加盖单位公章，注明与原件一致）"),
            form: "复印件".into(),
            count: "1 份".into(),
        })
        .collect();
    let pdf = render_acceptance_slip(&slip, font()).unwrap();
    let (_tmp, dir) = work_dir();
    let path = write_pdf(&dir, "long.pdf", &pdf);
    let text = run("pdftotext", &["-layout", &path, "-"]);
    for i in [1, 17, 30] {
        assert!(
            text.contains(&format!("第{i}号补充证明材料")),
            "material {i} dropped:\n{text}"
        );
    }
    assert!(text.contains("受理通知书（续）"), "{text}");
    // pdftotext drops the narrow spaces between CJK and digits; compare without spaces.
    assert!(text.replace(' ', "").contains("第2页共2页"), "{text}");
    assert_eq!(
        text.matches("已收取材料名称").count(),
        2,
        "header not repeated:\n{text}"
    );
    let pages = run("pdfinfo", &[&path]);
    assert!(pages.contains("Pages:           2"), "{pages}");
    seal_page_has_notices(&path);
    run("qpdf", &["--check", &path]);
}

#[test]
fn wrapped_lines_keep_every_character_in_order() {
    let address = "广东省广州市白云区京溪街道云景路云景花园北区十八号三栋二单元五零二房（近地铁三号线北延段京溪南方医院站B出口，请致电前联系）";
    let material = "合法稳定住所证明（房屋租赁合同须经住房和城乡建设部门登记备案，自有住房提供不动产权证书或购房合同，单位宿舍提供单位证明）";
    let mut slip = slip_for(Applicant::NaturalPerson {
        name: "王堃喆".into(),
        id_type: yichuang_core::IdType::ResidentIdCard,
        id_no: FULL_ID.into(),
        address: address.into(),
    });
    slip.materials[2].name = material.into();
    let pdf = render_acceptance_slip(&slip, font()).unwrap();
    let (_tmp, dir) = work_dir();
    // -raw keeps content-stream order: each cell's lines in sequence.
    let text = run(
        "pdftotext",
        &["-raw", &write_pdf(&dir, "wrap.pdf", &pdf), "-"],
    );
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for expected in [address, material] {
        assert!(
            flat.contains(expected),
            "lost characters of {expected:?} in:\n{text}"
        );
    }
    let layout = run(
        "pdftotext",
        &["-layout", &write_pdf(&dir, "wrap.pdf", &pdf), "-"],
    );
    assert!(
        !layout.lines().any(|l| l.contains(address)),
        "address did not wrap:\n{layout}"
    );
}
