//! Realistic identities: surnames by frequency, given names, valid resident
//! IDs and USCCs, phones and addresses.

use crate::domain::ident::{resident_id_check, uscc_check};
use chrono::{Days, NaiveDate};
use fastrand::Rng;

/// The most common surnames, roughly by frequency (weights are per mille).
const SURNAMES: [(&str, u32); 30] = [
    ("王", 72),
    ("李", 71),
    ("张", 69),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("黄", 23),
    ("赵", 22),
    ("吴", 20),
    ("周", 19),
    ("徐", 16),
    ("孙", 15),
    ("马", 15),
    ("朱", 14),
    ("胡", 13),
    ("郭", 12),
    ("何", 11),
    ("高", 11),
    ("林", 11),
    ("罗", 10),
    ("郑", 10),
    ("梁", 9),
    ("谢", 8),
    ("宋", 8),
    ("唐", 7),
    ("许", 7),
    ("韩", 7),
    ("冯", 7),
    ("邓", 7),
    ("曹", 6),
];

const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞建国红梅志强海燕文辉鹏宇浩然晨阳思雨欣怡子轩佳琪俊峰立新春生永福";

/// Region codes with their place names: (code, province court char, city, district).
pub const REGIONS: [(&str, &str, &str); 8] = [
    ("410185", "河南省登封市", "豫0185"),
    ("410102", "河南省郑州市中原区", "豫0102"),
    ("110105", "北京市朝阳区", "京0105"),
    ("330106", "浙江省杭州市西湖区", "浙0106"),
    ("450103", "广西壮族自治区南宁市青秀区", "桂0103"),
    ("440305", "广东省深圳市南山区", "粤0305"),
    ("320102", "江苏省南京市玄武区", "苏0102"),
    ("510104", "四川省成都市锦江区", "川0104"),
];

const ROADS: [&str; 10] = [
    "中岳大街",
    "少林大道",
    "嵩阳路",
    "人民路",
    "建设路",
    "解放路",
    "文化路",
    "朝阳北路",
    "文三路",
    "民族大道",
];
const FIRMS: [&str; 12] = [
    "鼎盛", "华信", "金源", "宏达", "恒通", "瑞丰", "兴业", "汇金", "嵩山", "永安", "富民", "天成",
];
const TRADES: [&str; 8] = [
    "建材",
    "商贸",
    "房地产开发",
    "建筑工程",
    "物流",
    "餐饮管理",
    "农业科技",
    "养殖",
];

pub fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

pub fn surname(rng: &mut Rng) -> &'static str {
    let total: u32 = SURNAMES.iter().map(|s| s.1).sum();
    let mut roll = rng.u32(..total);
    for (name, weight) in SURNAMES {
        if roll < weight {
            return name;
        }
        roll -= weight;
    }
    SURNAMES[0].0
}

/// Two- and three-character names, about one in three with two given characters.
pub fn person_name(rng: &mut Rng) -> String {
    let given: Vec<char> = GIVEN.chars().collect();
    let mut name = surname(rng).to_string();
    let count = if rng.u8(..3) == 0 { 1 } else { 2 };
    for _ in 0..count {
        name.push(given[rng.usize(..given.len())]);
    }
    name
}

/// The city of a place name: after the province, up to its "市".
fn city_of(place: &str) -> &str {
    let after_province = ["自治区", "省"]
        .iter()
        .find_map(|p| place.split_once(p).map(|(_, rest)| rest))
        .unwrap_or(place);
    match after_province.find('市') {
        Some(i) => &after_province[..i + '市'.len_utf8()],
        None => after_province,
    }
}

pub fn entity_name(rng: &mut Rng, place: &str) -> String {
    format!(
        "{}{}{}有限公司",
        city_of(place),
        pick(rng, &FIRMS),
        pick(rng, &TRADES)
    )
}

#[cfg(test)]
#[test]
fn cities_are_cut_after_the_province() {
    assert_eq!(city_of("广西壮族自治区南宁市青秀区"), "南宁市");
    assert_eq!(city_of("河南省登封市"), "登封市");
    assert_eq!(city_of("北京市朝阳区"), "北京市");
}

/// A valid resident ID for a person born on `birth`.
pub fn resident_id(rng: &mut Rng, region: &str, birth: NaiveDate, male: bool) -> String {
    let mut seq = rng.u16(0..500) * 2;
    if male {
        seq += 1;
    }
    let first17 = format!("{region}{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    format!("{first17}{}", resident_id_check(&first17))
}

/// A birth date for an adult debtor: 22 to 75 years before `as_of`.
pub fn adult_birth(rng: &mut Rng, as_of: NaiveDate) -> NaiveDate {
    as_of - Days::new(rng.u64(22 * 365..75 * 365))
}

const ORG_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A valid USCC: 9 (industry and commerce) 1 (company), region, a GB 11714
/// organisation code with its own check, and the GB 32100 check character.
pub fn uscc(rng: &mut Rng, region: &str) -> String {
    let body: Vec<u8> = (0..8).map(|_| ORG_ALPHABET[rng.usize(..31)]).collect();
    let weights = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .iter()
        .zip(weights)
        .map(|(&b, w)| {
            let v = if b.is_ascii_digit() {
                u32::from(b - b'0')
            } else {
                u32::from(b - b'A') + 10
            };
            v * w
        })
        .sum();
    let check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('0'),
    };
    let first17 = format!("91{region}{}{check}", String::from_utf8_lossy(&body));
    format!("{first17}{}", uscc_check(&first17))
}

/// A mobile number and its carrier.
pub fn phone(rng: &mut Rng) -> (String, &'static str) {
    let (prefix, carrier) = pick(
        rng,
        &[
            ("138", "china-mobile"),
            ("139", "china-mobile"),
            ("150", "china-mobile"),
            ("186", "china-unicom"),
            ("131", "china-unicom"),
            ("189", "china-telecom"),
            ("177", "china-telecom"),
        ],
    );
    (format!("{prefix}{:08}", rng.u32(..100_000_000)), carrier)
}

pub fn address(rng: &mut Rng, place: &str) -> String {
    format!("{place}{}{}号", pick(rng, &ROADS), rng.u16(1..400))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ResidentId, Uscc};

    #[test]
    fn generated_identifiers_are_valid() {
        let mut rng = Rng::with_seed(7);
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        for _ in 0..500 {
            let birth = adult_birth(&mut rng, as_of);
            let male = rng.bool();
            let id = resident_id(&mut rng, "410185", birth, male);
            assert!(ResidentId::parse(&id).is_ok(), "{id}");
            let code = uscc(&mut rng, "410185");
            assert!(!Uscc::parse(&code).unwrap().pilot_era, "{code}");
        }
    }
}
