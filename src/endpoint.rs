//! The paths of the Wolkvox endpoints under the base URL, defined once: the transport, the
//! simulator ([`mock`](crate::mock)) and the tests all use these.

/// The real-time reports (`api=skills`, `api=agents`, ...).
pub const REALTIME_PATH: &str = "/api/v2/real_time.php";
/// The historical reports (`api=cdr_1`, `api=skill_3`, ...) with `date_ini` / `date_end`.
pub const REPORTS_PATH: &str = "/api/v2/reports_manager.php";
/// The catalogues (`api=agents`, `api=skills`, ...) and the token's own quota (`api=token_info`).
pub const INFORMATION_PATH: &str = "/api/v2/information.php";
