//! `MockWolkvox` beyond the read endpoints: any endpoint and method, the requests it
//! recorded, aimed faults, late answers of requests that took effect, the token's
//! concurrency limit, and the server's lifetime.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wolkvox::Error;
use wolkvox::endpoint::{INFORMATION_PATH, REALTIME_PATH};
use wolkvox::mock::{Fault, MOCK_TOKEN, MockWolkvox};

/// A request to `{mock}{path}?{query}` with `method` and the mock's token.
fn request(
    mock: &MockWolkvox,
    method: reqwest::Method,
    path: &str,
    query: &str,
) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, format!("{}{path}?{query}", mock.uri()))
        .header("wolkvox-token", MOCK_TOKEN)
}

/// The status, the content type and the JSON body of an answer.
async fn read(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, content_type, body)
}

/// GET `real_time.php?api={api}` with the mock's token: status and body.
async fn get(mock: &MockWolkvox, query: &str) -> (u16, Value) {
    let (status, _, body) = read(
        request(mock, reqwest::Method::GET, REALTIME_PATH, query)
            .send()
            .await
            .unwrap(),
    )
    .await;
    (status, body)
}

fn simultaneous(limit: usize) -> Value {
    json!({
        "code": 403,
        "error": "FORBIDDEN",
        "msg": format!("EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN ({limit})"),
    })
}

#[tokio::test]
async fn call_replies_answer_any_method_and_every_request_is_recorded() {
    let mock = MockWolkvox::start().await;
    let added =
        json!({"code": "201", "error": null, "msg": "IP: 10.0.0.7 has been added successfully"});
    let started = json!({"code": 202, "error": null, "msg": "The 7 campaign_id has been started successfully"});
    let removed = json!({"code": "404", "error": "Not Found", "msg": "IP is not registered"});
    mock.set_call_reply("configuration.php", "add_ip", 201, added.clone());
    mock.set_call_reply("campaign.php", "start", 202, started.clone());
    mock.set_call_reply("configuration.php", "remove_ip", 404, removed.clone());

    let post = request(
        &mock,
        reqwest::Method::POST,
        "/api/v2/configuration.php",
        "api=add_ip",
    )
    .header("content-type", "application/json")
    .body(json!({"ip": "10.0.0.7", "permanent": "no", "description": "oficina"}).to_string())
    .send()
    .await
    .unwrap();
    assert_eq!(
        read(post).await,
        (201, "application/json".to_owned(), added)
    );
    let put = request(
        &mock,
        reqwest::Method::PUT,
        "/api/v2/campaign.php",
        "api=start&campaign_id=7&name=a%20b",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(
        read(put).await,
        (202, "application/json".to_owned(), started)
    );
    let delete = request(
        &mock,
        reqwest::Method::DELETE,
        "/api/v2/configuration.php",
        "api=remove_ip",
    )
    .header("content-type", "application/json")
    .body(r#"{"ip":"10.0.0.8"}"#)
    .send()
    .await
    .unwrap();
    assert_eq!(
        read(delete).await,
        (404, "application/json".to_owned(), removed)
    );

    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    let (post, put, delete) = (&requests[0], &requests[1], &requests[2]);
    assert_eq!(
        (
            post.method.as_str(),
            post.path.as_str(),
            post.api.as_deref()
        ),
        ("POST", "/api/v2/configuration.php", Some("add_ip"))
    );
    assert_eq!(post.query, [("api".to_owned(), "add_ip".to_owned())]);
    assert_eq!(post.content_type.as_deref(), Some("application/json"));
    assert_eq!(
        post.body_json(),
        Some(json!({"ip": "10.0.0.7", "permanent": "no", "description": "oficina"}))
    );
    assert_eq!(
        (put.method.as_str(), put.path.as_str(), put.api.as_deref()),
        ("PUT", "/api/v2/campaign.php", Some("start"))
    );
    assert_eq!(
        put.query,
        [
            ("api".to_owned(), "start".to_owned()),
            ("campaign_id".to_owned(), "7".to_owned()),
            ("name".to_owned(), "a b".to_owned()),
        ]
    );
    assert_eq!(
        (put.content_type.as_deref(), put.body.as_slice()),
        (None, &b""[..])
    );
    assert_eq!(put.body_json(), None);
    assert_eq!(
        (
            delete.method.as_str(),
            delete.api.as_deref(),
            delete.body.as_slice()
        ),
        ("DELETE", Some("remove_ip"), &br#"{"ip":"10.0.0.8"}"#[..])
    );
    assert_eq!(delete.body_json(), Some(json!({"ip": "10.0.0.8"})));
    // The token is in no record.
    assert!(!format!("{requests:?}").contains(MOCK_TOKEN));
    // Each write cost a token of the quota.
    assert_eq!(
        mock.client()
            .unwrap()
            .token_info()
            .await
            .unwrap()
            .token_use_today,
        4
    );
}

#[tokio::test]
async fn replies_take_precedence_and_checks_apply_first() {
    let mock = MockWolkvox::start_demo().await;
    let skills = json!({"code": 200, "error": null, "msg": "1 records were found",
        "data": [{"skill_id": "1", "skill_name": "SET BY THE TEST"}]});
    mock.set_call_reply("real_time.php", "skills", 200, skills.clone());
    assert_eq!(get(&mock, "api=skills&skill_id=all").await, (200, skills));
    // Other api= values of the endpoint keep the simulator's answers.
    assert_eq!(mock.client().unwrap().agents().await.unwrap().len(), 10);
    // An endpoint the simulator does not know, and no reply: 404.
    let (status, content_type, body) = read(
        request(
            &mock,
            reqwest::Method::POST,
            "/api/v2/sms.php",
            "api=send_sms",
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(
        (status, content_type.as_str(), body),
        (
            404,
            "application/json",
            json!({"code": "404", "error": "Not Found", "msg": "THE ENDPOINT /api/v2/sms.php DOES NOT EXIST"})
        )
    );
    // The token check still comes first.
    mock.set_call_reply("sms.php", "send_sms", 201, json!({"code": 201}));
    let wrong = reqwest::Client::new()
        .post(format!("{}/api/v2/sms.php?api=send_sms", mock.uri()))
        .header("wolkvox-token", "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    // Then the faults and the quota.
    mock.fail_next(Fault::Maintenance, 1);
    let maintenance = request(
        &mock,
        reqwest::Method::POST,
        "/api/v2/sms.php",
        "api=send_sms",
    )
    .send()
    .await
    .unwrap();
    let (status, content_type) = (
        maintenance.status().as_u16(),
        maintenance.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned(),
    );
    assert_eq!((status, content_type.as_str()), (503, "text/html"));
    mock.set_token_limit(3);
    let (status, _, body) = read(
        request(
            &mock,
            reqwest::Method::POST,
            "/api/v2/sms.php",
            "api=send_sms",
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(
        (status, &body["msg"]),
        (403, &json!("TOKEN LIMIT EXCEEDED"))
    );
    mock.set_token_limit(10);
    let (status, _, body) = read(
        request(
            &mock,
            reqwest::Method::POST,
            "/api/v2/sms.php",
            "api=send_sms",
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!((status, body), (201, json!({"code": 201})));
}

#[tokio::test]
async fn fail_when_hits_only_the_aimed_api_and_clear_faults_removes_every_fault() {
    let mock = MockWolkvox::start_demo().await;
    let client = mock.client_builder().max_retries(0).build().unwrap();
    mock.fail_when(Fault::QuotaExceeded, |request| {
        request.api.as_deref() == Some("agents")
    });
    for _ in 0..3 {
        assert_eq!(client.skills().await.unwrap().len(), 12);
        assert!(matches!(
            client.agents().await,
            Err(Error::QuotaExceeded { .. })
        ));
    }
    // Counted aimed faults come first, then the persistent ones; a write can be aimed at too.
    mock.fail_next_when(Fault::Maintenance, 1, |request| request.method == "POST");
    mock.set_call_reply("configuration.php", "add_ip", 201, json!({"code": "201"}));
    let add_ip = || {
        request(
            &mock,
            reqwest::Method::POST,
            "/api/v2/configuration.php",
            "api=add_ip",
        )
        .send()
    };
    assert_eq!(add_ip().await.unwrap().status(), 503);
    assert_eq!(add_ip().await.unwrap().status(), 201);
    // Every kind of fault at once, then none.
    mock.set_fault(Some(Fault::Unauthorized));
    mock.fail_next(Fault::Maintenance, 5);
    mock.fail_next_when(Fault::ConcurrencyLimited, 5, |_| true);
    mock.clear_faults();
    assert_eq!(client.skills().await.unwrap().len(), 12);
    assert_eq!(client.agents().await.unwrap().len(), 10);
    assert_eq!(add_ip().await.unwrap().status(), 201);
    assert_eq!(mock.request_count(), 11);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delayed_write_takes_effect_before_its_answer_arrives() {
    let mock = MockWolkvox::start().await;
    mock.set_call_reply("campaign.php", "start", 202, json!({"code": 202}));
    mock.fail_next(Fault::Delay(Duration::from_millis(600)), 1);
    let sent = Instant::now();
    let answer = tokio::spawn(
        request(
            &mock,
            reqwest::Method::PUT,
            "/api/v2/campaign.php",
            "api=start&campaign_id=7",
        )
        .send(),
    );
    // The request is counted and recorded while its answer is still held back.
    while mock.request_count() == 0 {
        assert!(
            sent.elapsed() < Duration::from_millis(500),
            "not counted at arrival"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(!answer.is_finished());
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(mock.requests()[0].param("campaign_id"), Some("7"));
    let response = answer.await.unwrap().unwrap();
    assert!(sent.elapsed() >= Duration::from_millis(600));
    assert_eq!(response.status(), 202);

    // A client that gives up first sees a timeout, yet the write was received once.
    mock.fail_next(Fault::Delay(Duration::from_millis(400)), 1);
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let error = impatient
        .put(format!(
            "{}/api/v2/campaign.php?api=start&campaign_id=8",
            mock.uri()
        ))
        .header("wolkvox-token", MOCK_TOKEN)
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].param("campaign_id"), Some("8"));
    // The crate's client too: a timeout, one request, one token of the quota.
    mock.fail_next(Fault::Delay(Duration::from_millis(400)), 1);
    let client = mock
        .client_builder()
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .build()
        .unwrap();
    assert!(matches!(client.skills().await, Err(Error::Timeout { .. })));
    assert_eq!(mock.request_count(), 3);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let quota = mock.client().unwrap().token_info().await.unwrap();
    assert_eq!(
        quota.token_use_today, 4,
        "three delayed requests and this one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_concurrent_requests_of_one_token_one_is_refused() {
    let mock = MockWolkvox::start_demo().await;
    mock.set_fault(Some(Fault::Delay(Duration::from_millis(300))));
    let three = || async {
        let answers =
            futures_util::future::join_all((0..3).map(|_| get(&mock, "api=skills&skill_id=101")))
                .await;
        let mut statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
        statuses.sort_unstable();
        let refused: Vec<Value> = answers
            .into_iter()
            .filter(|(status, _)| *status == 403)
            .map(|(_, body)| body)
            .collect();
        (statuses, refused)
    };
    let (statuses, refused) = three().await;
    assert_eq!(statuses, [200, 200, 403]);
    assert_eq!(refused, [simultaneous(2)]);
    assert_eq!(
        mock.max_in_flight(),
        2,
        "refused requests are never in flight"
    );
    assert_eq!(mock.request_count(), 3);

    mock.set_concurrency_limit(3);
    let (statuses, _) = three().await;
    assert_eq!(statuses, [200, 200, 200]);
    assert_eq!(mock.max_in_flight(), 3);

    mock.set_concurrency_limit(1);
    let (statuses, refused) = three().await;
    assert_eq!(statuses, [200, 403, 403]);
    assert_eq!(refused, [simultaneous(1), simultaneous(1)]);
    // The refused ones cost no quota: 2 + 3 + 1 served, and this call.
    let quota = mock.client().unwrap().token_info().await.unwrap();
    assert_eq!(quota.token_use_today, 7);

    mock.set_concurrency_limit(usize::MAX);
    let (statuses, _) = three().await;
    assert_eq!(statuses, [200, 200, 200]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_stays_in_flight_until_its_delayed_answer_even_when_the_client_hung_up() {
    let mock = MockWolkvox::start_demo().await;
    mock.set_concurrency_limit(1);
    mock.fail_next(Fault::Delay(Duration::from_millis(500)), 1);
    let impatient = mock
        .client_builder()
        .timeout(Duration::from_millis(50))
        .max_retries(0)
        .build()
        .unwrap();
    let given_up = Instant::now();
    assert!(matches!(
        impatient.skills().await,
        Err(Error::Timeout { .. })
    ));
    // The server still works on it: the next request of the token is refused.
    assert_eq!(
        get(&mock, "api=skills&skill_id=101").await,
        (403, simultaneous(1))
    );
    assert!(given_up.elapsed() < Duration::from_millis(450));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(get(&mock, "api=skills&skill_id=101").await.0, 200);
    assert_eq!(mock.max_in_flight(), 1);
}

#[tokio::test]
async fn sequential_requests_on_one_connection_never_overlap() {
    let mock = MockWolkvox::start_demo().await;
    mock.set_concurrency_limit(1);
    let http = reqwest::Client::new();
    let url = format!("{}{REALTIME_PATH}?api=skills&skill_id=101", mock.uri());
    for _ in 0..200 {
        let response = http
            .get(&url)
            .header("wolkvox-token", MOCK_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.bytes().await.unwrap();
    }
    let client = mock.client().unwrap();
    for _ in 0..50 {
        client.skill(101).await.unwrap();
    }
    assert_eq!(mock.max_in_flight(), 1);
}

#[tokio::test]
async fn a_server_on_a_given_listener_records_nothing_unless_asked() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mock = MockWolkvox::start_on(listener).await;
    let client = mock.client().unwrap();
    client.skills().await.unwrap();
    assert_eq!((mock.requests().len(), mock.request_count()), (0, 1));
    mock.set_recording(true);
    client.skills().await.unwrap();
    let status = request(
        &mock,
        reqwest::Method::GET,
        INFORMATION_PATH,
        "api=token_info",
    )
    .send()
    .await
    .unwrap()
    .status();
    assert_eq!(status, 200);
    let recorded: Vec<Option<String>> = mock.requests().into_iter().map(|r| r.api).collect();
    assert_eq!(
        recorded,
        [Some("skills".to_owned()), Some("token_info".to_owned())]
    );
    mock.set_recording(false);
    client.skills().await.unwrap();
    assert_eq!((mock.requests().len(), mock.request_count()), (2, 4));
}

#[tokio::test]
async fn dropping_the_simulator_stops_the_server() {
    let mock = MockWolkvox::start_demo().await;
    let address = mock.uri().trim_start_matches("http://").to_owned();
    assert!(tokio::net::TcpStream::connect(&address).await.is_ok());
    drop(mock);
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        if tokio::net::TcpStream::connect(&address).await.is_err() {
            break;
        }
        assert!(Instant::now() < deadline, "still accepting after the drop");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
