//! zhixing: init, parse the command line, dispatch.

mod cli;
mod commands;
mod expire;
mod export_cmd;
mod import_cmd;
mod officer_cmd;
mod output;
mod screenshots;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("zhixing: {e:#}");
            ExitCode::from(2)
        }
    }
}
