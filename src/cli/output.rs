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
