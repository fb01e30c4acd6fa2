//! The default HTTP client: rustls with the platform's root certificates (loaded once per
//! process), a connect timeout, and redirects followed only within the same origin so the token
//! never travels to another host.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::error::Error;

/// The TLS configuration every default client shares. Loading and parsing the roots takes
/// milliseconds, so it is done once per process; each client still has its own connection pool
/// (pools are tied to a runtime).
fn shared_tls_config() -> Result<rustls::ClientConfig, Error> {
    static CONFIG: OnceLock<Result<rustls::ClientConfig, (&'static str, rustls::Error)>> =
        OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = rustls::crypto::CryptoProvider::get_default()
                .cloned()
                .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
            let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
                .map_err(|e| ("cannot load the platform's root certificates", e))?;
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| ("no usable TLS protocol version", e))?
                .dangerous() // the "dangerous" API is how a custom verifier is installed;
                // this one is the platform verifier, which verifies fully.
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth();
            Ok(config)
        })
        .clone()
        .map_err(|(message, cause)| Error::Config {
            message: message.to_owned(),
            source: Some(Box::new(cause)),
        })
}

/// The default HTTP client: rustls (shared configuration), connect timeout, redirects only
/// within the same origin (at most 5).
pub(super) fn default_http_client(connect_timeout: Duration) -> Result<reqwest::Client, Error> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin || attempt.previous().len() > 5 {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .tls_backend_preconfigured(shared_tls_config()?)
        .connect_timeout(connect_timeout)
        .redirect(policy)
        .build()
        .map_err(|e| Error::Config {
            message: "cannot create the HTTP client".to_owned(),
            source: Some(Box::new(e)),
        })
}
