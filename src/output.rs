//! Output files a reader never sees half of: written to a temporary file
//! beside the target and renamed; or stdout.

use anyhow::Context;
use std::io::{BufWriter, ErrorKind, Write};
use std::path::Path;

pub fn write_atomically<T>(
    path: Option<&Path>,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> anyhow::Result<T> {
    let Some(path) = path else {
        let stdout = std::io::stdout();
        let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
        let value = body(&mut out)?;
        out.flush()?;
        return Ok(value);
    };
    let tmp = temporary_beside(path)?;
    let mut out = BufWriter::with_capacity(1 << 16, tmp);
    let value = body(&mut out)?;
    let tmp = out.into_inner().map_err(|e| e.into_error())?;
    seal(&tmp)?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(value)
}

/// A temporary file in `path`'s folder, to be renamed to `path` once whole.
pub fn temporary_beside(path: &Path) -> anyhow::Result<tempfile::NamedTempFile> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    tempfile::NamedTempFile::new_in(folder).map_err(|e| {
        anyhow::anyhow!(
            "cannot write {}: {}",
            path.display(),
            folder_problem(folder, &e)
        )
    })
}

/// Why no file can be made in `folder`, without the temporary file's name
/// (which the clerk never asked for).
fn folder_problem(folder: &Path, e: &std::io::Error) -> String {
    let folder = folder.display();
    match e.kind() {
        ErrorKind::NotFound => format!("the folder {folder} does not exist"),
        ErrorKind::PermissionDenied => format!("no permission to write in {folder}"),
        kind => format!(
            "cannot make a file in {folder} ({})",
            std::io::Error::from(kind)
        ),
    }
}

/// On disk and readable like any output file (a temporary file is 0600).
pub fn seal(tmp: &tempfile::NamedTempFile) -> std::io::Result<()> {
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}
