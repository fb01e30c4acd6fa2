//! `campaign.php`, as the live service answers it: `add_record`, `start`, `stop`, `speed`,
//! `clear_campaign`, `remove_record`, `campaign_15`; and the rows of the real-time
//! `campaigns` report. The state they change is `mock/campaign`.
//!
//! Each answer is computed when the request arrives (a delayed answer was applied already).
//! The checks, in order: the method (400 `THE API YOU WANT TO CONSULT DOES NOT EXIST` for
//! another one), the parameters (400 `SOME PARAMETERS ARE REQUIRED`), the campaign (404
//! "Campaign_id N does not exist in your operation.", also when `type_campaign` names the
//! other kind), then the request's own rules. An upload is all or nothing: one record
//! without `customer_id` refuses the batch with the live validation 404 and its
//! `array_errors`.

use serde_json::{Value, json};

use super::answer::{self, Answer, MISSING_PARAMETER, UNKNOWN_API};
use super::recording::MockRequest;
use super::responder::Query;
use super::state::State;
use crate::campaign::{CampaignKind, CampaignRealtime, CampaignRecord};
use crate::mock::campaign::{MAX_ACTIVE_PREDICTIVES, SimCampaign, SimRecord};

/// The answer to one `campaign.php` request.
pub(in crate::mock) fn answer(state: &mut State, request: &MockRequest, query: &Query) -> Answer {
    state.campaigns.tick();
    let api = request.api.as_deref().unwrap_or_default();
    let method = match api {
        "add_record" => "POST",
        "start" | "stop" | "speed" => "PUT",
        "clear_campaign" | "remove_record" => "DELETE",
        "campaign_15" => "GET",
        _ => return answer::bad_request(UNKNOWN_API),
    };
    if request.method != method {
        return answer::bad_request(UNKNOWN_API);
    }
    let Some(id) = query
        .get("campaign_id")
        .and_then(|id| id.trim().parse::<u32>().ok())
    else {
        return answer::bad_request(MISSING_PARAMETER);
    };
    let typed = matches!(api, "add_record" | "clear_campaign" | "remove_record");
    let kind = match query
        .get("type_campaign")
        .map(|k| k.parse::<CampaignKind>())
    {
        Some(Ok(kind)) => Some(kind),
        Some(Err(_)) => return answer::bad_request(MISSING_PARAMETER),
        None if typed => return answer::bad_request(MISSING_PARAMETER),
        None => None,
    };
    let campaigns = &mut state.campaigns;
    let exists = campaigns
        .by_id
        .get(&id)
        .is_some_and(|c| kind.is_none_or(|kind| kind == c.kind));
    if !exists {
        return refused(&format!(
            "Campaign_id {id} does not exist in your operation."
        ));
    }
    match api {
        "add_record" => add_record(state, id, &request.body),
        "start" => start(state, id),
        "stop" => with(state, id, |c| c.started = false, "stopped"),
        "speed" => speed(state, id, &request.body),
        "clear_campaign" => clear(state, id, query.get("result").map(String::as_str)),
        "remove_record" => remove(state, id, &request.body),
        _ => export(state, id),
    }
}

/// A write refusal: 404 `{"code":"404","error":"Not Found","msg":..}`.
fn refused(msg: &str) -> Answer {
    Answer::json(
        404,
        &json!({"code": "404", "error": "Not Found", "msg": msg}),
    )
}

/// A write's success, its HTTP status equal to its `code`.
fn done(code: u16, msg: String, data: Option<Value>) -> Answer {
    let mut body = json!({"code": code.to_string(), "error": null, "msg": msg});
    if let Some(data) = data {
        body["data"] = data;
    }
    Answer::json(code, &body)
}

fn campaign(state: &mut State, id: u32) -> &mut SimCampaign {
    // The caller checked that it exists; an entry is made rather than a panic otherwise.
    state
        .campaigns
        .by_id
        .entry(id)
        .or_insert_with(|| SimCampaign::new(CampaignKind::Predictive, ""))
}

fn add_record(state: &mut State, id: u32, body: &[u8]) -> Answer {
    let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(body) else {
        return answer::bad_request(MISSING_PARAMETER);
    };
    let uploading = state.campaigns.total_records() + items.len();
    let limit = state.campaigns.upload_limit;
    if uploading > limit {
        return refused(&format!(
            "You are uploading ({uploading}) records to the system. According to quantity \
             active licenses, You can upload {limit} records. Try again."
        ));
    }
    let mut records = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (position, item) in items.into_iter().enumerate() {
        let blank = match item.get("customer_id") {
            Some(Value::String(s)) => s.trim().is_empty(),
            Some(Value::Number(_)) => false,
            _ => true,
        };
        if blank {
            errors.push(json!({
                "error": format!("CUSTOMER_ID is empty, object position {position}"),
                "msg": "CUSTOMER_ID is a required field, see schema for required fields",
            }));
            continue;
        }
        match serde_json::from_value::<CampaignRecord>(item) {
            Ok(record) => records.push(SimRecord {
                record,
                result: None,
            }),
            Err(error) => errors.push(json!({
                "error": format!("{error}, object position {position}"),
                "msg": "see schema for the fields' formats",
            })),
        }
    }
    let total = records.len() + errors.len();
    if !errors.is_empty() {
        return Answer::json(
            404,
            &json!({"code": "404", "error": "Not Found",
                    "msg": "0 records has been added, please validate the data",
                    "data": [{"total_registers": total.to_string(), "total_success": "0",
                              "total_errors": errors.len().to_string(), "array_errors": errors}]}),
        );
    }
    campaign(state, id).records.extend(records);
    done(
        201,
        "All records has been added successfully".into(),
        Some(json!([{"total_registers": total.to_string()}])),
    )
}

fn start(state: &mut State, id: u32) -> Answer {
    let active = state.campaigns.active_predictives(id);
    let target = campaign(state, id);
    if target.kind == CampaignKind::Predictive
        && !target.started
        && active >= MAX_ACTIVE_PREDICTIVES
    {
        return refused(&format!(
            "You must turn off a predictive before starting this one, you currently have \
             {active} active predictives"
        ));
    }
    with(state, id, |c| c.started = true, "started")
}

fn with(
    state: &mut State,
    id: u32,
    change: impl FnOnce(&mut SimCampaign),
    done_as: &str,
) -> Answer {
    change(campaign(state, id));
    done(
        202,
        format!("The {id} campaign_id has been {done_as} successfully"),
        None,
    )
}

fn speed(state: &mut State, id: u32, body: &[u8]) -> Answer {
    let speed =
        serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|body| match body.get("speed")? {
                Value::String(s) => s.trim().parse::<u32>().ok(),
                Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                _ => None,
            });
    match speed.filter(|s| *s <= 100) {
        Some(speed) => {
            campaign(state, id).speed = speed;
            done(
                202,
                format!("The speed of {id} campaign_id has been updated successfully"),
                None,
            )
        }
        None => answer::bad_request(MISSING_PARAMETER),
    }
}

fn clear(state: &mut State, id: u32, result: Option<&str>) -> Answer {
    let result = result.map(|r| r.trim().to_ascii_lowercase());
    campaign(state, id)
        .records
        .retain(|r| match (&result, r.result) {
            (None, _) => false,
            (Some(wanted), Some(got)) => got.filter_name() != wanted,
            (Some(_), None) => true,
        });
    done(
        202,
        format!("All records has been deleted of campaign_id {id} successfully"),
        None,
    )
}

fn remove(state: &mut State, id: u32, body: &[u8]) -> Answer {
    let ids = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|body| body.get("customer_id")?.as_str().map(str::to_owned));
    let Some(ids) = ids.filter(|ids| !ids.trim().is_empty()) else {
        return answer::bad_request(MISSING_PARAMETER);
    };
    let wanted: Vec<&str> = ids.split(',').map(str::trim).collect();
    campaign(state, id)
        .records
        .retain(|r| !wanted.contains(&r.record.customer_id.as_str()));
    done(
        202,
        format!("customer_id {ids} has been deleted successfully"),
        None,
    )
}

/// `campaign_15`: the documented top-level shape, Spanish keys, no `data`.
fn export(state: &mut State, id: u32) -> Answer {
    let records: Vec<Value> = campaign(state, id).records.iter().map(export_row).collect();
    Answer::json(
        200,
        &json!({"code": "200", "total_records": records.len().to_string(),
                "campaign_id": id.to_string(), "records": records}),
    )
}

fn export_row(sim: &SimRecord) -> Value {
    let r = &sim.record;
    let mut row = json!({
        "nombre_cliente": r.customer_name, "apellido_cliente": r.customer_last_name,
        "tipo_doc": r.id_type, "id_cliente": r.customer_id, "edad": r.age, "sexo": r.gender,
        "pais": r.country, "departamento": r.state, "ciudad": r.city, "zona": r.zone,
        "direccion": r.address, "tel_extra": r.tel_extra, "email": r.email,
        "id_agent": r.agent_id.map(|a| a.to_string()).unwrap_or_default(),
        "resultado": sim.result.map_or("CLEAN", |d| d.export_name()),
        "llamadas": if sim.result.is_some() { "1" } else { "0" },
        "rellamada": r.recall_date.map(|d| d.strftime("%Y%m%d%H%M%S").to_string()).unwrap_or_default(),
        "rellamada_tel": r.recall_telephone,
    });
    for (i, option) in r.options.iter().enumerate() {
        row[format!("opt{}", i + 1)] = json!(option);
    }
    for i in 0..10 {
        row[format!("tel{}", i + 1)] = json!(r.phones.get(i).map_or("", String::as_str));
    }
    row
}

/// The real-time `campaigns` rows (every campaign, or the one `campaign_id` names), in the
/// wire format: every value a string, the id inside `campaign`.
pub(in crate::mock) fn realtime_rows(state: &mut State, query: &Query) -> Vec<Value> {
    state.campaigns.tick();
    let only = query
        .get("campaign_id")
        .and_then(|id| id.trim().parse::<u32>().ok());
    state
        .campaigns
        .by_id
        .iter()
        .filter(|(id, _)| only.is_none_or(|only| only == **id))
        .map(|(id, c)| realtime_row(&c.realtime(*id)))
        .collect()
}

fn realtime_row(row: &CampaignRealtime) -> Value {
    let pct = |p: f64| format!("{p:.2} %");
    json!({
        "campaign": format!("{} - {} - {}", row.campaign_id, row.campaign_name,
                            pct(row.percentage.unwrap_or(0.0))),
        "speed": row.speed.to_string(),
        "status": row.status.as_str(),
        "skill_id": row.skill_id.map(|s| s.to_string()).unwrap_or_default(),
        "records": row.records.to_string(),
        "clean": row.clean.to_string(),
        "dial": row.dial.to_string(),
        "answer": row.answer.to_string(),
        "no_answer": row.no_answer.to_string(),
        "busy/congestion/failed": row.busy_congestion_failed.to_string(),
        "answer_machine": row.answer_machine.to_string(),
        "penetration_day": pct(row.penetration_day),
        "penetration_now": pct(row.penetration_now),
        "hits": row.hits.to_string(),
        "calls_x_min": row.calls_x_min.to_string(),
        "recycled": row.recycled.to_string(),
    })
}
