//! The command line: clap derive, subcommands and their arguments.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "zhixing",
    version,
    about = "执行 zhixing: a terminal workstation for court enforcement officers"
)]
pub struct Cli {
    /// The store to open [default: zhixing.db under the user's data directory]
    #[arg(long, global = true, env = "ZHIXING_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Work as if today were this date (YYYY-MM-DD): deadlines and ages follow it
    #[arg(long, global = true, value_name = "DATE", hide = true)]
    pub today: Option<chrono::NaiveDate>,

    /// The officer a writing command runs as (login); in the workstation it
    /// only fills in the sign-in box; for `audit show`, typed (not taken from
    /// the environment), it filters the entries
    #[arg(long, global = true, env = "ZHIXING_OFFICER", value_name = "LOGIN")]
    pub officer: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// --officer was typed, not taken from ZHIXING_OFFICER.
    #[arg(skip)]
    pub officer_typed: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a demo store with realistic data and open it
    Demo {
        /// How many subjects to generate
        #[arg(long, default_value_t = 5000)]
        subjects: usize,
        /// Seed of the generator: the same seed gives the same store
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Build the store and print a summary, without opening the TUI
        #[arg(long)]
        no_tui: bool,
    },
    /// Make a new, empty store with its first admin (the --officer login);
    /// the PIN is asked for on the terminal, or read from --pin-file
    Init {
        /// The office's site number: keys made here never collide with
        /// another site's (1 for the court; field offices take their own)
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(i64).range(1..=8000))]
        site: i64,
        /// The admin's full name
        #[arg(long, required_unless_present = "from")]
        name: Option<String>,
        /// A file whose first line is the admin's PIN (for scripts)
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
        /// A field office's store, made from the court's sync file for this
        /// site: its officers (and their PINs) and caseload come from it
        #[arg(long, value_name = "FILE", conflicts_with_all = ["name", "pin_file"])]
        from: Option<PathBuf>,
    },
    /// Officers: add, list, disable, set a PIN (adding and disabling is an admin's act)
    Officer {
        #[command(subcommand)]
        what: OfficerWhat,
    },
    /// Print the ranked results of a search, as the TUI shows them (exit
    /// status 1 when nothing matches)
    Search {
        /// A name, pinyin, pinyin initials, ID number (any part), case or phone number
        query: String,
        /// At most this many results
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// One JSON object per line
        #[arg(long)]
        json: bool,
        /// Also print how long the query took inside the process
        #[arg(long)]
        timing: bool,
    },
    /// Write a realistic, deterministic CSV in the import format
    Gen {
        /// How many subjects (debtors); each has one or two cases
        #[arg(long)]
        subjects: usize,
        /// Seed of the generator: the same seed gives the same file
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write here (a temporary file renamed at the end) instead of stdout
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
    /// Load the court's caseload from CSV or JSON Lines files (import format 1)
    Import(ImportArgs),
    /// Write what leaves the store: notice batches, the restriction feed, the public list
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// The carriers' and printers' answers about exported notices
    Notices {
        #[command(subcommand)]
        what: NoticesWhat,
    },
    /// The audit log
    Audit {
        #[command(subcommand)]
        what: AuditWhat,
    },
    /// Field offices: exchange work with another store by files
    Sync {
        #[command(subcommand)]
        what: SyncWhat,
    },
    /// Lift every listing whose fixed period has ended and queue its lifting
    /// notices (for a nightly job; the TUI also does it when it opens)
    Expire {
        /// Only list what would be lifted
        #[arg(long)]
        dry_run: bool,
    },
    /// Render the screenshots of the views from the demo store (SVG, and PNG
    /// when rsvg-convert is installed)
    #[command(hide = true)]
    Screenshots {
        /// Folder to write into
        #[arg(long, default_value = "screenshots")]
        out: PathBuf,
    },
}

fn parse_encoding(text: &str) -> Result<zhixing::import::Encoding, String> {
    zhixing::import::Encoding::parse(text)
        .ok_or_else(|| format!("'{text}' is not an encoding zhixing reads: use utf-8 or gb18030"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// Write here (a temporary file renamed when complete) instead of stdout
    #[arg(long, value_name = "FILE", global = true)]
    pub out: Option<std::path::PathBuf>,
    /// csv or jsonl
    #[arg(long, value_enum, default_value = "csv", global = true)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// The queued notices of one channel, as a batch for the carrier or
    /// printer; they are marked exported with the batch's number
    Notices {
        #[arg(long, value_parser = ["call", "sms", "letter", "publication"])]
        channel: Option<String>,
        /// Write an earlier batch's file again (after a failed write)
        #[arg(long, conflicts_with = "channel", required_unless_present = "channel")]
        batch: Option<i64>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Every restriction imposed or lifted since a date, for the bodies that enforce them
    Restrictions {
        /// YYYY-MM-DD (or a time: its date is used)
        #[arg(long, value_parser = parse_since, required_unless_present = "full", conflicts_with = "full")]
        since: Option<chrono::NaiveDate>,
        /// Every restriction ever imposed or lifted
        #[arg(long)]
        full: bool,
        /// Full ID numbers instead of masked ones (a supervisor's act, recorded)
        #[arg(long)]
        reveal: bool,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The active listings with the fields of Art. 6, ID numbers masked
    PublicList {
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum NoticesWhat {
    /// Read a carrier's answer (CSV: batch,notice,status,reason; status sent
    /// or failed) and mark each notice
    Receipts { file: std::path::PathBuf },
}

fn parse_since(text: &str) -> Result<chrono::NaiveDate, String> {
    let day = text.get(..10).unwrap_or(text);
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date: write YYYY-MM-DD"))
}

#[derive(Debug, Subcommand)]
pub enum SyncWhat {
    /// Everything this store changed since the last export to a peer, as a
    /// changeset file (SQLite session extension) with a sealed header
    Export {
        /// The file to write (a temporary file renamed when complete)
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
        /// The site number of the store that will apply it
        #[arg(long, value_name = "SITE")]
        peer: i64,
        /// Export the changes after this mark instead (a mark is the
        /// `through` of an earlier export: to send a lost file again)
        #[arg(long, value_name = "MARK")]
        since: Option<i64>,
    },
    /// Apply another office's file: all of it in one transaction, or nothing
    Apply {
        file: PathBuf,
        /// Print the result as one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Each peer: last export and apply, and how many changes wait to go
    Status,
}

#[derive(Debug, Subcommand)]
pub enum OfficerWhat {
    /// Add an officer with a role and a PIN
    Add {
        login: String,
        /// The officer's full name
        #[arg(long)]
        name: String,
        /// clerk, officer, supervisor or admin
        #[arg(long, value_parser = ["clerk", "officer", "supervisor", "admin"])]
        role: String,
        /// A file whose first line is the new officer's PIN (else asked on the terminal)
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
    /// Every officer, with role and state
    List,
    /// Stop an officer from signing in and acting (their past acts keep their name)
    Disable { login: String },
    /// Set a PIN: your own, or (as admin) another officer's
    SetPin {
        /// Whose PIN [default: the --officer login]
        login: Option<String>,
        /// A file whose first line is the new PIN (else asked on the terminal)
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditWhat {
    /// Check the audit log's hash chain: a row changed, removed or added
    /// outside zhixing is named; exit status 1 when the chain breaks
    Verify,
    /// The log's entries, oldest first: all, or about one subject, by one
    /// officer (--officer LOGIN, typed: the environment's officer does not
    /// filter), since a day
    Show {
        /// The subject's ID number (or its key in the store)
        #[arg(long, value_name = "ID")]
        subject: Option<String>,
        /// Entries on or after this day (YYYY-MM-DD)
        #[arg(long, value_parser = parse_since)]
        since: Option<chrono::NaiveDate>,
        /// One JSON object per entry
        #[arg(long)]
        json: bool,
    },
}

/// What `zhixing import` is given (the officer and the day come from the
/// command line's own options).
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Files to load (.csv, or .jsonl / .ndjson for JSON Lines)
    #[arg(required = true)]
    pub files: Vec<std::path::PathBuf>,
    /// Read the files in this encoding instead of detecting it: utf-8 or gb18030
    #[arg(long, value_parser = parse_encoding)]
    pub encoding: Option<zhixing::import::Encoding>,
    /// Load the valid rows and copy the failing ones to --rejects
    #[arg(long, requires = "rejects")]
    pub skip_invalid: bool,
    /// Where --skip-invalid writes the failing rows, each with its error first
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<std::path::PathBuf>,
    /// Check everything and report what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print the summary as one JSON object
    #[arg(long)]
    pub json: bool,
}
