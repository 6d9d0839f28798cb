//! Writing a file so that readers see the old content or the new, never a torn mix: write a temporary file in
//! the same directory, flush it to disk, then rename it over the target. A link is written through (the file it
//! points to is replaced, the link stays); a target that is not a regular file (a folder, a device, a FIFO) is
//! refused, never replaced; a file that was there keeps its permissions, a new one gets the usual ones (0666 less
//! the umask). Errors name the user's path, not the temporary file's.

use std::io::{Error, ErrorKind, Write};
use std::path::{Path, PathBuf};

pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let named = |kind: ErrorKind, what: &str| Error::new(kind, format!("{}: {what}", path.display()));
    let target = resolve(path).map_err(|e| named(e.kind(), &e.to_string()))?;
    let existing = match std::fs::metadata(&target) {
        Ok(metadata) if !metadata.is_file() => {
            return Err(named(
                ErrorKind::InvalidInput,
                "not a regular file (a folder, a device or a FIFO): give the path of a file to write",
            ));
        }
        Ok(metadata) => Some(metadata.permissions()),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(named(e.kind(), &e.to_string())),
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // The system's own words for what failed, without the temporary file's path a wrapped error carries.
    let fail = |e: Error| {
        let words =
            e.raw_os_error().map_or_else(|| e.kind().to_string(), |code| Error::from_raw_os_error(code).to_string());
        named(e.kind(), &words)
    };
    if !dir.is_dir() {
        return Err(named(ErrorKind::NotFound, &format!("the folder {} does not exist", dir.display())));
    }
    let mut builder = tempfile::Builder::new();
    // Created with 0666, which the umask narrows as for any new file (not the 0600 of a temporary file).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(&dir).map_err(fail)?;
    temp.write_all(bytes).map_err(fail)?;
    if let Some(permissions) = existing {
        temp.as_file().set_permissions(permissions).map_err(fail)?;
    }
    temp.as_file().sync_all().map_err(fail)?;
    temp.persist(&target).map_err(|error| fail(error.error))?;
    // The rename itself is durable only once the directory entry is on disk; not every platform can open a
    // directory, so a failure here is not an error of the write.
    if let Ok(dir) = std::fs::File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The file a write to `path` lands in: `path`, or the file its link (or chain of links) points to.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut target = path.to_path_buf();
    // A bounded walk: a loop of links is refused, as the system does (ELOOP after 40).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&target) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = std::fs::read_link(&target)?;
                target = match target.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(target),
        }
    }
    Err(Error::new(ErrorKind::InvalidInput, "a loop of links"))
}
