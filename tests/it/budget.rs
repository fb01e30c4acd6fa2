//! `daily_budget` and `usage()` within the process (no `shared_limits`): every request sent
//! counts, one beyond the budget is `BudgetExhausted` and is not sent, `token_info()` raises
//! the count to the service's.

use std::time::Duration;

use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wolkvox::Error;
use wolkvox::endpoint::{INFORMATION_PATH, REALTIME_PATH};

use crate::common::{builder, fixture};

async fn skills_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(REALTIME_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(fixture("skills_all.json"), "application/json"),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_request_beyond_the_budget_is_not_sent() {
    let server = skills_server().await;
    let client = builder(&server).daily_budget(3).build().unwrap();
    let usage = client.usage().await.unwrap();
    assert_eq!(
        (usage.used, usage.budget, usage.remaining()),
        (0, Some(3), Some(3))
    );
    for _ in 0..3 {
        client.skills().await.unwrap();
    }
    let error = client.skills().await.unwrap_err();
    let Error::BudgetExhausted {
        used,
        budget,
        day,
        resets_at,
        attempts,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((*used, *budget, *attempts), (3, 3, 0));
    assert_eq!(resets_at.offset(), wolkvox::DEFAULT_OPERATION_UTC_OFFSET);
    assert_eq!(
        resets_at.datetime(),
        day.tomorrow()
            .unwrap()
            .to_datetime(jiff::civil::Time::midnight())
    );
    assert!(!error.is_retryable());
    assert_eq!(error.kind(), "budget_exhausted");
    let text = error.to_string();
    assert!(text.contains("3 of 3 requests"), "{text}");
    assert!(text.contains(&day.to_string()), "{text}");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        3,
        "nothing sent"
    );
    let usage = client.usage().await.unwrap();
    assert_eq!(
        (usage.used, usage.remaining(), usage.fallback_requests),
        (3, Some(0), 0)
    );
}

#[tokio::test]
async fn clones_and_clients_of_the_token_share_the_count() {
    let server = skills_server().await;
    let a = builder(&server).daily_budget(4).build().unwrap();
    let b = builder(&server).daily_budget(4).build().unwrap();
    for client in [&a, &a.clone(), &b, &b] {
        client.skills().await.unwrap();
    }
    assert!(matches!(
        a.skills().await,
        Err(Error::BudgetExhausted { .. })
    ));
    assert!(matches!(
        b.skills().await,
        Err(Error::BudgetExhausted { .. })
    ));
    assert_eq!(b.usage().await.unwrap().used, 4);
}

#[tokio::test]
async fn every_attempt_counts_and_a_retry_beyond_the_budget_is_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>down</html>"))
        .mount(&server)
        .await;
    let client = builder(&server)
        .max_retries(5)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .daily_budget(2)
        .build()
        .unwrap();
    let error = client.skills().await.unwrap_err();
    // Two attempts were sent (and counted); the third was refused by the budget.
    assert!(
        matches!(error, Error::BudgetExhausted { attempts: 2, .. }),
        "{error:?}"
    );
    assert!(error.to_string().ends_with("(after 2 attempts)"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert_eq!(client.usage().await.unwrap().used, 2);
}

#[tokio::test]
async fn without_a_budget_usage_still_counts() {
    let server = skills_server().await;
    let client = builder(&server).build().unwrap();
    client.skills().await.unwrap();
    client.skills().await.unwrap();
    let usage = client.usage().await.unwrap();
    assert_eq!(
        (usage.used, usage.budget, usage.remaining()),
        (2, None, None)
    );
}

#[tokio::test]
async fn token_info_raises_the_count_to_the_services_and_counts_itself() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(INFORMATION_PATH))
        .and(query_param("api", "token_info"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("reports/token_info.json"), "application/json"),
        )
        .mount(&server)
        .await;
    let client = builder(&server).daily_budget(1_380).build().unwrap();
    let quota = client.token_info().await.unwrap();
    assert_eq!(quota.token_use_today, 1_377);
    assert_eq!(
        client.usage().await.unwrap().used,
        1_377,
        "the service counted more"
    );
    client.token_info().await.unwrap(); // counted: 1,378
    client.token_info().await.unwrap(); // 1,379, raised to the service's 1,377: stays
    assert_eq!(client.usage().await.unwrap().used, 1_379);
    client.token_info().await.unwrap();
    assert!(matches!(
        client.token_info().await,
        Err(Error::BudgetExhausted {
            used: 1_380,
            budget: 1_380,
            ..
        })
    ));
}

#[test]
fn a_zero_budget_is_refused() {
    let error = wolkvox::WolkvoxClient::builder()
        .server("0004")
        .token("t")
        .daily_budget(0)
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("daily_budget is 0"), "{error}");
}
