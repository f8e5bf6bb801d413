//! zhixing: init, parse the command line, dispatch.

mod audit_cmd;
mod cli;
mod commands;
mod expire;
mod export_cmd;
mod import_cmd;
mod officer_cmd;
mod output;
mod receipts_cmd;
mod screenshots;
mod sync_cmd;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use std::process::ExitCode;

fn main() -> ExitCode {
    let matches = cli::Cli::command().get_matches();
    let mut cli = cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    cli.officer_typed = typed_on_command_line(&matches, "officer");
    match commands::dispatch(cli) {
        Ok(code) => code,
        // The reader of stdout went away (`| head`): quiet, as a tool killed
        // by SIGPIPE is, and nothing of a notice batch is marked.
        Err(e) if reader_gone(&e) => ExitCode::from(141),
        Err(e) => {
            eprintln!("zhixing: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn reader_gone(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Whether a (global) argument was typed rather than taken from the
/// environment: `audit show --officer` filters, ZHIXING_OFFICER does not.
fn typed_on_command_line(matches: &ArgMatches, id: &str) -> bool {
    matches.value_source(id) == Some(ValueSource::CommandLine)
        || matches
            .subcommand()
            .is_some_and(|(_, sub)| typed_on_command_line(sub, id))
}
