//! Decode of a 60,000-record `skills` response (the vendor's maximum per call): the crate's
//! full decode into `Vec<SkillRealtime>` against what a user would write by hand,
//! `serde_json::from_slice` into a struct of `String` fields (no number parsing).
//!
//! Besides the criterion timings (`target/criterion/decode/{crate,baseline}`), the peak extra
//! memory of one decode of each is measured with a counting global allocator and written to
//! `target/criterion/decode/memory.json`, and decodes of each side are timed one by one in
//! blocks, the blocks alternating crate and baseline (so a burst of load on a shared machine
//! hits both sides alike), their medians written to `target/criterion/decode/interleaved.json`
//! (both read by `bench/compare.sh`, which checks the goal on the interleaved medians).
//!
//! Run: `cargo bench --bench decode -- --warm-up-time 1 --measurement-time 5`

mod common;
#[path = "common/counting.rs"]
mod counting;
#[path = "common/rng.rs"]
mod rng;

use common::BaselineResponse;
use counting::peak_extra_bytes;
use rng::Rng;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wolkvox::__private::decode_skills_response;
use wolkvox::SkillRealtime;

/// The vendor's maximum number of records downloaded per call.
const RECORDS: usize = 60_000;
/// Blocks per side in the interleaved comparison, and the decodes timed in each (after one
/// untimed decode, so that the block's decodes are as warm as criterion's).
const BLOCKS: usize = 10;
const PER_BLOCK: usize = 3;

// ---------------------------------------------------------------------------------------------
// The body: deterministic, every live format mixed in.

/// A count as the live service sends it: mostly digits, sometimes blank.
fn count(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => String::new(),
        1 => " ".to_owned(),
        _ => rng.below(5_000).to_string(),
    }
}

/// A percentage in one of the live formats.
fn percentage(rng: &mut Rng) -> String {
    let hundredths = rng.below(10_001);
    let (int, frac) = (hundredths / 100, hundredths % 100);
    match rng.below(8) {
        0 => format!("{int}.{frac:02} %"),
        1 => format!("{int}.{frac:02}%"),
        2 => "0.00%".to_owned(),
        3 => format!("{int} %"),
        4 => format!("{int},{frac:02} %"),
        5 => format!("{int}.{frac}"),
        6 => String::new(),
        _ => "-".to_owned(),
    }
}

/// A `skills` envelope with `records` rows, every value a JSON string (as the vendor sends
/// them; the hand-written baseline could not read a JSON number into a `String` anyway).
fn skills_body(records: usize) -> Vec<u8> {
    let mut rng = Rng(0x5EED_0BAD_CAFE_F00D);
    let mut body = String::with_capacity(records * 330);
    body.push_str(&format!(
        r#"{{"code":200,"error":null,"msg":"{records} records were found","data":["#
    ));
    for i in 0..records {
        if i > 0 {
            body.push(',');
        }
        let row = format!(
            r#"{{"skill_id":"{id}","skill_name":"SKILL_{id}_SOPORTE","calls_in_queue_now":"{q}","stat_inbound":"{inb}","stat_answer":"{ans}","stat_abandon":"{abd}","service_level_10seg":"{s10}","service_level_20seg":"{s20}","service_level_30seg":"{s30}","service_level_0seg":"0 %","by_abandon":"{ba}"}}"#,
            id = 1000 + i,
            q = count(&mut rng),
            inb = count(&mut rng),
            ans = count(&mut rng),
            abd = count(&mut rng),
            s10 = percentage(&mut rng),
            s20 = percentage(&mut rng),
            s30 = percentage(&mut rng),
            ba = percentage(&mut rng),
        );
        body.push_str(&row);
    }
    body.push_str("]}");
    body.into_bytes()
}

// ---------------------------------------------------------------------------------------------
// The baseline a user would write: the documented fields as `String`s.

fn baseline(body: &[u8]) -> BaselineResponse {
    serde_json::from_slice(body).expect("the baseline reads the generated body")
}

fn crate_decode(body: &[u8]) -> Vec<SkillRealtime> {
    decode_skills_response(200, body).expect("the crate decodes the generated body")
}

fn bench(c: &mut Criterion) {
    let body = skills_body(RECORDS);
    // Sanity: both sides read every record, and the crate reads the formats as documented.
    let decoded = crate_decode(&body);
    assert_eq!(decoded.len(), RECORDS);
    assert_eq!(baseline(&body).data.len(), RECORDS);
    assert_eq!(decoded[0].skill_id, 1000);
    drop(decoded);

    let crate_peak = peak_extra_bytes(|| crate_decode(&body));
    let baseline_peak = peak_extra_bytes(|| baseline(&body));
    write_memory_report(body.len(), crate_peak, baseline_peak);
    eprintln!(
        "decode memory: body {} B; peak extra: crate {} B ({:.2}x body), baseline {} B ({:.2}x body)",
        body.len(),
        crate_peak,
        crate_peak as f64 / body.len() as f64,
        baseline_peak,
        baseline_peak as f64 / body.len() as f64,
    );

    interleaved(&body);

    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(20);
    group.bench_function("crate", |b| b.iter(|| crate_decode(black_box(&body))));
    group.bench_function("baseline", |b| b.iter(|| baseline(black_box(&body))));
    group.finish();
}

/// `BLOCKS` blocks per side, `PER_BLOCK` decodes timed in each, crate and baseline blocks
/// alternating (which goes first alternates too); the medians go to
/// `target/criterion/decode/interleaved.json`.
fn interleaved(body: &[u8]) {
    fn block<T>(samples: &mut Vec<Duration>, decode: impl Fn() -> T) {
        black_box(decode());
        for _ in 0..PER_BLOCK {
            let started = Instant::now();
            let decoded = black_box(decode());
            samples.push(started.elapsed());
            drop(decoded);
        }
    }
    fn median(samples: &mut [Duration]) -> Duration {
        samples.sort_unstable();
        samples[samples.len() / 2]
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..BLOCKS {
        if round % 2 == 0 {
            block(&mut ours, || crate_decode(black_box(body)));
            block(&mut theirs, || baseline(black_box(body)));
        } else {
            block(&mut theirs, || baseline(black_box(body)));
            block(&mut ours, || crate_decode(black_box(body)));
        }
    }
    let runs = ours.len();
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    eprintln!(
        "decode, {runs} each in alternating blocks: median crate {ours:?}, baseline {theirs:?} ({:.3}x)",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    write_report(
        "interleaved.json",
        &format!(
            "{{\"runs\":{runs},\"crate_median_ns\":{},\"baseline_median_ns\":{}}}\n",
            ours.as_nanos(),
            theirs.as_nanos()
        ),
    );
}

/// `target/criterion/decode/memory.json`, next to criterion's own output.
fn write_memory_report(body: usize, crate_peak: usize, baseline_peak: usize) {
    write_report(
        "memory.json",
        &format!(
            "{{\"records\":{RECORDS},\"body_bytes\":{body},\"crate_peak_extra_bytes\":{crate_peak},\
             \"baseline_peak_extra_bytes\":{baseline_peak}}}\n"
        ),
    );
}

/// Writes `target/criterion/decode/{file}`.
fn write_report(file: &str, json: &str) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("criterion").join("decode");
    if let Err(error) =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(file), json))
    {
        eprintln!("could not write {file}: {error}");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
