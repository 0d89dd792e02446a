//! A long case (30 long-named materials, a long address) breaks across pages cleanly: every
//! row whole on one page, the table header again on each page the table runs onto, the
//! continuation header and page numbers on every page, the seal with the last notes.

use crate::support;

use support::papers::{LONG_ADDRESS, long_material_name, long_papers};
use support::*;
use yichuang_print::render_doc;

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn page_texts(path: &str) -> Vec<String> {
    let info = run("pdfinfo", &[path]);
    let n: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    (1..=n)
        .map(|p| {
            let p = p.to_string();
            squeeze(&run("pdftotext", &["-raw", "-f", &p, "-l", &p, path, "-"]))
        })
        .collect()
}

#[test]
fn long_papers_break_across_pages_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    for (stem, _, doc) in long_papers() {
        let pdf = render_doc(&doc, font()).unwrap();
        let path = write_pdf(dir.path(), &format!("{stem}.pdf"), &pdf);
        run("qpdf", &["--check", &path]);
        let pages = page_texts(&path);
        let n = pages.len();
        assert!(n >= 3, "{stem}: {n} pages");
        let header = if stem == "long-acceptance" {
            "已收取材料名称"
        } else {
            "需补正材料名称"
        };
        for i in 1..=30 {
            let name = squeeze(&long_material_name(i));
            let on: Vec<usize> = (0..n).filter(|p| pages[*p].contains(&name)).collect();
            assert_eq!(
                on.len(),
                1,
                "{stem}: material {i} on pages {on:?} (split or missing)"
            );
            assert!(
                pages[on[0]].contains(header),
                "{stem}: page {} has rows but no header",
                on[0] + 1
            );
        }
        for (p, text) in pages.iter().enumerate() {
            assert!(
                text.contains(&format!("第{}页共{n}页", p + 1)),
                "{stem} page {}:\n{text}",
                p + 1
            );
            if p > 0 {
                assert!(
                    text.contains(&format!("{}（续）", doc.title)),
                    "{stem} page {}",
                    p + 1
                );
                assert!(
                    text.contains(&squeeze(&doc.case_no)),
                    "{stem} page {}",
                    p + 1
                );
            }
        }
        let last = &pages[n - 1];
        for expected in [
            "告知事项",
            "受理单位印章",
            "扫码评价好差评",
            "扫码查询办理进度",
        ] {
            assert!(
                last.contains(expected),
                "{stem}: last page lacks {expected}:\n{last}"
            );
        }
        let all: String = pages.concat();
        assert!(all.contains(&squeeze(LONG_ADDRESS)), "{stem}: address lost");
        assert!(all.contains("欧阳堃喆"));
    }
}
