//! Writing to the terminal: results to stdout, diagnostics to stderr, JSON pretty-printed. A closed pipe
//! (`| head`) is not an error worth a panic, so write failures are ignored.

use crate::input::Diagnostics;
use std::io::Write;

pub fn text(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

pub fn error(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

pub fn diagnostics(diagnostics: &Diagnostics) {
    error(&diagnostics.to_string());
}

pub fn json(value: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut out, value);
    let _ = writeln!(out);
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// Text (CSV, HTML) to a file (atomically) or to standard output.
pub fn to_file_or_stdout(text: &str, path: Option<&std::path::Path>) -> std::io::Result<()> {
    match path {
        Some(path) => crate::atomic_write::write(path, text.as_bytes()),
        None => {
            self::text(text);
            Ok(())
        }
    }
}
