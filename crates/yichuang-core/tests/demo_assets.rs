//! The demo catalogue and credit list shipped with the app obey the domain rules, so a demo never shows a case the rules forbid.

use std::collections::HashSet;

use yichuang_core::ids::{IdType, check_id};
use yichuang_core::{Catalogue, CreditList, CreditListKind, ItemKind};

const DEMO_APPLICANT: &str = "11010519491231002X";

fn catalogue() -> Catalogue {
    Catalogue::from_json(include_str!("../../../assets/demo/catalogue.json")).unwrap()
}

fn credit_list() -> CreditList {
    CreditList::from_json(include_str!("../../../assets/demo/credit-list.json")).unwrap()
}

#[test]
fn catalogue_has_enough_items_with_unique_short_codes() {
    let cat = catalogue();
    assert_eq!(cat.region_code, "440111");
    assert!(cat.items.len() >= 32, "only {} items", cat.items.len());
    let mut seen = HashSet::new();
    for item in &cat.items {
        assert!(
            !item.item_code.is_empty() && item.item_code.chars().count() <= 64,
            "{}: item code length",
            item.name
        );
        assert!(
            seen.insert(item.item_code.as_str()),
            "duplicate item code {}",
            item.item_code
        );
        assert!(!item.department.is_empty(), "{}: no department", item.name);
        assert!(!item.fee.is_empty(), "{}: no fee text", item.name);
        assert!(
            !item.delivery_methods.is_empty(),
            "{}: no delivery method",
            item.name
        );
    }
}

#[test]
fn the_original_demo_items_keep_their_codes_and_order() {
    let cat = catalogue();
    let originals = [
        ("114401110075061234200011000101", "广东省居住证申领"),
        (
            "114401110075061234200021000202",
            "城乡居民基本养老保险参保登记",
        ),
        ("114401110075061234200031000303", "食品经营许可证核发"),
        ("114401110075061234200041000404", "临时救助申请"),
        ("114401110075061234200051000505", "老年人优待证办理"),
    ];
    for (i, (code, name)) in originals.iter().enumerate() {
        assert_eq!(cat.items[i].item_code, *code);
        assert_eq!(cat.items[i].name, *name);
    }
    // The UI picks the first 居住证 hit in the end-to-end test.
    assert_eq!(
        cat.search("居住证").next().unwrap().name,
        "广东省居住证申领"
    );
}

#[test]
fn every_item_obeys_the_material_and_time_limit_rules() {
    for item in &catalogue().items {
        let name = &item.name;
        assert!(
            item.materials.iter().any(|m| m.required),
            "{name}: no required material"
        );
        let mut codes = HashSet::new();
        for m in &item.materials {
            assert!(
                codes.insert(m.code.as_str()),
                "{name}: material code {} twice",
                m.code
            );
            assert!(
                !(m.key && m.tolerable),
                "{name}: key material {} is tolerable",
                m.name
            );
            assert!(!m.name.is_empty(), "{name}: unnamed material {}", m.code);
            assert!(m.copies >= 1, "{name}: {} has no copies", m.name);
        }
        match item.kind {
            ItemKind::Immediate => assert_eq!(item.promised_limit_days, 0, "{name}"),
            ItemKind::Promised => assert!(
                (1..=item.statutory_limit_days).contains(&item.promised_limit_days),
                "{name}: promised {} vs statutory {}",
                item.promised_limit_days,
                item.statutory_limit_days
            ),
        }
        assert!(item.statutory_limit_days >= 1, "{name}: no statutory limit");
    }
}

#[test]
fn catalogue_covers_the_station_s_business() {
    let cat = catalogue();
    let groups: [&[&str]; 9] = [
        &["户"],
        &["居住证"],
        &["社保", "社会保", "养老"],
        &["医保", "医疗保"],
        &["救助", "低保", "最低生活保障"],
        &["残疾"],
        &["住房", "公租房"],
        &["港澳", "台湾"],
        &["个体", "公司"],
    ];
    for words in groups {
        assert!(
            cat.items
                .iter()
                .any(|i| words.iter().any(|w| i.name.contains(w))),
            "no item about {words:?}"
        );
    }
    let count =
        |f: &dyn Fn(&yichuang_core::ServiceItem) -> bool| cat.items.iter().filter(|i| f(i)).count();
    assert!(count(&|i| i.cross_city) >= 1, "no 跨城通办 item");
    assert!(
        count(&|i| i.materials.iter().any(|m| m.tolerable && !m.key)) >= 3,
        "fewer than 3 items allow 容缺受理"
    );
    assert!(count(&|i| i.kind == ItemKind::Immediate) >= 2);
    assert!(count(&|i| i.kind == ItemKind::Promised) >= 2);
}

#[test]
fn every_credit_list_number_is_valid_for_its_type() {
    let list = credit_list();
    assert!(list.entries.len() >= 6);
    for e in &list.entries {
        let id_type = if e.subject_no.len() == 18 && e.subject_no.starts_with('9') {
            IdType::Uscc
        } else {
            IdType::ResidentIdCard
        };
        assert_eq!(
            check_id(id_type, &e.subject_no),
            Ok(vec![]),
            "{} {}",
            e.name,
            e.subject_no
        );
        assert!(!e.reason.is_empty() && !e.measure.is_empty() && !e.authority.is_empty());
    }
}

#[test]
fn credit_list_has_both_kinds_and_an_expired_entry() {
    let list = credit_list();
    let today: jiff::civil::Date = "2026-11-27".parse().unwrap();
    let kinds: HashSet<_> = list.entries.iter().map(|e| e.kind).collect();
    assert_eq!(kinds.len(), 2);
    assert!(list.entries.iter().any(|e| !e.in_force(today)));
    let hit = list
        .check("440524188001010014", today)
        .expect("black-listed");
    assert_eq!(hit.kind, CreditListKind::Black);
    assert!(list.check("91310110666007217T", today).is_some());
    for e in list.entries.iter().filter(|e| !e.in_force(today)) {
        assert!(list.check(&e.subject_no, today).is_none(), "{}", e.name);
    }
}

#[test]
fn the_demo_applicant_is_on_no_list() {
    let list = credit_list();
    assert!(
        list.entries
            .iter()
            .all(|e| e.subject_no.trim().to_uppercase() != DEMO_APPLICANT)
    );
    let any_day: jiff::civil::Date = "2000-01-01".parse().unwrap();
    assert!(list.check(DEMO_APPLICANT, any_day).is_none());
}
