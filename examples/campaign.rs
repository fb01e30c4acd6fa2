//! `cargo run --example campaign -- customers.csv --campaign 7224 --start`
//!
//! Loads a CSV of customers into an outbound campaign exactly once, starts it, and follows
//! the dialler until every record was dialled. The CSV's header is the upload's keys
//! (`customer_id`, `customer_name`, `tel1`.., `opt1`.., see `wolkvox::campaign::CampaignRecord`);
//! `examples/customers.csv` is a sample.
//!
//! Every record is checked before anything is sent. Records then go in batches of at most
//! 10,000 (`--batch-size`), with a progress bar. A batch whose answer is lost (a timeout) is
//! never sent again: the campaign's own records are listed to see which of its records
//! arrived, and only the others are sent. A refused batch stops the upload, with the
//! service's reason.
//!
//! Runs against the crate's simulator (a campaign of that id is created) unless
//! `WOLKVOX_TOKEN` is set; then `WOLKVOX_SERVER` or `WOLKVOX_BASE_URL` say where, and it asks
//! before uploading (`--yes` does not ask). On the simulator, `--late-batch N` answers batch N
//! after the client's timeout (the service still loads it), to show the recovery.

mod common;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;
use serde::de::value::{Error as CellError, MapDeserializer};
use wolkvox::WolkvoxClient;
use wolkvox::campaign::{
    BatchOutcome, Campaign, CampaignKind, CampaignRecord, Refusal, UploadReport,
};
use wolkvox::mock::{Fault, MockWolkvox};

/// Upload a CSV of customers to a Wolkvox outbound campaign, start it, follow it.
#[derive(Parser, Debug)]
struct Args {
    /// The CSV file; its header is the upload's keys (customer_id, customer_name, tel1, ...).
    csv: PathBuf,
    /// The campaign's id.
    #[arg(long)]
    campaign: u32,
    /// The campaign's kind: predictive or preview.
    #[arg(long, default_value = "predictive")]
    kind: CampaignKind,
    /// Start the campaign after the upload and follow it until every record was dialled.
    #[arg(long)]
    start: bool,
    /// Records a request (at most 10,000).
    #[arg(long, default_value_t = wolkvox::campaign::MAX_BATCH)]
    batch_size: usize,
    /// Seconds between two looks at the campaign's progress (at least 60 on the live service).
    #[arg(long)]
    interval: Option<u64>,
    /// Do not ask before uploading to the live service.
    #[arg(long)]
    yes: bool,
    /// Simulator only: answer batch N (from 1) after the client's timeout.
    #[arg(long)]
    late_batch: Option<usize>,
}

#[tokio::main]
async fn main() -> ExitCode {
    common::exit_code(run(Args::parse()).await)
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let records = read_csv(&args.csv)?;
    println!("{} records read from {}", records.len(), args.csv.display());
    // The simulator lives as long as the run.
    let (client, simulator) = if std::env::var_os("WOLKVOX_TOKEN").is_some() {
        (WolkvoxClient::from_env()?, None)
    } else {
        let mock = MockWolkvox::start().await;
        mock.add_campaign(args.campaign, args.kind, "EXAMPLE CAMPAIGN");
        println!(
            "WOLKVOX_TOKEN is not set: using the simulator at {}",
            mock.uri()
        );
        let client = mock
            .client_builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        (client, Some(mock))
    };
    upload_and_follow(&client, simulator.as_ref(), &args, &records).await
}

async fn upload_and_follow(
    client: &WolkvoxClient,
    simulator: Option<&MockWolkvox>,
    args: &Args,
    records: &[CampaignRecord],
) -> Result<(), Box<dyn std::error::Error>> {
    let campaign = client
        .campaign(args.campaign, args.kind)
        .batch_size(args.batch_size);
    let batch = args.batch_size.clamp(1, wolkvox::campaign::MAX_BATCH);
    // The whole list is checked before anything is sent (duplicates across batches too).
    campaign.check_records(records)?;
    match (simulator, args.late_batch) {
        (Some(mock), Some(n)) => answer_late(mock, records, batch, n),
        (None, _) if !args.yes => confirm(client, args, records.len())?,
        _ => {}
    }

    let bar = ProgressBar::new(records.len() as u64).with_style(ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] {pos}/{len} records {msg}",
    )?);
    // One call per batch, so the bar moves between them.
    for piece in records.chunks(batch) {
        let report = campaign.add_records(piece).await?;
        if report.is_complete() {
            bar.inc(piece.len() as u64);
            continue;
        }
        bar.set_message("outcome unknown: checking the campaign's records");
        let report = settle(&campaign, report).await?;
        let rest: Vec<CampaignRecord> = report.pending().map(|i| piece[i].clone()).collect();
        bar.inc((piece.len() - rest.len()) as u64);
        if rest.is_empty() {
            continue;
        }
        bar.set_message(format!(
            "sending the {} records that did not arrive",
            rest.len()
        ));
        let resumed = campaign.add_records(&rest).await?;
        if !resumed.is_complete() {
            bar.abandon();
            return Err(refusal(&resumed).into());
        }
        bar.inc(rest.len() as u64);
        bar.set_message("");
    }
    bar.finish();
    println!(
        "{} records loaded into campaign {}",
        records.len(),
        args.campaign
    );
    if !args.start {
        return Ok(());
    }

    let reply = campaign.start().await?;
    println!("{}", reply.message);
    let default = if simulator.is_some() { 1 } else { 60 };
    follow(
        &campaign,
        Duration::from_secs(args.interval.unwrap_or(default)),
    )
    .await
}

/// Turns an unknown outcome into known ones; any other failure is the reason to stop.
async fn settle(
    campaign: &Campaign,
    report: UploadReport,
) -> Result<UploadReport, Box<dyn std::error::Error>> {
    let unknown = report
        .batches()
        .iter()
        .any(|b| matches!(b.outcome, BatchOutcome::Unknown { .. }));
    if !unknown {
        return Err(refusal(&report).into());
    }
    Ok(campaign.reconcile(&report).await?)
}

/// Why an upload stopped, with what to do about the refusals the service is known for.
fn refusal(report: &UploadReport) -> String {
    let Some(error) = report.batches().iter().find_map(|b| b.outcome.error()) else {
        let errors: Vec<String> = report
            .batches()
            .iter()
            .flat_map(|b| b.outcome.record_errors())
            .map(|e| format!("record {}: {}", e.index, e.message))
            .collect();
        return format!(
            "the service did not add every record: {}",
            errors.join("; ")
        );
    };
    let hint = match Refusal::of(error) {
        Some(Refusal::LicenceLimit(limit)) => format!(
            " (the licences allow {} records and this upload would make {}: remove {} or clear \
             old campaigns)",
            limit.allowed,
            limit.uploading,
            limit.excess()
        ),
        Some(Refusal::UnknownCampaign) => " (check the id and --kind)".to_owned(),
        _ => String::new(),
    };
    format!("the upload stopped: {error}{hint}")
}

/// Follows the dialler with a progress bar until every record was dialled.
async fn follow(campaign: &Campaign, interval: Duration) -> Result<(), Box<dyn std::error::Error>> {
    let bar = ProgressBar::new(0).with_style(ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] {pos}/{len} dialled {msg}",
    )?);
    let mut rows = campaign.watch(interval);
    while let Some(row) = rows.next().await {
        let row = row?;
        bar.set_length(u64::from(row.records));
        bar.set_position(u64::from(row.dial));
        bar.set_message(format!(
            "({} answered, {} no answer, {} clean)",
            row.answer, row.no_answer, row.clean
        ));
        if row.is_finished() {
            bar.finish();
            println!(
                "every record was dialled: {} answered, {} no answer, {} busy/failed, {} machines",
                row.answer, row.no_answer, row.busy_congestion_failed, row.answer_machine
            );
            return Ok(());
        }
    }
    Err("the progress stream ended".into())
}

/// The records of a CSV whose header is the upload's keys. Cells are read as text (a
/// `0601...` keeps its zero).
fn read_csv(path: &Path) -> Result<Vec<CampaignRecord>, Box<dyn std::error::Error>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)?;
    let header = reader.headers()?.clone();
    let mut records = Vec::new();
    for (row, cells) in reader.records().enumerate() {
        let cells = cells?;
        let fields = header.iter().zip(cells.iter());
        let record = CampaignRecord::deserialize(MapDeserializer::<_, CellError>::new(fields))
            .map_err(|error| format!("{} row {}: {error}", path.display(), row + 1))?;
        records.push(record);
    }
    Ok(records)
}

/// Asks before a live upload.
fn confirm(
    client: &WolkvoxClient,
    args: &Args,
    count: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    print!(
        "Upload {count} records to {} campaign {} at {}? [y/N] ",
        args.kind,
        args.campaign,
        client.server().unwrap_or(client.endpoint().as_str())
    );
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if answer.trim().eq_ignore_ascii_case("y") {
        Ok(())
    } else {
        Err("nothing was uploaded".into())
    }
}

/// Makes the simulator answer batch `n` (from 1) after the client's timeout; it still loads it.
fn answer_late(mock: &MockWolkvox, records: &[CampaignRecord], batch: usize, n: usize) {
    let Some(first) = n.checked_sub(1).and_then(|i| records.get(i * batch)) else {
        return;
    };
    let marker = format!("\"customer_id\":{}", serde_json::json!(first.customer_id));
    mock.fail_next_when(Fault::Delay(Duration::from_secs(3)), 1, move |request| {
        request.api.as_deref() == Some("add_record")
            && String::from_utf8_lossy(&request.body).contains(&marker)
    });
    println!("the simulator answers batch {n} after the client's timeout");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_late_batch_is_recovered_and_the_campaign_dialled_to_the_end() {
        let path =
            std::env::temp_dir().join(format!("wolkvox-campaign-{}.csv", std::process::id()));
        let mut csv = String::from("customer_id,customer_name,tel1,opt1\n");
        for i in 0..45 {
            csv.push_str(&format!("{:09},CLIENTE {i},0601555{i:04},PLAN\n", i + 1));
        }
        std::fs::write(&path, csv).unwrap();
        let records = read_csv(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(records[0].customer_id, "000000001");
        assert_eq!(records[0].phones, ["06015550000"]);

        let mock = MockWolkvox::start().await;
        mock.add_campaign(7224, CampaignKind::Predictive, "TEST");
        let client = mock
            .client_builder()
            .timeout(Duration::from_millis(500))
            .build()
            .unwrap();
        let args = Args::parse_from([
            "campaign",
            "x.csv",
            "--campaign",
            "7224",
            "--start",
            "--batch-size",
            "20",
            "--late-batch",
            "2",
            "--interval",
            "1",
        ]);
        upload_and_follow(&client, Some(&mock), &args, &records)
            .await
            .unwrap();
        let loaded: Vec<String> = mock
            .campaign_records(7224)
            .into_iter()
            .map(|r| r.customer_id)
            .collect();
        let given: Vec<String> = records.iter().map(|r| r.customer_id.clone()).collect();
        assert_eq!(loaded, given, "every record once, in order");
        assert!(mock.campaign_status(7224).unwrap().is_finished());
    }
}
