//! `from_env()` reads the process environment. Alone in its test binary, since the
//! environment is process-wide.

use wolkvox::endpoint::REALTIME_PATH;
use wolkvox::{Error, WolkvoxClient};

#[test]
fn from_env_reads_server_token_and_base_url() {
    // SAFETY: this binary has one test and no other thread reads the environment.
    unsafe {
        std::env::remove_var("WOLKVOX_BASE_URL");
        std::env::set_var("WOLKVOX_SERVER", "0033");
        std::env::remove_var("WOLKVOX_TOKEN");
    }
    assert!(matches!(
        WolkvoxClient::from_env(),
        Err(Error::Config { message, .. }) if message.contains("WOLKVOX_TOKEN")
    ));
    unsafe { std::env::set_var("WOLKVOX_TOKEN", "env-token") };
    let client = WolkvoxClient::from_env().unwrap();
    assert_eq!(client.server(), Some("0033"));
    assert_eq!(
        client.endpoint().as_str(),
        format!("https://wv0033.wolkvox.com{REALTIME_PATH}")
    );
    unsafe { std::env::set_var("WOLKVOX_BASE_URL", "http://127.0.0.1:8080/") };
    let client = WolkvoxClient::builder().from_env().build().unwrap();
    assert_eq!(
        client.endpoint().as_str(),
        format!("http://127.0.0.1:8080{REALTIME_PATH}")
    );
}
