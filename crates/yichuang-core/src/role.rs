//! Who may do what at the station: the two roles of the counter (DESIGN.md §1).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A station account's role. Every station command checks it in Rust; the window only mirrors it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    /// 窗口人员: intake, queue, delivery, reprints.
    Clerk,
    /// 大厅负责人: everything a clerk does, plus statistics, exports, accounts, settings and
    /// quarantine release.
    HallManager,
}

impl Role {
    /// The code stored in the database and published by the district.
    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::HallManager => "hall_manager",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        match code {
            "clerk" => Some(Role::Clerk),
            "hall_manager" => Some(Role::HallManager),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Clerk => "窗口人员",
            Role::HallManager => "大厅负责人",
        }
    }

    pub fn is_manager(self) -> bool {
        self == Role::HallManager
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for role in [Role::Clerk, Role::HallManager] {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("admin"), None);
        assert!(Role::HallManager.is_manager() && !Role::Clerk.is_manager());
    }
}
