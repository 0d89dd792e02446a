//! Layout regressions: every paper rendered at 40 dpi in grey is compared with the reference
//! PNG committed in tests/reference/ (regenerate with `UPDATE_REFERENCE=1 cargo test -p
//! yichuang-print --test reference`, then look at the new images before committing them).

use crate::support;

use std::path::{Path, PathBuf};

use support::papers::{all_papers, long_papers};
use support::*;
use yichuang_print::{ReprintMark, render_doc};

/// A pixel counts as changed when its grey level moved by more than this.
const PIXEL_TOLERANCE: u8 = 64;
/// At most this share of a page's pixels may change (anti-aliasing and font hinting).
const CHANGED_SHARE: f64 = 0.002;

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

/// Renders `pdf` at 40 dpi in grey; the page PNGs in page order.
fn low_res_pages(dir: &Path, stem: &str, pdf: &[u8]) -> Vec<PathBuf> {
    let path = write_pdf(dir, &format!("{stem}.pdf"), pdf);
    let out = dir.join(stem);
    std::fs::create_dir_all(&out).unwrap();
    run(
        "pdftoppm",
        &[
            "-r",
            "40",
            "-gray",
            "-png",
            &path,
            out.join("p").to_str().unwrap(),
        ],
    );
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    pages
}

fn compare(stem: &str, page: usize, got: &Path, reference: &Path) -> Result<(), String> {
    let Ok(want) = image::open(reference) else {
        return Err(format!(
            "{stem} page {page}: no reference {} — run with UPDATE_REFERENCE=1 and look at it",
            reference.display()
        ));
    };
    let (want, got) = (want.to_luma8(), image::open(got).unwrap().to_luma8());
    if want.dimensions() != got.dimensions() {
        return Err(format!(
            "{stem} page {page}: size {:?} != {:?}",
            got.dimensions(),
            want.dimensions()
        ));
    }
    let changed = want
        .pixels()
        .zip(got.pixels())
        .filter(|(a, b)| a.0[0].abs_diff(b.0[0]) > PIXEL_TOLERANCE)
        .count();
    let share = changed as f64 / f64::from(want.width() * want.height());
    if share > CHANGED_SHARE {
        return Err(format!(
            "{stem} page {page}: {changed} pixels ({:.2} %) changed",
            share * 100.0
        ));
    }
    Ok(())
}

#[test]
fn every_paper_matches_its_reference_render() {
    let update = std::env::var_os("UPDATE_REFERENCE").is_some();
    let dir = tempfile::tempdir().unwrap();
    let reprint = Some(ReprintMark {
        copy_no: 2,
        reason: "原件污损".into(),
    });
    let mut papers: Vec<(String, _)> = all_papers(None)
        .into_iter()
        .map(|(stem, _, doc)| (stem.to_string(), doc))
        .collect();
    papers.extend(
        long_papers()
            .into_iter()
            .map(|(stem, _, doc)| (stem.to_string(), doc)),
    );
    papers.extend(
        all_papers(reprint)
            .into_iter()
            .take(1)
            .map(|(stem, _, doc)| (format!("{stem}-reprint"), doc)),
    );
    let mut failures = Vec::new();
    for (stem, doc) in papers {
        let pdf = render_doc(&doc, font()).unwrap();
        // Fixed case times, fixed key: the same paper renders to the same pixels. (The bytes
        // differ only by printpdf's random font resource name, subset tag and trailer /ID.)
        let again = render_doc(&doc, font()).unwrap();
        let first = low_res_pages(dir.path(), &format!("{stem}-a"), &pdf);
        let second = low_res_pages(dir.path(), &format!("{stem}-b"), &again);
        assert_eq!(first.len(), second.len(), "{stem}");
        for (a, b) in first.iter().zip(&second) {
            assert_eq!(
                image::open(a).unwrap().to_luma8().into_raw(),
                image::open(b).unwrap().to_luma8().into_raw(),
                "{stem}: two renders differ"
            );
        }
        for (i, got) in low_res_pages(dir.path(), &stem, &pdf).iter().enumerate() {
            let reference = reference_dir().join(format!("{stem}-{}.png", i + 1));
            if update {
                std::fs::create_dir_all(reference_dir()).unwrap();
                std::fs::copy(got, &reference).unwrap();
            } else if let Err(e) = compare(&stem, i + 1, got, &reference) {
                failures.push(e);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "layout changed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_moved_block_is_caught() {
    // The comparison itself must fail on a real change: the acceptance notice against the
    // correction notice's reference (same frame, different body).
    let dir = tempfile::tempdir().unwrap();
    let papers = all_papers(None);
    let pdf = render_doc(&papers[0].2, font()).unwrap();
    let got = low_res_pages(dir.path(), "moved", &pdf);
    let other = reference_dir().join("correction-1.png");
    assert!(other.exists(), "run with UPDATE_REFERENCE=1 first");
    assert!(compare("acceptance", 1, &got[0], &other).is_err());
}
