//! The paths of the Wolkvox endpoints under the base URL, defined once: the transport, the
//! simulator ([`mock`](crate::mock)) and the tests all use these.

/// The real-time reports (`api=skills`, `api=agents`, ...).
pub const REALTIME_PATH: &str = "/api/v2/real_time.php";
/// The historical reports (`api=cdr_1`, `api=skill_3`, ...) with `date_ini` / `date_end`.
pub const REPORTS_PATH: &str = "/api/v2/reports_manager.php";
/// The catalogues (`api=agents`, `api=skills`, ...) and the token's own quota (`api=token_info`).
pub const INFORMATION_PATH: &str = "/api/v2/information.php";

/// The folder every endpoint file is in, under the base URL.
pub(crate) const API_DIR: &str = "/api/v2/";

/// One of the three endpoints, for the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// [`REALTIME_PATH`].
    Realtime,
    /// [`REPORTS_PATH`].
    Reports,
    /// [`INFORMATION_PATH`].
    Information,
}

impl Endpoint {
    /// Every endpoint, in the order of their index.
    pub(crate) const ALL: [Endpoint; 3] =
        [Endpoint::Realtime, Endpoint::Reports, Endpoint::Information];

    /// The path under the base URL, with its leading `/`.
    pub(crate) fn path(self) -> &'static str {
        match self {
            Endpoint::Realtime => REALTIME_PATH,
            Endpoint::Reports => REPORTS_PATH,
            Endpoint::Information => INFORMATION_PATH,
        }
    }

    /// The endpoint file under `/api/v2/`: `real_time.php`.
    pub(crate) fn file(self) -> &'static str {
        self.path().trim_start_matches(API_DIR)
    }

    /// A dense index (0..3), for tables of per-endpoint values.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}
