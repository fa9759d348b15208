//! The staff directory (人员名录): everyone on the roster today by name, with their roles, area,
//! area chief and supervising leader, narrowed by a part of a name, a role, an area or a
//! leader. A plain GET form, so it works without script and a search can be bookmarked.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kaohe_assess::Role;
use kaohe_assess::views::{StaffFilter, StaffMember, staff_directory};
use serde::Deserialize;

use super::{Layout, PageError, PageSession, render};
use crate::AppState;

/// The most rows one page lists; a longer result asks for a narrower search.
pub const DIRECTORY_ROWS_MAX: usize = 200;
/// The most characters a search may hold.
pub const SEARCH_CHARS_MAX: usize = 40;

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    layout: Layout,
    members: Vec<StaffMember>,
    more: usize,
    total: usize,
    areas: Vec<String>,
    leaders: Vec<(String, String)>,
    roles: Vec<Role>,
    query: PeopleQuery,
    year: i16,
    /// Whether the viewer may issue sign-in slips (the office).
    issues_slips: bool,
}

impl PeoplePage {
    fn role_names(&self, member: &StaffMember) -> String {
        member
            .roles
            .iter()
            .map(|role| role.name_zh())
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// The directory's search.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PeopleQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    leader: String,
}

/// `GET /people`.
pub async fn page(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Query(query): Query<PeopleQuery>,
) -> Result<Response, PageError> {
    if query.q.chars().count() > SEARCH_CHARS_MAX {
        return Err(PageError::bad_request(format!(
            "搜索的字太多，请不超过 {SEARCH_CHARS_MAX} 个字。"
        )));
    }
    let role = match query.role.as_str() {
        "" => None,
        text => Some(
            text.parse::<Role>()
                .map_err(|_| PageError::bad_request("没有这个职务。"))?,
        ),
    };
    let filter = StaffFilter {
        text: query.q.clone(),
        role,
        area: Some(query.area.clone()).filter(|area| !area.is_empty()),
        leader: Some(query.leader.clone()).filter(|leader| !leader.is_empty()),
    };
    let (mut members, areas, leaders) = state
        .engine
        .read(|ledger| staff_directory(ledger, viewer.today, &filter));
    let total = members.len();
    members.truncate(DIRECTORY_ROWS_MAX);
    Ok(render(
        StatusCode::OK,
        &PeoplePage {
            layout: Layout::new(&state, "人员名录", Some(&viewer)),
            more: total - members.len(),
            total,
            members,
            areas,
            leaders,
            roles: Role::ASSIGNABLE.to_vec(),
            query,
            year: viewer.today.year(),
            issues_slips: viewer.has(Role::Office),
        },
    ))
}
