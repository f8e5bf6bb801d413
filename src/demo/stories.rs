//! The four cases the article tells, as they would sit in an officer's store.

use super::story_writer::StoryWriter;
use super::{Courts, DemoSummary};
use crate::domain::ident::uscc_check;
use crate::store::seed::SeedWriter;
use chrono::{Days, NaiveDate};

type R<T> = rusqlite::Result<T>;

pub fn insert(
    w: &mut SeedWriter,
    courts: &Courts,
    officer: i64,
    as_of: NaiveDate,
) -> R<DemoSummary> {
    let mut c = StoryWriter {
        w,
        courts,
        officer,
        as_of,
    };
    guangxi_video(&mut c)?;
    beijing_developer(&mut c)?;
    zhejiang_father(&mut c)?;
    breeding_farm(&mut c)?;
    Ok(DemoSummary {
        subjects: 5,
        cases: 4,
        listings: 4,
    })
}

/// Saw himself in the court's published video, and paid.
fn guangxi_video(c: &mut StoryWriter) -> R<()> {
    let s = c.person(
        "韦国强",
        "450103",
        "1978-04-16",
        "031",
        "广西壮族自治区南宁市青秀区民族大道88号",
        "13877120518",
    )?;
    let filed = c.ago(900);
    let case = c.case(
        "桂0103",
        filed,
        2156,
        "南宁市联发建材有限公司",
        "（2022）桂0103民初4417号民事判决书",
        &[s],
    )?;
    let ob =
        c.w.obligation(case, s, "支付货款及违约金", Some(18_640_000))?;
    let listed = filed + Days::new(120);
    let paid = listed + Days::new(200);
    let listing = c.list(
        s,
        case,
        1,
        listed,
        "（2024）桂0103执2156号之一",
        Some(("performed", paid)),
        &[s],
    )?;
    c.notice(
        s,
        listing,
        "publication",
        "publication",
        "法院抖音号“青秀执行”曝光视频",
        "失信被执行人韦国强，案号（2024）桂0103执2156号，未履行金额186,400.00元。",
        "sent",
        listed + Days::new(150),
    )?;
    let pay = c.w.payment(
        ob,
        18_640_000,
        &paid.to_string(),
        "transfer",
        "QX-2025-0412",
        Some(c.officer),
    )?;
    c.audit(
        s,
        "record-payment",
        "payment",
        pay,
        "paid 186,400.00 in full after seeing himself in the court's published video",
    )?;
    c.audit(
        s,
        "lift-listing",
        "listing",
        listing,
        "lifted: obligation performed; restrictions lifted, lifting notices sent",
    )?;
    c.notice(
        s,
        listing,
        "call",
        "lifting",
        "13877120518",
        "请撤销韦国强名下号码的失信彩铃。南宁市青秀区人民法院。",
        "sent",
        paid + Days::new(1),
    )?;
    Ok(())
}

/// Ignored orders to pay his subcontractors; barred from first class.
fn beijing_developer(c: &mut StoryWriter) -> R<()> {
    let boss = c.person(
        "鲁宏业",
        "110105",
        "1969-09-03",
        "017",
        "北京市朝阳区朝阳北路101号",
        "13901086688",
    )?;
    let code = format!("91110105MA01ABCD2{}", uscc_check("91110105MA01ABCD2"));
    let firm = c.entity(
        "北京鼎盛置业房地产开发有限公司",
        &code,
        false,
        "北京市朝阳区建国路88号",
    )?;
    c.w.responsible(firm, boss, "legal-representative")?;
    c.w.responsible(firm, boss, "actual-controller")?;
    let filed = c.ago(500);
    let case = c.case(
        "京0105",
        filed,
        1881,
        "北京建工劳务分包有限公司等七家分包单位",
        "（2023）京0105民初21873号民事判决书",
        &[firm, boss],
    )?;
    c.w.obligation(case, firm, "支付分包工程款", Some(426_500_000))?;
    c.w.obligation(case, boss, "对分包工程款承担连带责任", Some(426_500_000))?;
    let decided = filed + Days::new(90);
    let listing = c.list(
        firm,
        case,
        1,
        decided,
        "（2025）京0105执1881号之一",
        None,
        &[firm, boss],
    )?;
    let own = c.list(
        boss,
        case,
        1,
        decided,
        "（2025）京0105执1881号之二",
        None,
        &[boss],
    )?;
    c.notice(
        boss,
        own,
        "letter",
        "service",
        "北京市朝阳区朝阳北路101号",
        "鲁宏业：本院已决定将您纳入失信被执行人名单，限制乘坐飞机头等舱等高消费行为。",
        "sent",
        decided,
    )?;
    c.notice(
        firm,
        listing,
        "publication",
        "publication",
        "北京法院网",
        "失信被执行人北京鼎盛置业房地产开发有限公司，未履行金额4,265,000.00元。",
        "sent",
        decided + Days::new(3),
    )?;
    c.audit(
        boss,
        "refused-boarding",
        "listing",
        own,
        "refused a first-class ticket at the airline counter: restriction premium-travel in force",
    )?;
    Ok(())
}

/// Still owed a local bank two years after judgment.
fn zhejiang_father(c: &mut StoryWriter) -> R<()> {
    let s = c.person(
        "沈国华",
        "330106",
        "1971-02-11",
        "051",
        "浙江省杭州市西湖区文三路258号",
        "13857110342",
    )?;
    let filed = c.ago(760);
    let case = c.case(
        "浙0106",
        filed,
        2077,
        "杭州联合农村商业银行股份有限公司",
        "（2024）浙0106民初1032号民事判决书",
        &[s],
    )?;
    let ob =
        c.w.obligation(case, s, "偿还借款本金及利息", Some(32_000_000))?;
    let pay = c.w.payment(
        ob,
        4_500_000,
        &(filed + Days::new(300)).to_string(),
        "wage-deduction",
        "XH-2025-0077",
        Some(c.officer),
    )?;
    c.audit(
        s,
        "record-payment",
        "payment",
        pay,
        "45,000.00 deducted from wages",
    )?;
    let decided = filed + Days::new(180);
    let listing = c.list(
        s,
        case,
        1,
        decided,
        "（2024）浙0106执2077号之一",
        None,
        &[s],
    )?;
    let court = c.courts.name("浙0106");
    c.notice(
        s,
        listing,
        "sms",
        "sms-warning",
        "13857110342",
        &format!("沈国华：您尚欠275,000.00元，请于三日内履行，逾期{court}将开通失信彩铃。"),
        "sent",
        decided + Days::new(5),
    )?;
    c.notice(
        s,
        listing,
        "call",
        "call-message",
        "13857110342",
        &format!("您好，您拨打的机主已被{court}列为失信被执行人，请敦促其履行法定义务。"),
        "sent",
        decided + Days::new(9),
    )?;
    Ok(())
}

/// Fined over false veterinary certificates; objects to the listing.
fn breeding_farm(c: &mut StoryWriter) -> R<()> {
    let farm = c.entity(
        "登封市嵩阳生态养殖有限公司",
        "91350100M0001TGQXM",
        true,
        "河南省登封市嵩阳路18号",
    )?;
    let rep = c.person(
        "郭建伟",
        "410185",
        "1975-07-22",
        "013",
        "河南省登封市少林大道66号",
        "15037196621",
    )?;
    c.w.responsible(farm, rep, "legal-representative")?;
    // The farm's registered office line: the carriers play the call message on it.
    c.w.phone(farm, "0371-62871135", "china-telecom")?;
    let filed = c.ago(200);
    let case = c.case(
        "豫0185",
        filed,
        1234,
        "登封市农业农村局",
        "登农（牧）罚〔2025〕12号行政处罚决定书（出具虚假动物检疫证明）",
        &[farm],
    )?;
    c.w.obligation(case, farm, "缴纳罚款", Some(5_000_000))?;
    let decided = filed + Days::new(90);
    let listing = c.list(
        farm,
        case,
        4,
        decided,
        "（2026）豫0185执1234号之一",
        None,
        &[farm, rep],
    )?;
    let filed_objection = c.ago(9);
    let obj = c.w.objection(
        listing,
        farm,
        "information-wrong",
        c.courts.id("豫0185"),
        &filed_objection.to_string(),
        &(filed_objection + Days::new(15)).to_string(),
    )?;
    c.audit(
        farm,
        "file-objection",
        "objection",
        obj,
        "the company says the fine was partly paid before listing",
    )?;
    c.notice(
        farm,
        listing,
        "call",
        "call-message",
        "15037196621",
        "您好，您拨打的机主已被登封市人民法院列为失信被执行人，请敦促其履行法定义务。",
        "queued",
        c.ago(2),
    )?;
    Ok(())
}
