//! `Checkpoint`: where a report's windows stopped, so that the same request continues right
//! after them (after a crash, in the next run of a nightly job), and what a follow needs to
//! stay exact across a restart.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use jiff::civil::DateTime;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// The checkpoint format this version of the crate writes and reads.
const VERSION: u32 = 1;

/// Where a report's windows stopped: the report, its parameters and the last second
/// delivered, from [`ReportWindow::checkpoint`](super::ReportWindow::checkpoint).
///
/// Save it (it is `Serialize` and `Deserialize`; JSON is a few hundred bytes for an export)
/// after the window's rows are stored, and hand it to
/// [`ReportRequest::resume`](super::ReportRequest::resume) (or
/// [`ReportFollow::resume`](super::ReportFollow::resume)) to continue one second after that
/// window. The serialized form carries a `version`; a checkpoint of another version is
/// refused by `resume` rather than misread.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use jiff::civil::date;
/// use wolkvox::reports::{CallRecord, Checkpoint};
/// # let mock = wolkvox::mock::MockWolkvox::start_demo().await;
/// # let client = mock.client()?;
/// let (first, last) = (date(2026, 10, 1), date(2026, 10, 3));
/// let request = client.report("cdr_1").days(first, last).max_window(std::time::Duration::from_secs(86_400));
/// let mut windows = request.clone().windows_as::<CallRecord>();
/// let day_one = windows.next().await.unwrap()?;
/// let saved = serde_json::to_string(&day_one.checkpoint())?;
/// drop(windows); // the process dies here
///
/// let checkpoint: Checkpoint = serde_json::from_str(&saved)?;
/// assert_eq!(checkpoint.through(), date(2026, 10, 1).at(23, 59, 59, 0));
/// let mut rest = request.resume(&checkpoint)?.windows_as::<CallRecord>();
/// let day_two = rest.next().await.unwrap()?;
/// assert_eq!(day_two.from, date(2026, 10, 2).at(0, 0, 0, 0));
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    version: u32,
    report: String,
    params: BTreeMap<String, String>,
    through: DateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follow: Option<FollowCursor>,
}

impl fmt::Debug for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Checkpoint");
        debug
            .field("version", &self.version)
            .field("report", &self.report)
            .field("params", &self.params)
            .field("through", &self.through);
        if let Some(follow) = &self.follow {
            debug
                .field("follow_target", &follow.target)
                .field("follow_rows_remembered", &follow.remembered());
        }
        debug.finish()
    }
}

impl Checkpoint {
    /// The version of the checkpoint format (1).
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The report (`api=`) the checkpoint belongs to.
    pub fn report(&self) -> &str {
        &self.report
    }

    /// The report's parameters (`skill_id`, ...), by name.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The last second delivered: a resumed request starts one second later.
    pub fn through(&self) -> DateTime {
        self.through
    }

    /// [`Error::InvalidRequest`] unless the checkpoint is of this crate's format and belongs
    /// to `origin` (the same report and parameters).
    pub(crate) fn check(&self, origin: &Origin) -> Result<(), Error> {
        if self.version != VERSION {
            return Err(Error::invalid_request(format!(
                "the checkpoint is of version {}, this version of wolkvox reads version {VERSION}",
                self.version
            )));
        }
        if self.report != origin.report {
            return Err(Error::invalid_request(format!(
                "the checkpoint belongs to report {:?}, not {:?}",
                self.report, origin.report
            )));
        }
        if self.params != origin.params {
            return Err(Error::invalid_request(format!(
                "the checkpoint of report {:?} was made with the parameters {:?}, this request \
                 has {:?}",
                self.report, self.params, origin.params
            )));
        }
        Ok(())
    }

    /// What a follow remembers, if the checkpoint comes from one.
    pub(crate) fn follow(&self) -> Option<&FollowCursor> {
        self.follow.as_ref()
    }
}

/// The report and parameters every window of one request shares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Origin {
    pub(crate) report: String,
    pub(crate) params: BTreeMap<String, String>,
}

/// What a window needs to make its checkpoint (kept on [`ReportWindow`](super::ReportWindow)).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resume {
    pub(crate) origin: Arc<Origin>,
    pub(crate) through: DateTime,
    pub(crate) follow: Option<Arc<FollowCursor>>,
}

impl Resume {
    /// The checkpoint after a window delivered up to `through`.
    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            version: VERSION,
            report: self.origin.report.clone(),
            params: self.origin.params.clone(),
            through: self.through,
            follow: self.follow.as_deref().cloned(),
        }
    }
}

/// The state of a follow after a window: the end of the tick in progress and the rows of the
/// lookback span already delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct FollowCursor {
    /// The last second the tick in progress (or the last tick) reads up to.
    pub(crate) target: DateTime,
    /// The rows delivered in each span still inside the lookback, as fingerprints.
    pub(crate) seen: Vec<SeenSpan>,
}

impl FollowCursor {
    /// How many row fingerprints it holds.
    pub(crate) fn remembered(&self) -> usize {
        self.seen.iter().map(|span| span.rows.len()).sum()
    }
}

/// The fingerprints of the rows read in one window, `from..=to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SeenSpan {
    pub(crate) from: DateTime,
    pub(crate) to: DateTime,
    /// Sorted, for a binary search.
    #[serde(serialize_with = "hex_out", deserialize_with = "hex_in")]
    pub(crate) rows: Arc<[u64]>,
    /// The tick that read it (0: before the follow started, e.g. from a checkpoint).
    #[serde(skip)]
    pub(crate) tick: u64,
}

/// Fingerprints as one string of 16 hex digits each.
fn hex_out<S: Serializer>(rows: &Arc<[u64]>, serializer: S) -> Result<S::Ok, S::Error> {
    use std::fmt::Write;
    let mut text = String::with_capacity(rows.len() * 16);
    for row in rows.iter() {
        // Writing to a String never fails.
        let _ = write!(text, "{row:016x}");
    }
    serializer.serialize_str(&text)
}

fn hex_in<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<[u64]>, D::Error> {
    let text = String::deserialize(deserializer)?;
    let bad = || serde::de::Error::custom("fingerprints are not groups of 16 hex digits");
    if text.len() % 16 != 0 || !text.is_ascii() {
        return Err(bad());
    }
    let mut rows = (0..text.len() / 16)
        .map(|i| u64::from_str_radix(&text[i * 16..i * 16 + 16], 16).map_err(|_| bad()))
        .collect::<Result<Vec<u64>, D::Error>>()?;
    rows.sort_unstable();
    Ok(rows.into())
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn origin() -> Origin {
        Origin {
            report: "cdr_1".into(),
            params: BTreeMap::from([("skill_id".to_owned(), "101".to_owned())]),
        }
    }

    #[test]
    fn serde_round_trip_with_a_version() {
        let resume = Resume {
            origin: Arc::new(origin()),
            through: date(2026, 10, 1).at(23, 59, 59, 0),
            follow: None,
        };
        let checkpoint = resume.checkpoint();
        let json = serde_json::to_string(&checkpoint).unwrap();
        assert_eq!(
            json,
            r#"{"version":1,"report":"cdr_1","params":{"skill_id":"101"},"through":"2026-10-01T23:59:59"}"#
        );
        assert_eq!(
            serde_json::from_str::<Checkpoint>(&json).unwrap(),
            checkpoint
        );
        let follow = Resume {
            follow: Some(Arc::new(FollowCursor {
                target: date(2026, 10, 2).at(0, 0, 0, 0),
                seen: vec![SeenSpan {
                    from: date(2026, 10, 1).at(22, 0, 0, 0),
                    to: date(2026, 10, 1).at(23, 59, 59, 0),
                    rows: vec![1, u64::MAX].into(),
                    tick: 3,
                }],
            })),
            ..resume
        };
        let json = serde_json::to_string(&follow.checkpoint()).unwrap();
        assert!(
            json.contains(r#""rows":"0000000000000001ffffffffffffffff""#),
            "{json}"
        );
        let back: Checkpoint = serde_json::from_str(&json).unwrap();
        let seen = &back.follow().unwrap().seen[0];
        assert_eq!(&*seen.rows, &[1, u64::MAX]);
        assert_eq!(seen.tick, 0, "the tick is not saved");
        assert!(format!("{back:?}").contains("follow_rows_remembered: 2"));
        let broken = json.replace("ffffffffffffffff", "fffffffffffffff");
        assert!(serde_json::from_str::<Checkpoint>(&broken).is_err());
    }

    #[test]
    fn check_names_what_differs() {
        let checkpoint = Resume {
            origin: Arc::new(origin()),
            through: date(2026, 10, 1).at(0, 0, 0, 0),
            follow: None,
        }
        .checkpoint();
        assert!(checkpoint.check(&origin()).is_ok());
        let message = |origin: &Origin| match checkpoint.check(origin) {
            Err(Error::InvalidRequest { message }) => message,
            other => panic!("{other:?}"),
        };
        let other_report = Origin {
            report: "cdr_5".into(),
            ..origin()
        };
        assert_eq!(
            message(&other_report),
            "the checkpoint belongs to report \"cdr_1\", not \"cdr_5\""
        );
        let other_params = Origin {
            params: BTreeMap::new(),
            ..origin()
        };
        assert!(message(&other_params).contains("with the parameters {\"skill_id\": \"101\"}"));
        let mut newer = checkpoint.clone();
        newer.version = 2;
        assert!(matches!(
            newer.check(&origin()),
            Err(Error::InvalidRequest { message }) if message.contains("version 2")
        ));
    }
}
