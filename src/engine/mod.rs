//! The engine every request goes through, whatever its endpoint: the operation (what to
//! send), the pipeline (limiter, attempts, retries, deadline), the retry classifier, the
//! per-token limiter and the HTTP transport.

pub mod endpoint;
pub(crate) mod limiter;
pub(crate) mod operation;
pub(crate) mod ordered;
pub(crate) mod pipeline;
pub(crate) mod retry;
pub(crate) mod transport;
