//! The PostgreSQL sink (tokio-postgres): a table per report, rows in with `COPY`, one
//! transaction per window that also saves the report's checkpoint in `wolkvox_sync_state`.
//!
//! Events are copied straight into the table when none of their keys is there yet (a first
//! load, a tick of new rows); otherwise (a unique violation rolls the copy back to a savepoint)
//! into a temporary table, then merged on `_key` (`INSERT .. ON CONFLICT (_key) DO UPDATE`).
//! A window of an intervals or totals report replaces its day (`DELETE ..
//! WHERE _day = ..`, then `COPY` into the table). Killed at any point, the transaction is
//! rolled back with its checkpoint, and the next run stores that window again.

use std::fmt::Write as _;

use futures_util::SinkExt;
use serde_json::Value;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls, Transaction};
use wolkvox::reports::{Checkpoint, ReportWindow};

use super::BoxError;
use super::tables::Table;

/// A database and schema to load into.
#[derive(Clone)]
pub struct PgSink {
    url: String,
    schema: String,
}

/// One report's connection and table.
pub struct PgLoader {
    client: Client,
    /// `"schema"."wolkvox_<report>"`.
    table: String,
    /// `"schema"."wolkvox_sync_state"`.
    state: String,
    report: String,
}

/// `name` as a quoted SQL identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Opens a connection; its driver runs in a task of its own.
pub async fn connect(url: &str) -> Result<Client, BoxError> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            eprintln!("postgres connection: {error}");
        }
    });
    Ok(client)
}

impl PgSink {
    pub fn new(url: &str, schema: &str) -> Self {
        PgSink {
            url: url.to_owned(),
            schema: schema.to_owned(),
        }
    }

    /// A connection for `table`'s report, with the schema and tables created if missing.
    pub async fn loader(&self, table: &Table) -> Result<PgLoader, BoxError> {
        let mut client = connect(&self.url).await?;
        let schema = ident(&self.schema);
        let name = format!("{schema}.{}", ident(&table.name()));
        let state = format!("{schema}.{}", ident("wolkvox_sync_state"));
        let mut columns = String::from("_key text NOT NULL, _day date NOT NULL");
        for (column, kind) in table.columns {
            let _ = write!(columns, ", {} {kind}", ident(column));
        }
        let key = if table.replaces_day() {
            "_day, _key"
        } else {
            "_key"
        };
        let ddl = format!(
            "CREATE SCHEMA IF NOT EXISTS {schema};
             CREATE TABLE IF NOT EXISTS {state} (report text PRIMARY KEY, checkpoint jsonb NOT NULL,
                 updated_at timestamptz NOT NULL);
             CREATE TABLE IF NOT EXISTS {name} ({columns}, raw jsonb NOT NULL,
                 _window_from timestamp NOT NULL, _window_to timestamp NOT NULL,
                 _loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY ({key}));"
        );
        // Several reports start at once: one creates the schema at a time.
        let tx = client.transaction().await?;
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext($1::text))",
            &[&self.schema],
        )
        .await?;
        tx.batch_execute(&ddl).await?;
        tx.commit().await?;
        Ok(PgLoader {
            client,
            table: name,
            state,
            report: table.report.clone(),
        })
    }
}

/// One CSV field for `COPY .. (FORMAT csv, NULL '\N')`: `\N` for null, else quoted.
fn field(out: &mut String, value: Option<&str>) {
    match value {
        None => out.push_str("\\N"),
        Some(text) => {
            out.push('"');
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
        }
    }
}

fn typed(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// `COPY target (columns) FROM STDIN` of `csv`.
async fn copy(
    tx: &Transaction<'_>,
    target: &str,
    columns: &str,
    csv: &str,
) -> Result<(), tokio_postgres::Error> {
    let sink = tx
        .copy_in(&format!(
            "COPY {target} ({columns}) FROM STDIN (FORMAT csv, NULL '\\N')"
        ))
        .await?;
    futures_util::pin_mut!(sink);
    // The sink's only error type is tokio_postgres::Error.
    sink.send(bytes::Bytes::copy_from_slice(csv.as_bytes()))
        .await?;
    sink.finish().await.map(|_| ())
}

impl PgLoader {
    pub async fn checkpoint(&mut self) -> Result<Option<Checkpoint>, BoxError> {
        let sql = format!(
            "SELECT checkpoint::text FROM {} WHERE report = $1",
            self.state
        );
        let row = self.client.query_opt(&sql, &[&self.report]).await?;
        Ok(match row {
            Some(row) => Some(serde_json::from_str(row.get::<_, &str>(0))?),
            None => None,
        })
    }

    /// The window's rows and its checkpoint, in one transaction.
    pub async fn store(
        &mut self,
        table: &Table,
        window: &ReportWindow<Value>,
    ) -> Result<(), BoxError> {
        let window_day = window.from.date();
        let mut csv = String::new();
        for raw in &window.rows {
            let Some(row) = table.prepare(raw)? else {
                continue;
            };
            let day = if table.replaces_day() {
                window_day.to_string()
            } else {
                table.day_of(raw, window_day)
            };
            field(&mut csv, Some(&row.key));
            csv.push(',');
            field(&mut csv, Some(&day));
            for value in &row.typed {
                csv.push(',');
                field(&mut csv, typed(value).as_deref());
            }
            csv.push(',');
            field(&mut csv, Some(&row.raw.to_string()));
            csv.push(',');
            field(&mut csv, Some(&window.from.to_string()));
            csv.push(',');
            field(&mut csv, Some(&window.to.to_string()));
            csv.push('\n');
        }
        let mut columns = String::from("_key, _day");
        for (column, _) in table.columns {
            let _ = write!(columns, ", {}", ident(column));
        }
        columns.push_str(", raw, _window_from, _window_to");
        let name = self.table.clone();
        let tx = self.client.transaction().await?;
        if table.replaces_day() {
            tx.execute(
                &format!("DELETE FROM {} WHERE _day = $1::text::date", self.table),
                &[&window_day.to_string()],
            )
            .await?;
            if !csv.is_empty() {
                copy(&tx, &self.table, &columns, &csv).await?;
            }
        } else if !csv.is_empty() {
            tx.batch_execute("SAVEPOINT direct").await?;
            match copy(&tx, &self.table, &columns, &csv).await {
                Ok(()) => tx.batch_execute("RELEASE SAVEPOINT direct").await?,
                Err(error) if error.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                    tx.batch_execute("ROLLBACK TO SAVEPOINT direct").await?;
                    merge(&tx, &name, &columns, &csv).await?;
                }
                Err(error) => return Err(error.into()),
            }
        }
        let checkpoint = serde_json::to_string(&window.checkpoint())?;
        tx.execute(
            &format!(
                "INSERT INTO {} (report, checkpoint, updated_at) VALUES ($1, $2::text::jsonb, now()) \
                 ON CONFLICT (report) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, \
                 updated_at = EXCLUDED.updated_at",
                self.state
            ),
            &[&self.report, &checkpoint],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Copies `csv` into a temporary table and merges it into `table` on `_key`.
async fn merge(
    tx: &Transaction<'_>,
    table: &str,
    columns: &str,
    csv: &str,
) -> Result<(), BoxError> {
    tx.batch_execute(&format!(
        "CREATE TEMP TABLE _wolkvox_in (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
    ))
    .await?;
    copy(tx, "_wolkvox_in", columns, csv).await?;
    let mut updates = String::new();
    for column in columns.split(", ").filter(|c| *c != "_key") {
        let _ = write!(updates, "{column} = EXCLUDED.{column}, ");
    }
    updates.push_str("_loaded_at = now()");
    tx.execute(
        &format!(
            "INSERT INTO {table} ({columns}) SELECT DISTINCT ON (_key) {columns} \
                 FROM _wolkvox_in ORDER BY _key ON CONFLICT (_key) DO UPDATE SET {updates}"
        ),
        &[],
    )
    .await?;
    Ok(())
}
