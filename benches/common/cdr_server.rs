//! The `cdr_1` loopback server of the export bench (included with
//! `#[path = "common/cdr_server.rs"] mod cdr_server;`, not a bench itself).
//!
//! Every day's rows are generated deterministically and rendered once, head and body, at
//! start-up; the server then only writes those bytes: `GET
//! /api/v2/reports_manager.php?api=cdr_1&date_ini=YYYYmmdd000000&date_end=...` answers the
//! rows of the day of `date_ini`, anything else a 404 "no data" answer.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use jiff::civil::Date;

use crate::loopback::{Server, response, serve};
use crate::rng::Rng;

const AGENTS: [&str; 8] = [
    "12523:ANDRES GOMEZ",
    "12530:LAURA MEJIA",
    "12541:CAROLINA RUIZ",
    "12544:JUAN PABLO ORTIZ",
    "12561: DIANA MARCELA PEREZ ",
    "12577:SEBASTIAN CASTRO",
    "12580:MARIA FERNANDA LOPEZ",
    "12602:CAMILO TORRES",
];
const SKILLS: [&str; 4] = [
    "101:SOPORTE_TECNICO",
    "102:VENTAS_HOGAR",
    "103:FACTURACION",
    "104:RETENCION",
];
const CODES: [&str; 6] = [
    "1:SOLUCIONADO",
    "2:VOLVER A LLAMAR",
    "3:ESCALADO A SEGUNDO NIVEL",
    "TIMEOUTACW:TIMEOUTACW",
    "7:VENTA EFECTIVA",
    ":",
];
const COMMENTS: [&str; 6] = [
    "",
    "",
    "",
    "cliente sin internet, se reinicia modem",
    "solicita copia de la factura",
    "llamada cortada",
];

/// One day of `cdr_1` rows in the live format: every value a JSON string, blanks as `""` or
/// `"-"`, costs with a dot or a comma, abandoned calls with blank agent fields, outbound calls
/// with a campaign and no skill. Rows are in time order over the day.
pub fn day_body(day: Date, rows: usize) -> Vec<u8> {
    let mut rng = Rng(0x5EED_0BAD_CAFE_F00D ^ (day.day() as u64) << 32 ^ day.month() as u64);
    let (y, mo, d) = (day.year(), day.month(), day.day());
    let mut body = String::with_capacity(rows * 420 + 128);
    let _ = write!(
        body,
        r#"{{"code":200,"error":null,"msg":"{rows} records were found","data":["#
    );
    for i in 0..rows {
        if i > 0 {
            body.push(',');
        }
        let second = i * 86_400 / rows.max(1);
        let (h, mi, s) = (second / 3600, second / 60 % 60, second % 60);
        let kind = rng.below(100);
        let (agent_id, agent_name) = if kind < 15 {
            ("", "") // abandoned in queue: no agent
        } else {
            rng.pick(&AGENTS).split_once(':').unwrap_or_default()
        };
        let outbound = kind >= 75;
        let (skill_id, skill_name) = if outbound {
            ("", "")
        } else {
            rng.pick(&SKILLS).split_once(':').unwrap_or_default()
        };
        let campaign = if outbound { rng.pick(&["7", "12"]) } else { "" };
        let (code, description) = if kind < 15 {
            ("", "")
        } else {
            rng.pick(&CODES).split_once(':').unwrap_or_default()
        };
        let customer = match rng.below(10) {
            0 => String::from("-"),
            1 => String::new(),
            _ => (10_000_000 + rng.below(89_999_999)).to_string(),
        };
        let cents = rng.below(50_000);
        let cost = match (outbound, rng.below(4)) {
            (false, 0) => String::new(),
            (false, 1) => "0,00".to_owned(),
            (false, _) => "0.00".to_owned(),
            (true, 0) => format!("{},{:02}", cents / 100, cents % 100),
            (true, _) => format!("{}.{:02}", cents / 100, cents % 100),
        };
        let seconds = if kind < 15 {
            rng.below(90)
        } else {
            20 + rng.below(900)
        };
        let phone = 3_000_000_000 + rng.below(299_999_999);
        let _ = write!(
            body,
            r#"{{"conn_id":"{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}.{seq:04}","date":"{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}","agent_id":"{agent_id}","agent_name":"{agent_name}","campaign_id":"{campaign}","skill_id":"{skill_id}","skill_name":"{skill_name}","type_interaction":"{kind_name}","destiny":"{destiny}","telephone":"{phone}","customer_id":"{customer}","time_seg":"{seconds}","cost":"{cost}","cod_act":"{code}","description_cod_act":"{description}","cod_act_2":"","description_cod_act_2":"","hang_up":"{hang_up}","comment":"{comment}"}}"#,
            seq = i % 10_000,
            kind_name = if outbound { "OUTBOUND" } else { "INBOUND" },
            destiny = if outbound { phone } else { 6_015_551_234 },
            hang_up = if rng.below(3) == 0 {
                "AGENT"
            } else {
                "CUSTOMER"
            },
            comment = if kind < 15 { "" } else { rng.pick(&COMMENTS) },
        );
    }
    body.push_str("]}");
    body.into_bytes()
}

/// Serves `bodies` (`YYYYmmdd` of `date_ini` -> body) on a loopback port: HTTP/1.1
/// keep-alive, its own thread and current-thread runtime.
pub fn start(bodies: Vec<(Date, Vec<u8>)>) -> Server {
    let answers: Arc<HashMap<String, Arc<[u8]>>> = Arc::new(
        bodies
            .into_iter()
            .map(|(day, body)| {
                (
                    day.strftime("%Y%m%d").to_string(),
                    response("200 OK", &body),
                )
            })
            .collect(),
    );
    let no_data = response(
        "404 Not Found",
        br#"{"code":404,"error":"NO DATA","msg":"No records were found","data":[]}"#,
    );
    serve(move |head| {
        day_of(head)
            .and_then(|day| answers.get(day))
            .map_or_else(|| Arc::clone(&no_data), Arc::clone)
    })
}

/// The `YYYYmmdd` of `date_ini=` in a request head for `api=cdr_1`.
fn day_of(head: &[u8]) -> Option<&str> {
    let head = std::str::from_utf8(head).ok()?;
    let target = head
        .strip_prefix("GET ")?
        .strip_prefix(wolkvox::endpoint::REPORTS_PATH)?
        .strip_prefix('?')?;
    let query = target.split_once(' ')?.0;
    let mut api_ok = false;
    let mut day = None;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("api", "cdr_1")) => api_ok = true,
            Some(("date_ini", value)) => day = value.get(..8),
            _ => {}
        }
    }
    day.filter(|_| api_ok)
}
