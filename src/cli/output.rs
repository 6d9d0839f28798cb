//! Writing to the terminal: results to stdout, diagnostics to stderr, JSON pretty-printed. A closed pipe
//! (`| head`) is not an error worth a panic, so write failures are ignored.

use crate::input::Diagnostics;
use std::io::Write;

pub fn text(text: &str) {
    let _ = std::io::stdout().lock().write_all(terminal_safe(text).as_bytes());
}

pub fn error(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", terminal_safe(text));
}

pub fn diagnostics(diagnostics: &Diagnostics) {
    error(&diagnostics.to_string());
}

pub fn json(value: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer_pretty(&mut out, value);
    let _ = writeln!(out);
}

/// Rows of cells as CSV text, by the `csv` crate (quoting as RFC 4180 needs). Every cell is made safe first: a
/// control character never reaches a terminal or a spreadsheet (an escape sequence could clear the screen or fake a
/// line; each becomes U+FFFD), and a cell a spreadsheet would run as a formula is written as text, behind an
/// apostrophe (OWASP, CSV injection).
pub fn csv(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = ::csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail.
        let _ = writer.write_record(row.iter().map(|cell| safe_cell(cell)));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn safe_cell(text: &str) -> String {
    let clean = crate::input::printable(text, &['\n']);
    // A number (a negative flow) is data, not a formula: only text is neutralised.
    let formula = clean.starts_with(['=', '+', '-', '@']) && clean.parse::<f64>().is_err();
    if formula { format!("'{clean}") } else { clean }
}

/// Text from files, made safe for a terminal: control characters (an escape sequence, a bell) become U+FFFD; line
/// breaks and tabs stay.
pub fn terminal_safe(text: &str) -> String {
    crate::input::printable(text, &['\n', '\t'])
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
