//! The one place that says who may see or change what. Every server function
//! and page load asks here; hiding a button in the UI is only a convenience.

use super::{Role, UserId, Viewer};
use crate::error::{AppError, AppResult};

/// Which records of an area a viewer may see. Store queries turn this into
/// their `WHERE` clause, so the rule is enforced in the query itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordScope {
    /// Admins: every record.
    Everything,
    /// Agents: only the records assigned to (or owned by) them.
    OwnedBy(UserId),
}

impl RecordScope {
    pub fn of(viewer: &Viewer) -> Self {
        match viewer.role {
            Role::Admin => Self::Everything,
            Role::Agent => Self::OwnedBy(viewer.id.clone()),
        }
    }

    /// Whether a record owned by `owner` is visible in this scope.
    pub fn includes(&self, owner: &UserId) -> bool {
        match self {
            Self::Everything => true,
            Self::OwnedBy(id) => id == owner,
        }
    }
}

/// Admin-only areas answer "not found" to agents, exactly as if they did not exist.
pub fn require_admin(viewer: &Viewer) -> AppResult<()> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// User management, organisation settings: admins only.
pub fn may_manage_users(viewer: &Viewer) -> bool {
    viewer.is_admin()
}

/// Whether `viewer` may give a record to someone other than themselves.
pub fn may_assign_to_others(viewer: &Viewer) -> bool {
    viewer.is_admin()
}

/// The assignee a new record gets: admins choose, agents always get it themselves.
pub fn assignee_for_new_record(viewer: &Viewer, requested: Option<UserId>) -> UserId {
    match (viewer.role, requested) {
        (Role::Admin, Some(chosen)) => chosen,
        _ => viewer.id.clone(),
    }
}

/// The assignee a form asks for a new record (an empty choice is none), as
/// [`assignee_for_new_record`] allows it.
pub fn requested_assignee(viewer: &Viewer, requested: Option<String>) -> UserId {
    assignee_for_new_record(viewer, requested.filter(|a| !a.is_empty()).map(UserId::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(role: Role, id: &str) -> Viewer {
        Viewer {
            id: UserId::from(id),
            name: id.into(),
            email: format!("{id}@kith.test"),
            role,
            session_id: "s".into(),
            two_factor: false,
        }
    }

    #[test]
    fn agents_see_only_their_own_records() {
        let agent = viewer(Role::Agent, "maria");
        let scope = RecordScope::of(&agent);
        assert!(scope.includes(&UserId::from("maria")));
        assert!(!scope.includes(&UserId::from("james")));
        assert_eq!(scope, RecordScope::OwnedBy(UserId::from("maria")));
    }

    #[test]
    fn admins_see_every_record() {
        let admin = viewer(Role::Admin, "ada");
        let scope = RecordScope::of(&admin);
        assert!(scope.includes(&UserId::from("james")));
        assert_eq!(scope, RecordScope::Everything);
    }

    #[test]
    fn admin_areas_do_not_exist_for_agents() {
        assert_eq!(require_admin(&viewer(Role::Agent, "maria")), Err(AppError::NotFound));
        assert_eq!(require_admin(&viewer(Role::Admin, "ada")), Ok(()));
        assert!(!may_manage_users(&viewer(Role::Agent, "maria")));
    }

    #[test]
    fn agents_cannot_hand_new_records_to_someone_else() {
        let agent = viewer(Role::Agent, "maria");
        let admin = viewer(Role::Admin, "ada");
        let james = Some(UserId::from("james"));
        assert_eq!(assignee_for_new_record(&agent, james.clone()), UserId::from("maria"));
        assert_eq!(assignee_for_new_record(&admin, james), UserId::from("james"));
        assert!(!may_assign_to_others(&agent));
    }
}
