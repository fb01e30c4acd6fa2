//! The pieces of the errors' `Display` texts.

use std::time::Duration;

use super::snippet;

pub(super) fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

pub(super) fn details_note(details: Option<&str>) -> String {
    match details {
        Some(details) => format!(" (details: {})", snippet(details)),
        None => String::new(),
    }
}

pub(super) fn code_note(http_status: u16, code: Option<u16>) -> String {
    match code {
        Some(code) if code != http_status => format!(" (HTTP {http_status}, body code {code})"),
        _ => String::new(),
    }
}

pub(super) fn timeout_text(timeout: Duration, waiting_for_turn: Option<usize>) -> String {
    match waiting_for_turn {
        None => format!(
            "no answer from the server within {timeout:?}; it may be slow or in maintenance, retry later"
        ),
        Some(in_flight) => format!(
            "no turn within {timeout:?}: {in_flight} request(s) with this token were already in \
             flight (max_concurrent_requests, in this process or in every process sharing its \
             limits), so this request was not sent; make fewer calls at once or raise total_timeout"
        ),
    }
}

pub(super) fn too_many_records_text(
    report: &str,
    from: jiff::civil::DateTime,
    to: jiff::civil::DateTime,
    limit: usize,
) -> String {
    let why = if from == to {
        "the window is one second long and cannot be split further; raise record_limit if the \
         service answers more rows per call"
    } else {
        "the report totals the whole range, so the window cannot be split; use a shorter \
         max_window or per_day()"
    };
    format!(
        "report {report:?} answered {limit} rows or more for {from} to {to}, so the service may \
         have cut the answer: {why}"
    )
}

pub(super) fn budget_text(
    used: u64,
    budget: u64,
    day: jiff::civil::Date,
    resets_at: &jiff::ZonedDateTime,
) -> String {
    format!(
        "the daily budget is used up: {used} of {budget} requests with this token counted on \
         {day}, so this request was not sent; the count starts again at {}, or raise daily_budget",
        resets_at.strftime("%Y-%m-%d %H:%M:%S %:z")
    )
}
