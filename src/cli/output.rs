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
    // A control character never reaches a terminal or a spreadsheet (an escape sequence could clear the screen or
    // fake a line): each becomes U+FFFD.
    let clean: String = text.chars().map(|c| if c.is_control() && c != '\n' { '\u{fffd}' } else { c }).collect();
    // A cell a spreadsheet would run as a formula is written as text, behind an apostrophe (OWASP, CSV injection).
    let clean = if clean.starts_with(['=', '+', '-', '@']) { format!("'{clean}") } else { clean };
    if clean.contains([',', '"', '\n']) { format!("\"{}\"", clean.replace('"', "\"\"")) } else { clean }
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
