//! Request values: what a call asks for, with its options. Each is `#[must_use]`, implements
//! `IntoFuture` (so `.await` sends it) and builds its own query string (unit-tested here).

mod skill;

pub use skill::{SkillRequest, SkillsRequest};

use std::future::Future;
use std::pin::Pin;

use crate::error::Error;

/// The future a request value turns into when awaited: boxed, `Send`, `'static`, so it can be
/// spawned on any executor thread.
pub type ResponseFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;
