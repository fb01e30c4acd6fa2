//! The endpoint families, one folder each: the request values a client hands out and the
//! typed rows they decode to.

/// `IntoFuture` for a request value whose `send()` answers `Result<$output, Error>`, with the
/// named future [`ResponseFuture`](crate::ResponseFuture).
macro_rules! into_future {
    ($request:ty => $output:ty) => {
        impl std::future::IntoFuture for $request {
            type Output = Result<$output, crate::error::Error>;
            type IntoFuture = crate::api::realtime::ResponseFuture<$output>;

            fn into_future(self) -> Self::IntoFuture {
                crate::api::realtime::ResponseFuture::new(self.send())
            }
        }
    };
}

pub(crate) mod call;
pub mod campaign;
pub mod information;
pub(crate) mod params;
pub(crate) mod realtime;
pub mod reports;
