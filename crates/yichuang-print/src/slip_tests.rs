//! Unit tests of the slip view model: masking, both applicant kinds, limits and notices.

use yichuang_core::{
    Applicant, CalendarBasis, Case, CaseState, ContactInfo, DeliveryKind, DeliveryMethod, IdType,
    IntakeDraft, ItemKind, MaterialForm, MaterialRequirement, ReceivedMaterial, ServiceItem,
    SyncState,
};

use super::*;

fn item(kind: ItemKind, promised: u32) -> ServiceItem {
    ServiceItem {
        item_code: "11440111MB2C0001".into(),
        base_code: String::new(),
        name: "临时救助申请".into(),
        department: "广州市白云区民政局".into(),
        kind,
        statutory_limit_days: 15,
        promised_limit_days: promised,
        fee: "不收费".into(),
        materials: vec![MaterialRequirement {
            code: "M01".into(),
            name: "居民身份证".into(),
            form: MaterialForm::Original,
            copies: 1,
            required: true,
            standard: String::new(),
            key: true,
            tolerable: false,
        }],
        delivery_methods: vec![DeliveryKind::Window, DeliveryKind::Courier],
        cross_city: false,
        version: "1".into(),
    }
}

fn case(applicant: Applicant, basis: CalendarBasis) -> Case {
    Case {
        id: "01936d2e-6a3b-7c4d-8e5f-000000000001".parse().unwrap(),
        case_no: "L440111001-01-20261231-0001".into(),
        official_case_no: Some("44011120261231000123".into()),
        station_code: "440111001".into(),
        item_name: "临时救助申请".into(),
        intake: IntakeDraft {
            item_code: "11440111MB2C0001".into(),
            applicant,
            contact: ContactInfo {
                name: "陈  某\n某".into(),
                phone: "13912345678".into(),
            },
            materials: vec![ReceivedMaterial {
                code: "M01".into(),
                form: MaterialForm::Copy,
                count: 2,
            }],
            delivery: DeliveryMethod::Post {
                address: "广州市白云区\n同和街道 1 号".into(),
            },
            agent: None,
        },
        clerk: "李晓芸".into(),
        state: CaseState::Accepted,
        outcome: yichuang_core::CaseOutcome::Accepted,
        accepted_at: "2026-12-31T08:00:00Z".parse().unwrap(),
        due_date: Some("2027-01-08".parse().unwrap()),
        deadline_basis: Some(basis),
        sync_state: SyncState::Synced,
    }
}

fn person() -> Applicant {
    Applicant::NaturalPerson {
        name: "王堃喆".into(),
        id_type: IdType::ResidentIdCard,
        id_no: "11010519491231002X".into(),
        address: String::new(),
    }
}

fn value<'a>(slip: &'a AcceptanceSlip, label: &str) -> &'a str {
    &slip
        .applicant
        .iter()
        .find(|f| f.label == label)
        .unwrap()
        .value
}

#[test]
fn person_is_masked_and_fallback_calendar_is_told() {
    let basis = CalendarBasis::WeekdayFallback { years: vec![2027] };
    let slip = AcceptanceSlip::from_case(
        &case(person(), basis),
        &item(ItemKind::Promised, 5),
        "站",
        "p".into(),
    );
    assert_eq!(value(&slip, "证件号码"), "110105********002X");
    assert_eq!(value(&slip, "证件类型"), "居民身份证");
    assert!(
        slip.applicant.iter().all(|f| f.label != "住址"),
        "empty address printed"
    );
    assert_eq!(slip.contact_phone, "139****5678");
    assert_eq!(slip.contact_name, "陈 某 某");
    assert_eq!(slip.delivery, "邮寄送达：广州市白云区 同和街道 1 号");
    assert_eq!(
        slip.official_case_no.as_deref(),
        Some("44011120261231000123")
    );
    assert_eq!(slip.accepted_at, "2026-12-31 16:00");
    assert_eq!(slip.accepted_date, "2026年12月31日");
    assert_eq!(
        (slip.statutory_limit.as_str(), slip.promised_limit.as_str()),
        ("15 个工作日", "5 个工作日")
    );
    assert_eq!(slip.due_date, "2027年1月8日");
    assert!(slip.calendar_notice.as_deref().unwrap().contains("2027"));
    assert!(
        slip.notices
            .iter()
            .any(|n| n.contains("2027 年的节假日安排尚未下发"))
    );
    assert_eq!(
        slip.materials,
        vec![SlipMaterial {
            name: "居民身份证".into(),
            form: "复印件".into(),
            count: "2 份".into()
        }]
    );
    let printed: Vec<&str> = slip.printed_fields().into_iter().map(|(_, t)| t).collect();
    assert!(
        printed
            .iter()
            .all(|t| !t.contains("11010519491231002X") && !t.contains("13912345678"))
    );
    assert!(
        !printed.contains(&"p"),
        "the QR payload is not printed text"
    );
}

#[test]
fn legal_person_shows_uscc_and_representative() {
    let applicant = Applicant::LegalPerson {
        name: "广州某某餐饮有限公司".into(),
        uscc: "91310110666007217T".into(),
        legal_representative: "龚䶮".into(),
        address: String::new(),
    };
    let basis = CalendarBasis::Calendar {
        version: "v".into(),
    };
    let slip = AcceptanceSlip::from_case(
        &case(applicant, basis),
        &item(ItemKind::Promised, 5),
        "站",
        "p".into(),
    );
    assert_eq!(value(&slip, "申请单位"), "广州某某餐饮有限公司");
    assert_eq!(value(&slip, "统一社会信用代码"), "91310110666007217T");
    assert_eq!(value(&slip, "法定代表人"), "龚䶮");
    assert_eq!(slip.calendar_notice, None);
    assert_eq!(slip.notices.len(), 3);
}

#[test]
fn immediate_item_has_no_due_date() {
    let basis = CalendarBasis::Calendar {
        version: "v".into(),
    };
    let slip = AcceptanceSlip::from_case(
        &case(person(), basis),
        &item(ItemKind::Immediate, 0),
        "站",
        "p".into(),
    );
    assert_eq!(slip.promised_limit, "即办件");
    assert_eq!(slip.due_date, "当场办结");
}
