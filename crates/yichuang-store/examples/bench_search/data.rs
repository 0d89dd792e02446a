//! Random but repeatable people, companies and document numbers for the generated station.

#[allow(unused_imports)]
use super::*;

/// A tiny deterministic PRNG (SplitMix64): the same seed gives the same station.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given weights.
    pub(crate) fn weighted(&mut self, cumulative: &[f64]) -> usize {
        let x = self.unit() * cumulative.last().copied().unwrap_or(0.0);
        cumulative
            .partition_point(|c| *c <= x)
            .min(cumulative.len() - 1)
    }

    pub(crate) fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

pub(crate) fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    weights
        .into_iter()
        .scan(0.0, |acc, w| {
            *acc += w;
            Some(*acc)
        })
        .collect()
}

/// Common surnames with rough frequencies (per mille), and a few compound ones.
pub(crate) const SURNAMES: &str = "王:71 李:70 张:67 刘:54 陈:60 杨:31 黄:35 赵:23 吴:20 周:19 徐:15 孙:15 马:12 朱:12 胡:11 郭:11 \
    何:12 林:14 高:10 罗:10 郑:9 梁:14 谢:8 宋:7 唐:6 许:6 邓:7 冯:6 韩:5 曹:5 曾:6 彭:5 肖:5 蔡:5 潘:5 \
    田:4 董:4 袁:4 于:4 余:4 叶:5 蒋:4 杜:4 苏:4 魏:3 程:3 吕:3 丁:3 沈:3 任:3 姚:3 卢:4 钟:4 姜:3 崔:3 \
    谭:4 陆:3 范:2 汪:2 廖:3 石:2 金:2 韦:2 贾:2 夏:2 付:2 方:2 邹:2 熊:2 白:2 孟:2 秦:2 邱:2 侯:2 江:2 \
    尹:2 薛:2 闫:2 段:2 雷:2 龙:2 黎:2 史:2 陶:2 贺:2 毛:1 郝:1 顾:1 龚:1 邵:1 万:1 覃:1 武:1 钱:1 戴:1 \
    严:1 欧阳:0.5 司马:0.1 诸葛:0.1 上官:0.1";

pub(crate) fn surnames() -> impl Iterator<Item = (&'static str, f64)> {
    SURNAMES.split_whitespace().filter_map(|s| {
        let (name, weight) = s.split_once(':')?;
        Some((name, weight.parse().ok()?))
    })
}

/// Characters of given names; the last line holds rare ones (CJK Ext. A and B among them).
pub(crate) const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯健俊帆帅\
    旭宁龙林欣佳嘉琪怡雨梓涵子轩博诗晨思一可宏志海鹏飞亮鑫婷雪慧莹晶倩颖琳玲燕淑兰凤春梅云国\
    荣德永成福生祥发金东晓小家美泽瑞昊晗睿彤妍瑶馨然阳天安宸铭景楠振世丹蕾薇晖琦璐霖煜锦桐";
pub(crate) const RARE_GIVEN: &str = "堃喆䶮昇玥燊犇淼懿翀珺琰璟彧𠇔𡒊";
pub(crate) const STREETS: &[&str] = &[
    "京溪街云景路",
    "同和街蟾蜍石路",
    "三元里大道",
    "白云大道北",
    "机场路",
    "广园中路",
    "嘉禾街鹤龙一路",
    "均禾街清湖路",
    "永平街永泰路",
    "黄石东路",
    "太和镇大源北路",
];
/// Where applicants' ID cards were issued: mostly Guangzhou districts, some other provinces.
pub(crate) const ID_REGIONS: &[&str] = &[
    "440111", "440111", "440111", "440106", "440104", "440103", "440105", "440112", "440113",
    "440114", "440183", "441581", "445221", "430124", "450521", "360302", "510623", "421123",
    "350583", "411527",
];
pub(crate) const BUSINESS_SUFFIXES: &[&str] = &[
    "餐饮店",
    "商行",
    "贸易有限公司",
    "科技有限公司",
    "便利店",
    "五金店",
    "服装店",
    "物流有限公司",
];
pub(crate) const REJECT_REASONS: &[(&str, Option<&str>)] = &[
    (
        "申请事项不属于本机关职权范围",
        Some("广州市白云区市场监督管理局"),
    ),
    ("申请人不具备申请资格（户籍不在本辖区）", None),
    ("申请事项依法不需要取得行政许可", None),
];
/// Items applied for by a business (legal person) in the demo catalogue.
pub(crate) const BUSINESS_ITEMS: &[&str] = &["食品经营许可证核发", "公司设立登记", "公章刻制备案"];

pub(crate) struct Person {
    pub(crate) name: String,
    pub(crate) id_no: String,
    pub(crate) phone: String,
    pub(crate) address: String,
}

pub(crate) struct Company {
    pub(crate) name: String,
    pub(crate) uscc: String,
    pub(crate) representative: usize,
    pub(crate) address: String,
}

/// GB 11643 number: region, birth date, sequence (odd for men), ISO 7064 MOD 11-2 check.
pub(crate) fn resident_id(region: &str, birth: Date, seq: u64) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let body = format!(
        "{region}{:04}{:02}{:02}{seq:03}",
        birth.year(),
        birth.month(),
        birth.day()
    );
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{body}{}", char::from(b"10X98765432"[(sum % 11) as usize]))
}

/// GB 32100 code: 9 (market regulator), 2 (individual business) or 1, region, GB 11714 body.
pub(crate) fn uscc(rng: &mut Rng) -> String {
    const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let kind = if rng.chance(0.6) { "92" } else { "91" };
    let body: String = (0..8)
        .map(|_| {
            let n = if rng.chance(0.8) { 10 } else { 31 };
            char::from(CHARSET[rng.below(n) as usize])
        })
        .collect();
    let sum: u32 = body
        .chars()
        .zip(ORG_WEIGHTS)
        .map(|(c, w)| c.to_digit(36).unwrap_or(0) * w)
        .sum();
    let org_check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from(b'0' + n as u8),
    };
    let first17 = format!("{kind}{REGION}{body}{org_check}");
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| CHARSET.iter().position(|c| *c == b).unwrap_or(0) as u32 * w)
        .sum();
    format!(
        "{first17}{}",
        char::from(CHARSET[((31 - sum % 31) % 31) as usize])
    )
}
