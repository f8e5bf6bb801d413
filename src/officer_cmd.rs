//! `zhixing init` and `zhixing officer ...`: the store's first admin, and
//! officers managed by admins.

use crate::cli::OfficerWhat;
use anyhow::{Context, bail};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use zhixing::domain::roles::Role;
use zhixing::progress::Steps;
use zhixing::store::Store;
use zhixing::store::acts::now_on;
use zhixing::store::officers::NewOfficer;

/// A new store with its first admin; an existing store is never touched.
pub fn init(
    path: &Path,
    site: i64,
    login: Option<&str>,
    name: &str,
    pin_file: Option<&Path>,
    today: chrono::NaiveDate,
) -> anyhow::Result<ExitCode> {
    let Some(login) = login else {
        bail!("name the store's first admin with --officer LOGIN");
    };
    if path.exists() {
        bail!(
            "{}: a file is already there; init makes new stores only",
            path.display()
        );
    }
    let pin = read_new_pin(pin_file, &format!("PIN for {login}"))?;
    let built = (|| -> anyhow::Result<()> {
        let mut store = Store::open(path)?;
        store.set_site(site)?;
        let admin = NewOfficer {
            login,
            name,
            role: Role::Admin,
            pin: &pin,
        };
        store.create_first_admin(&admin, &now_on(today))?;
        Ok(())
    })();
    if let Err(e) = built {
        // Nothing half made stays behind.
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        return Err(e);
    }
    eprintln!(
        "{}: a new store, site {site}, with its admin {login}",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A field office's new store from the court's sync file for its site.
pub fn init_from(
    path: &Path,
    site: i64,
    from: &Path,
    today: chrono::NaiveDate,
) -> anyhow::Result<ExitCode> {
    if path.exists() {
        bail!(
            "{}: a file is already there; init makes new stores only",
            path.display()
        );
    }
    let input = std::fs::File::open(from)
        .map(std::io::BufReader::new)
        .with_context(|| format!("cannot read {}", from.display()))?;
    let name = from.display().to_string();
    let steps = Steps::on_terminal("init");
    let built = (|| -> anyhow::Result<zhixing::store::sync::Applied> {
        let mut store = Store::open(path)?;
        store.set_site(site)?;
        let now = now_on(today);
        Ok(store.sync_apply_from(input, &name, None, &now, &|s| steps.show(s))?)
    })();
    drop(steps);
    match built {
        Ok(applied) => {
            eprintln!(
                "{}: a new store, site {site}, from {name} ({})",
                path.display(),
                zhixing::words::count(applied.inserted, "row")
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            Err(e)
        }
    }
}

pub fn run(
    path: &Path,
    what: OfficerWhat,
    login: Option<&str>,
    today: chrono::NaiveDate,
) -> anyhow::Result<ExitCode> {
    let mut store = crate::commands::open_existing(path)?;
    let now = now_on(today);
    if let OfficerWhat::List = what {
        for o in store.officers()? {
            let state = if o.active { "active" } else { "disabled" };
            let pin = if o.has_pin { "" } else { "\tno PIN" };
            println!("{}\t{}\t{}\t{state}{pin}", o.login, o.name, o.role);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let by = crate::commands::acting_officer(&store, login)?;
    match what {
        OfficerWhat::Add {
            login,
            name,
            role,
            pin_file,
        } => {
            let role = Role::from_code(&role).context("unknown role")?;
            let pin = read_new_pin(pin_file.as_deref(), &format!("PIN for {login}"))?;
            let new = NewOfficer {
                login: &login,
                name: &name,
                role,
                pin: &pin,
            };
            let o = store.add_officer(by.id, &new, &now)?;
            eprintln!("{} ({}) added as {}", o.name, o.login, o.role);
        }
        OfficerWhat::Disable { login } => {
            let o = store.disable_officer(by.id, &login, &now)?;
            eprintln!("{} ({}) disabled", o.name, o.login);
        }
        OfficerWhat::SetPin { login, pin_file } => {
            let whose = login.unwrap_or_else(|| by.login.clone());
            let pin = read_new_pin(pin_file.as_deref(), &format!("new PIN for {whose}"))?;
            store.set_pin(by.id, &whose, &pin, &now)?;
            eprintln!("the PIN of {whose} is set");
        }
        OfficerWhat::List => unreachable!("answered above"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The first admin of a store that has no officers, asked for on the
/// terminal; returns their login.
pub fn first_admin_on_terminal(
    store: &mut Store,
    login: Option<&str>,
    today: chrono::NaiveDate,
) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "{}: this store has no officers yet; make its first admin with `zhixing init` on a new store",
            store.path().display()
        );
    }
    eprintln!(
        "{}: this store has no officers yet. Its first officer is its admin, who adds the others.",
        store.path().display()
    );
    let login = match login {
        Some(l) => l.to_string(),
        None => ask("Admin's login (letters, digits, . - _)")?,
    };
    let name = ask("Admin's full name")?;
    let pin = read_new_pin(None, &format!("PIN for {login}"))?;
    let admin = NewOfficer {
        login: &login,
        name: &name,
        role: Role::Admin,
        pin: &pin,
    };
    store.create_first_admin(&admin, &now_on(today))?;
    Ok(login)
}

fn ask(prompt: &str) -> anyhow::Result<String> {
    eprint!("{prompt}: ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim().to_string())
}

/// A PIN from the first line of a file, or typed twice on the terminal
/// (not echoed).
fn read_new_pin(file: Option<&Path>, prompt: &str) -> anyhow::Result<String> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the PIN file {}", file.display()))?;
        return Ok(text.lines().next().unwrap_or("").to_string());
    }
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the PIN on: give --pin-file FILE");
    }
    let first = rpassword::prompt_password(format!("{prompt}: "))?;
    let again = rpassword::prompt_password(format!("{prompt} again: "))?;
    if first != again {
        bail!("the two PINs differ; nothing was changed");
    }
    Ok(first)
}
