//! `yichuang catalogue import` on a real station: partial imports, full imports, and files
//! that import nothing, each with its exit code and what `status` shows afterwards.

use crate::common;

use std::path::Path;

use common::{CliStation, fixture, path_str, yichuang};

const DEMO_VERSION: &str = "事项目录 版本 demo-2026.12（440111）";

#[test]
fn a_mixed_file_imports_the_good_items_lists_the_refused_ones_and_exits_2() {
    let station = CliStation::init("mixed");
    assert!(station.run(&["status"]).stdout.contains(DEMO_VERSION));

    let run = station.run(&["catalogue", "import", &fixture("catalogue_mixed.json")]);
    assert_eq!(run.code, Some(2), "{run:?}");
    let out = &run.stdout;
    for expected in [
        "共 4 项，导入 2 项，拒收 2 项",
        "第 2 行  实施编码 CLI-BAD-LIMIT  事项名称 承诺时限写错的事项",
        "承诺时限 20 个工作日长于法定时限 10 个工作日",
        "第 4 行  实施编码 CLI-BAD-MATERIALS  事项名称 材料清单写错的事项",
        "材料清单第 1 行：关键材料不能容缺受理",
        "材料清单第 2 行：材料编码“POA”是本系统为授权委托书保留的编码",
        "已导入事项目录 版本 cli-test-2027.01（440111），2 项",
        "有 2 项被拒收",
    ] {
        assert!(out.contains(expected), "{expected:?} missing from:\n{out}");
    }
    assert!(!out.contains("第 1 行  实施编码"), "{out}");
    assert!(!out.contains("第 3 行  实施编码"), "{out}");

    let status = station.run(&["status"]);
    assert_eq!(status.code, Some(0), "{status:?}");
    assert!(
        status
            .stdout
            .contains("事项目录 版本 cli-test-2027.01（440111），共 2 项"),
        "{status:?}"
    );
}

#[test]
fn the_demo_catalogue_imports_completely_and_exits_0() {
    let station = CliStation::init("demo");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/catalogue.json");
    let run = station.run(&["catalogue", "import", &path_str(&demo)]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("拒收 0 项"), "{run:?}");
    assert!(!run.stdout.contains("拒收的事项"), "{run:?}");
}

#[test]
fn files_that_import_nothing_exit_1_and_leave_the_catalogue_alone() {
    let station = CliStation::init("nothing");

    let run = station.run(&[
        "catalogue",
        "import",
        &fixture("catalogue_all_refused.json"),
    ]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stdout
            .contains("第 1 行  实施编码   事项名称 没有实施编码"),
        "{run:?}"
    );
    assert!(run.stdout.contains("实施编码为空"), "{run:?}");
    assert!(
        run.stdout.contains("第 2 行  实施编码 NO-MATERIALS"),
        "{run:?}"
    );
    assert!(run.stderr.contains("2 项事项全部被拒收"), "{run:?}");

    let run = station.run(&["catalogue", "import", &fixture("catalogue_broken.json")]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("不是有效的 JSON：第 5 行"), "{run:?}");

    let missing = station.run(&["catalogue", "import", "/nonexistent/catalogue.json"]);
    assert_eq!(missing.code, Some(1), "{missing:?}");
    assert!(missing.stderr.contains("读取目录文件"), "{missing:?}");

    let status = station.run(&["status"]);
    assert!(status.stdout.contains(DEMO_VERSION), "{status:?}");
}

#[test]
fn help_explains_the_exit_codes() {
    let run = yichuang(&["catalogue", "import", "--help"], "");
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout
            .contains("Exit codes: 0 every item imported; 2 some rows refused"),
        "{run:?}"
    );
}
