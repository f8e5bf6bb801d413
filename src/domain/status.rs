//! The restriction catalog and a subject's derived status.

use super::money::Fen;

/// One item a court can restrict (import-format.md's 15 codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestrictionItem {
    pub code: &'static str,
    pub group: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
}

const fn item(
    code: &'static str,
    group: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
) -> RestrictionItem {
    RestrictionItem {
        code,
        group,
        name_zh,
        name_en,
    }
}

pub const RESTRICTION_CATALOG: [RestrictionItem; 15] = [
    item(
        "premium-travel",
        "consumption",
        "乘坐飞机、列车软卧、轮船二等以上舱位",
        "flights, soft sleepers, ship berths of 2nd class or above",
    ),
    item(
        "star-hotel",
        "consumption",
        "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
        "star hotels, nightclubs, golf courses",
    ),
    item(
        "real-estate",
        "consumption",
        "购买不动产或者新建、扩建、高档装修房屋",
        "buying real estate; building or luxury renovation",
    ),
    item(
        "premium-office",
        "consumption",
        "租赁高档写字楼、宾馆、公寓等场所办公",
        "renting high-grade offices, hotels or apartments",
    ),
    item(
        "vehicle",
        "consumption",
        "购买非经营必需车辆",
        "buying vehicles not needed for business",
    ),
    item(
        "tourism",
        "consumption",
        "旅游、度假",
        "travel and holidays",
    ),
    item(
        "private-school",
        "consumption",
        "子女就读高收费私立学校",
        "children at high-fee private schools",
    ),
    item(
        "premium-insurance",
        "consumption",
        "支付高额保费购买保险理财产品",
        "high-premium wealth-management insurance",
    ),
    item(
        "high-speed-rail",
        "consumption",
        "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位",
        "G-series trains; first class on other bullet trains",
    ),
    item(
        "directorship",
        "joint-punishment",
        "担任金融机构董事、监事、高级管理人员等",
        "director, supervisor or manager of financial institutions",
    ),
    item(
        "procurement",
        "joint-punishment",
        "参与政府采购",
        "government procurement",
    ),
    item("bonds", "joint-punishment", "发行债券", "bond issuance"),
    item(
        "financial-institution",
        "joint-punishment",
        "设立金融机构",
        "founding financial institutions",
    ),
    item(
        "civil-service",
        "joint-punishment",
        "招录（聘）为公务人员",
        "civil-service hiring",
    ),
    item(
        "subsidies",
        "joint-punishment",
        "获得政府补贴、荣誉",
        "subsidies and honours",
    ),
];

/// The nine consumption items that every listing imposes.
pub fn consumption_items() -> impl Iterator<Item = &'static RestrictionItem> {
    RESTRICTION_CATALOG
        .iter()
        .filter(|i| i.group == "consumption")
}

pub fn restriction_item(code: &str) -> Option<&'static RestrictionItem> {
    RESTRICTION_CATALOG.iter().find(|i| i.code == code)
}

/// What the store knows about a subject, reduced to the facts status needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusFacts {
    pub active_listings: u32,
    pub active_restrictions: u32,
    pub pending_objections: u32,
    pub open_deadlines: u32,
    pub monetary_obligations: u32,
    pub outstanding: Fen,
}

/// The badges a subject carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubjectStatus {
    pub listed: bool,
    pub restricted: bool,
    pub objection_pending: bool,
    pub deadline_running: bool,
    /// Has obligations and owes nothing.
    pub performed: bool,
}

impl SubjectStatus {
    pub fn derive(f: &StatusFacts) -> SubjectStatus {
        SubjectStatus {
            listed: f.active_listings > 0,
            restricted: f.active_restrictions > 0,
            objection_pending: f.pending_objections > 0,
            deadline_running: f.open_deadlines > 0,
            performed: f.monetary_obligations > 0 && f.outstanding == Fen::ZERO,
        }
    }

    /// Nothing in force against the subject.
    pub fn clear(&self) -> bool {
        !self.listed && !self.restricted
    }

    /// The headline word for the subject.
    pub fn headline(&self) -> &'static str {
        if self.listed {
            "listed"
        } else if self.restricted {
            "restricted"
        } else if self.performed {
            "performed"
        } else {
            "clear"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_has_fifteen_unique_codes_nine_of_them_consumption() {
        let mut codes: Vec<_> = RESTRICTION_CATALOG.iter().map(|i| i.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 15);
        assert_eq!(consumption_items().count(), 9);
        assert!(restriction_item("high-speed-rail").is_some());
        assert!(restriction_item("yacht").is_none());
    }

    #[test]
    fn status_precedence() {
        let mut f = StatusFacts {
            active_listings: 1,
            active_restrictions: 9,
            ..Default::default()
        };
        assert_eq!(SubjectStatus::derive(&f).headline(), "listed");
        f.active_listings = 0;
        assert_eq!(SubjectStatus::derive(&f).headline(), "restricted");
        f.active_restrictions = 0;
        f.monetary_obligations = 2;
        assert_eq!(SubjectStatus::derive(&f).headline(), "performed");
        f.outstanding = Fen(1);
        let s = SubjectStatus::derive(&f);
        assert_eq!(s.headline(), "clear");
        assert!(s.clear() && !s.performed);
    }
}
