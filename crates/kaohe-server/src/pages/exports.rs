//! What the office sends on: the rankings, designations, sanctions and pay effects of a quarter
//! or a year, as CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese right) and
//! as an XLSX workbook with one sheet a table. For the overseers.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kaohe_assess::Role;
use kaohe_assess::State as Ledger;
use kaohe_assess::period::Quarter;
use kaohe_assess::state::Kind;
use kaohe_assess::views::{name_of, person_pay, pool_ranking, quarter_board};

use super::{PageError, PageSession, kind_word, parse};
use crate::AppState;
use crate::auth::Session;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Number(i64),
    /// A day: ISO in CSV (which every spreadsheet reads as a date), a real date in XLSX.
    Date(jiff::civil::Date),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(number) => number.to_string(),
            Cell::Date(day) => day.to_string(),
        }
    }
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

/// One table of an export.
pub struct Table {
    /// Its name in the address (`rankings.csv`).
    pub name: &'static str,
    /// Its sheet's name in the workbook.
    pub sheet: &'static str,
    /// The header row.
    pub header: &'static [&'static str],
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// The tables of an export, in order.
pub const TABLES: [&str; 4] = ["rankings", "designations", "sanctions", "pay"];

/// The four tables for `quarters` (all of one year).
pub fn tables(ledger: &Ledger, quarters: &[Quarter], today: jiff::civil::Date) -> Vec<Table> {
    let mut rankings = Vec::new();
    let mut designations = Vec::new();
    let mut sanctions = Vec::new();
    let mut paid: Vec<String> = Vec::new();
    for quarter in quarters {
        for kind in [Kind::Best, Kind::Worst] {
            for (rank, entry) in pool_ranking(ledger, *quarter, kind).iter().enumerate() {
                rankings.push(vec![
                    text(quarter.name_zh()),
                    text(kind_word(kind)),
                    Cell::Number(rank as i64 + 1),
                    text(entry.person_id.clone()),
                    text(entry.name.clone()),
                    Cell::Number(entry.times as i64),
                    text(
                        entry
                            .leaders
                            .iter()
                            .map(|leader| name_of(ledger, leader))
                            .collect::<Vec<_>>()
                            .join("、"),
                    ),
                ]);
            }
        }
        let board = quarter_board(ledger, *quarter, today);
        for designation in &board.designations {
            let appeal = board
                .appeals
                .iter()
                .find(|appeal| appeal.id == designation.appeal_id.unwrap_or_default());
            designations.push(vec![
                text(quarter.name_zh()),
                text(kind_word(designation.kind)),
                text(designation.person_id.clone()),
                text(designation.name.clone()),
                text(if designation.stands {
                    "有效"
                } else {
                    "复评撤销"
                }),
                text(match appeal.and_then(|appeal| appeal.answer.as_ref()) {
                    Some(answer) if answer.outcome == kaohe_assess::Outcome::Overturned => {
                        "已复评：撤销"
                    }
                    Some(_) => "已复评：维持",
                    None if appeal.is_some() => "复评中",
                    None => "",
                }),
            ]);
        }
        for sanction in &board.sanctions {
            if !paid.contains(&sanction.person_id)
                && sanction.revoked_by.is_none()
                && sanction.sanction.affects_pay()
            {
                paid.push(sanction.person_id.clone());
            }
            sanctions.push(vec![
                text(quarter.name_zh()),
                text(sanction.person_id.clone()),
                text(sanction.name.clone()),
                text(sanction.sanction.name_zh()),
                sanction
                    .bonus_bp
                    .map_or(text(""), |bp| Cell::Number(i64::from(bp) / 100)),
                sanction.rectify_by.map_or(text(""), Cell::Date),
                text(if sanction.revoked_by.is_some() {
                    "已撤销"
                } else {
                    "有效"
                }),
                text(if sanction.talk_held.is_some() {
                    "已谈话"
                } else {
                    ""
                }),
                text(if sanction.plan.is_some() {
                    "已提交"
                } else {
                    ""
                }),
                text(if sanction.completed.is_some() {
                    if sanction.rectification_late {
                        "逾期完成"
                    } else {
                        "已完成"
                    }
                } else if sanction.rectification_late {
                    "逾期未完成"
                } else {
                    ""
                }),
            ]);
        }
    }
    let year = quarters
        .first()
        .map_or(today.year(), |quarter| quarter.year());
    // The pay table covers everyone assessed that year, not only those a sanction touched, so
    // that the finance office can take it as the whole list.
    paid.extend(assessed_in(ledger, year));
    paid.sort();
    paid.dedup();
    let pay = paid
        .iter()
        .map(|person| {
            let pay = person_pay(ledger, person, year);
            let mut row = vec![
                Cell::Number(i64::from(year)),
                text(person.clone()),
                text(pay.name.clone()),
            ];
            row.extend(
                pay.quarterly_bonus_bp
                    .iter()
                    .map(|bp| Cell::Number(i64::from(*bp) / 100)),
            );
            row.push(Cell::Number(i64::from(pay.year_end_bonus_bp) / 100));
            row.push(text(if pay.bonuses_withheld { "是" } else { "否" }));
            row.push(text(if pay.basic_salary_only { "是" } else { "否" }));
            row
        })
        .collect();
    vec![
        Table {
            name: "rankings",
            sheet: "提名排名",
            header: &[
                "季度",
                "类别",
                "名次",
                "人员编号",
                "姓名",
                "提名次数",
                "提名领导",
            ],
            rows: rankings,
        },
        Table {
            name: "designations",
            sheet: "评定结果",
            header: &["季度", "类别", "人员编号", "姓名", "结果", "复评"],
            rows: designations,
        },
        Table {
            name: "sanctions",
            sheet: "奖惩",
            header: &[
                "季度",
                "人员编号",
                "姓名",
                "奖惩",
                "奖金上浮(%)",
                "整改期限",
                "状态",
                "谈话",
                "整改方案",
                "整改完成",
            ],
            rows: sanctions,
        },
        Table {
            name: "pay",
            sheet: "绩效影响",
            header: &[
                "年度",
                "人员编号",
                "姓名",
                "一季度奖(%)",
                "二季度奖(%)",
                "三季度奖(%)",
                "四季度奖(%)",
                "年终奖(%)",
                "扣发全年季度、年度奖金",
                "只发放基本工资",
            ],
            rows: pay,
        },
    ]
}

/// Everyone who held the cadre role on some day of `year`.
fn assessed_in(ledger: &Ledger, year: i16) -> Vec<String> {
    let (Ok(first), Ok(last)) = (
        jiff::civil::Date::new(year, 1, 1),
        jiff::civil::Date::new(year, 12, 31),
    ) else {
        return Vec::new();
    };
    ledger
        .people
        .iter()
        .filter(|(_, person)| {
            person.roles.iter().any(|span| {
                span.role == Role::Cadre
                    && span.from <= last
                    && span.until.is_none_or(|until| until >= first)
            })
        })
        .map(|(id, _)| id.clone())
        .collect()
}

/// A table as CSV: the byte-order mark, the header, the rows.
pub fn csv_bytes(table: &Table) -> Result<Vec<u8>, PageError> {
    let mut writer = csv::Writer::from_writer(BOM.to_vec());
    writer
        .write_record(table.header)
        .map_err(PageError::internal)?;
    for row in &table.rows {
        writer
            .write_record(row.iter().map(Cell::text))
            .map_err(PageError::internal)?;
    }
    writer.into_inner().map_err(PageError::internal)
}

/// The tables as an XLSX workbook, one sheet each: a bold header row that stays in view, a
/// filter on every column, columns as wide as their text, days as dates (2026年4月30日).
pub fn xlsx_bytes(tables: &[Table]) -> Result<Vec<u8>, PageError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let day_format = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.sheet).map_err(PageError::internal)?;
        for (column, title) in table.header.iter().enumerate() {
            sheet
                .write_string_with_format(0, column as u16, *title, &bold)
                .map_err(PageError::internal)?;
        }
        for (index, row) in table.rows.iter().enumerate() {
            let line = index as u32 + 1;
            for (column, cell) in row.iter().enumerate() {
                let column = column as u16;
                match cell {
                    Cell::Text(value) => sheet.write_string(line, column, value),
                    Cell::Number(value) => sheet.write_number(line, column, *value as f64),
                    Cell::Date(day) => {
                        let date = ExcelDateTime::from_ymd(
                            day.year() as u16,
                            day.month() as u8,
                            day.day() as u8,
                        )
                        .map_err(PageError::internal)?;
                        sheet.write_datetime_with_format(line, column, &date, &day_format)
                    }
                }
                .map_err(PageError::internal)?;
            }
        }
        let last_column = table.header.len().saturating_sub(1) as u16;
        sheet.set_freeze_panes(1, 0).map_err(PageError::internal)?;
        sheet
            .autofilter(0, 0, table.rows.len() as u32, last_column)
            .map_err(PageError::internal)?;
        sheet.autofit();
    }
    workbook.save_to_buffer().map_err(PageError::internal)
}

/// A download named twice: `name` in ASCII for old clients, `name_zh` (the township's own
/// words, 示范镇2026年第一季度评定结果.csv) for every browser that reads RFC 6266's `filename*`.
fn file(bytes: Vec<u8>, media: &'static str, name: &str, name_zh: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, media.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{name}\"; filename*=UTF-8''{}",
                    super::encode(name_zh)
                ),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The organisation the ledger was created for, which every file name begins with.
fn organisation(state: &AppState) -> String {
    state.engine.store().genesis().organisation.clone()
}

const CSV: &str = "text/csv; charset=utf-8";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn quarters_of(state: &AppState, viewer: &Session, quarters: &[Quarter]) -> Vec<Table> {
    state
        .engine
        .read(|ledger| tables(ledger, quarters, viewer.today))
}

fn table_named(tables: Vec<Table>, name: &str) -> Result<Table, PageError> {
    let name = name
        .strip_suffix(".csv")
        .ok_or_else(|| PageError::not_found("导出文件以 .csv 结尾"))?;
    tables
        .into_iter()
        .find(|table| table.name == name)
        .ok_or_else(|| {
            PageError::not_found(format!("没有“{name}”这张表；可导出 {}", TABLES.join("、")))
        })
}

fn require(viewer: &Session) -> Result<(), PageError> {
    Ok(viewer.require(
        viewer.is_overseer(),
        "导出供书记、镇长、党委、党政办、纪检使用",
    )?)
}

/// `GET /exports/quarters/{quarter}.xlsx`.
pub async fn quarter_workbook(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let quarter: Quarter = parse(
        name.strip_suffix(".xlsx")
            .ok_or_else(|| PageError::not_found("导出文件以 .xlsx 结尾"))?,
    )?;
    let bytes = xlsx_bytes(&quarters_of(&state, &viewer, &[quarter]))?;
    Ok(file(
        bytes,
        XLSX,
        &format!("kaohe-{quarter}.xlsx"),
        &format!("{}{}考核.xlsx", organisation(&state), quarter.name_zh()),
    ))
}

/// `GET /exports/quarters/{quarter}/{table}.csv`.
pub async fn quarter_table(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path((quarter, name)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let quarter: Quarter = parse(&quarter)?;
    let table = table_named(quarters_of(&state, &viewer, &[quarter]), &name)?;
    let name_zh = format!(
        "{}{}{}.csv",
        organisation(&state),
        quarter.name_zh(),
        table.sheet
    );
    Ok(file(
        csv_bytes(&table)?,
        CSV,
        &format!("kaohe-{quarter}-{name}"),
        &name_zh,
    ))
}

fn year_of(text: &str) -> Result<i16, PageError> {
    text.parse::<i16>()
        .ok()
        .filter(|year| (2000..=2100).contains(year))
        .ok_or_else(|| PageError::bad_request(format!("“{text}”不是有效的年份")))
}

/// `GET /exports/years/{year}.xlsx`.
pub async fn year_workbook(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let year = year_of(
        name.strip_suffix(".xlsx")
            .ok_or_else(|| PageError::not_found("导出文件以 .xlsx 结尾"))?,
    )?;
    let bytes = xlsx_bytes(&quarters_of(&state, &viewer, &Quarter::of_year(year)))?;
    Ok(file(
        bytes,
        XLSX,
        &format!("kaohe-{year}.xlsx"),
        &format!("{}{year}年度考核.xlsx", organisation(&state)),
    ))
}

/// `GET /exports/years/{year}/{table}.csv`.
pub async fn year_table(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path((year, name)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let year = year_of(&year)?;
    let table = table_named(quarters_of(&state, &viewer, &Quarter::of_year(year)), &name)?;
    let name_zh = format!("{}{year}年度{}.csv", organisation(&state), table.sheet);
    Ok(file(
        csv_bytes(&table)?,
        CSV,
        &format!("kaohe-{year}-{name}"),
        &name_zh,
    ))
}
