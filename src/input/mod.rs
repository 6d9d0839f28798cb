//! Untrusted input files (catalog, scenarios, circuits): read with a size limit, decode as UTF-8, parse as RON,
//! and turn every failure into a `Diagnostic` that names the file, line, column and field.
//!
//! Nothing here panics or hangs on hostile bytes: sizes are checked before reading, nesting is bounded by ron's
//! recursion limit, and the path map never recurses.

pub mod bounded;
mod diagnostic;
mod locate;

pub use diagnostic::{Diagnostic, Diagnostics, nearest, nearest_hint};
pub use locate::{PathMap, Position};

use serde::de::DeserializeOwned;
use std::io::Read;
use std::path::Path;

/// Largest file a person writes that any loader accepts, bytes. The biggest bundled file is well under 100 KiB;
/// 1 MiB leaves ten times that for a large catalog or an elaborate circuit while refusing a mistaken or hostile file
/// before it is read, and keeps what loading costs small (a 1 MiB file of tiny entries takes some tens of MiB).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Largest attempt file, bytes: attempts are written by the program and carry a trend row every 10 s of model time;
/// the longest a log may describe (8 h of model time, `session::MAX_MODEL_S`) takes about 1.8 MB, so 16 MiB leaves
/// room for a log of every allowed action and a day of alarms while keeping what a hostile file costs small.
pub const MAX_ATTEMPT_BYTES: u64 = 16 * 1024 * 1024;

/// Deepest nesting ron may parse; our formats need about eight levels.
const RECURSION_LIMIT: usize = 48;

/// A text file in memory with the name it is reported under.
pub struct Source {
    pub name: String,
    pub text: String,
    map: std::sync::OnceLock<PathMap>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self { name: name.into(), text: text.into(), map: std::sync::OnceLock::new() }
    }

    /// Reads a file, refusing one over `MAX_FILE_BYTES` before reading it and one that is not UTF-8.
    pub fn read(path: &Path) -> Result<Self, Diagnostics> {
        Self::read_at_most(path, MAX_FILE_BYTES)
    }

    /// Reads a file as `read` does, with `max_bytes` as the limit.
    pub fn read_at_most(path: &Path, max_bytes: u64) -> Result<Self, Diagnostics> {
        let name = path.display().to_string();
        let whole_file = |message: String, hint: &str| Diagnostic {
            file: name.clone(),
            line: 0,
            col: 0,
            field: String::new(),
            message,
            hint: Some(hint.to_owned()),
        };
        // Opening a FIFO waits for a writer for ever, and a device or a folder is no file to read: only a regular
        // file (or a link to one) is opened.
        match std::fs::metadata(path) {
            Ok(metadata) if !metadata.is_file() => {
                let what =
                    if metadata.is_dir() { "a folder" } else { "not a regular file (a FIFO, a socket or a device)" };
                return Err(whole_file(format!("cannot read: {what}"), "give the path of a file").into());
            }
            _ => {}
        }
        let file = std::fs::File::open(path)
            .map_err(|e| whole_file(format!("cannot open: {e}"), "check the path and the file's permissions"))?;
        // The metadata may lie (a pipe, /dev/zero), so the read itself is capped too.
        let mut bytes = Vec::new();
        file.take(max_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| whole_file(format!("cannot read: {e}"), "check the file is a regular, readable file"))?;
        Self::from_bytes_at_most(name, bytes, max_bytes)
    }

    /// Decodes bytes already in memory, with the same checks as `read`.
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<Self, Diagnostics> {
        Self::from_bytes_at_most(name, bytes, MAX_FILE_BYTES)
    }

    fn from_bytes_at_most(name: String, bytes: Vec<u8>, max_bytes: u64) -> Result<Self, Diagnostics> {
        if bytes.len() as u64 > max_bytes {
            // Refused as a whole, before parsing: the location is the start of the file.
            return Err(Diagnostic {
                file: name,
                line: 1,
                col: 1,
                field: String::new(),
                message: format!("file is larger than the {} MiB limit", max_bytes / (1024 * 1024)),
                hint: Some("is this the right file? scenarios and circuits are a few kilobytes".to_owned()),
            }
            .into());
        }
        match String::from_utf8(bytes) {
            // A byte-order mark (Windows editors write one) is not part of the text.
            Ok(text) => {
                let text = match text.strip_prefix('\u{feff}') {
                    Some(rest) => rest.to_owned(),
                    None => text,
                };
                Ok(Self::new(name, text))
            }
            Err(error) => {
                let valid = error.utf8_error().valid_up_to();
                let prefix = String::from_utf8_lossy(error.as_bytes().get(..valid).unwrap_or_default());
                let at = end_position(&prefix);
                Err(Diagnostic {
                    file: name,
                    line: at.line,
                    col: at.col,
                    field: String::new(),
                    message: "the file is not valid UTF-8 text".to_owned(),
                    hint: Some("save it as UTF-8 in a text editor".to_owned()),
                }
                .into())
            }
        }
    }

    pub fn paths(&self) -> &PathMap {
        self.map.get_or_init(|| PathMap::new(&self.text))
    }

    /// A diagnostic for a field of this file (found after parsing): located where the field is written.
    pub fn at_field(&self, field: &str, message: impl Into<String>, hint: Option<String>) -> Diagnostic {
        let pos = self.paths().position_of(field);
        Diagnostic {
            file: self.name.clone(),
            line: pos.line,
            col: pos.col,
            field: field.to_owned(),
            message: message.into(),
            hint,
        }
    }

    /// The first identifier of the file (`Scenario`, `Circuit`, `Catalog`), skipping comments: how the CLI tells
    /// the kinds of file apart.
    pub fn header(&self) -> Option<&str> {
        let rest = skip_blank(&self.text);
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let word = rest.get(..end)?;
        (!word.is_empty()).then_some(word)
    }

    /// Parses the whole text as `T`; a syntax or type error becomes one diagnostic with its position and field.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostics> {
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .with_recursion_limit(RECURSION_LIMIT);
        options.from_str::<T>(&self.text).map_err(|error| self.ron_error(&error).into())
    }

    fn ron_error(&self, error: &ron::error::SpannedError) -> Diagnostic {
        use ron::error::Error as E;
        let at = Position { line: error.span.start.line, col: error.span.start.col };
        let end = Position { line: error.span.end.line, col: error.span.end.col };
        let mut field = self.paths().path_at(at).to_owned();
        let (message, hint) = match &error.code {
            E::NoSuchStructField { expected, found, .. } => {
                // The span covers the unknown name; the path map points at the name itself.
                field = self.paths().path_at(end).to_owned();
                (format!("unknown field `{found}`"), Some(nearest_hint(found, expected.iter().copied())))
            }
            E::MissingStructField { field: missing, .. } => {
                field = join(&field, missing);
                (format!("missing field `{missing}`"), Some("add it; docs/ lists every field with its unit".to_owned()))
            }
            E::DuplicateStructField { field: twice, .. } => {
                (format!("field `{twice}` is written twice"), Some("keep one of them".to_owned()))
            }
            E::NoSuchEnumVariant { expected, found, .. } => {
                (format!("unknown value `{found}`"), Some(nearest_hint(found, expected.iter().copied())))
            }
            E::ExpectedDifferentStructName { expected, found } => (
                format!("this file is a `{found}` file, not a `{expected}` file"),
                Some(format!("open it as a {found}, or start the file with `{expected}(`")),
            ),
            E::Eof => (
                "the file ends before the value is complete".to_owned(),
                Some("is it truncated? check that every `(` and `[` is closed".to_owned()),
            ),
            E::ExceededRecursionLimit => (
                format!("nesting is deeper than {RECURSION_LIMIT} levels"),
                Some("our formats need far fewer; check for runaway brackets".to_owned()),
            ),
            E::ExpectedFloat => ("expected a number".to_owned(), Some("write numbers like 80.0".to_owned())),
            E::ExpectedInteger => {
                ("expected a whole number".to_owned(), Some("write it without a decimal point, like 2".to_owned()))
            }
            E::IntegerOutOfBounds => (
                "this whole number is out of range (negative, or too large)".to_owned(),
                Some("write a count from 0 up, without a decimal point, like 2".to_owned()),
            ),
            // `(name: "min_drop_cm", value: 30.0)` where the format wants the pair `("min_drop_cm", 30.0)`.
            E::ExpectedString if field.contains(".params[") => (
                "a rule parameter is a pair of its name and its value".to_owned(),
                Some("write it as (\"name\", value), like (\"min_drop_cm\", 30.0)".to_owned()),
            ),
            E::ExpectedString => {
                ("expected text in double quotes".to_owned(), Some("write it like \"text\"".to_owned()))
            }
            E::ExpectedBoolean => ("expected true or false".to_owned(), None),
            E::TrailingCharacters => (
                "unexpected text after the end of the value".to_owned(),
                Some("remove it, or check for a closing bracket too many".to_owned()),
            ),
            E::ExpectedComma if self.unit_with_parentheses(at).is_some() => {
                let name = self.unit_with_parentheses(at).unwrap_or_default();
                (
                    format!("`{name}` takes no fields"),
                    Some(format!("write the bare word `{name}`, without parentheses")),
                )
            }
            E::ExpectedStructLike => match self.identifier_before(end, "") {
                Some(name) => (
                    format!("`{name}` takes fields"),
                    Some(format!("write `{name}(...)` with its fields (docs/ lists them with their units)")),
                ),
                None => ("expected an opening `(`".to_owned(), None),
            },
            other => (other.to_string(), None),
        };
        // A string or comment left open runs to the end of the file, so it reads like a truncation.
        let unclosed = matches!(error.code, E::ExpectedStringEnd | E::UnclosedBlockComment | E::UnclosedLineComment);
        let (message, hint) = if !matches!(error.code, E::Eof) && (unclosed || self.ends_by(at) || self.ends_by(end)) {
            (
                format!("the file ends before the value is complete: {message}"),
                Some("is it truncated? check that every `(`, `[` and `\"` is closed".to_owned()),
            )
        } else {
            (message, hint)
        };
        Diagnostic { file: self.name.clone(), line: at.line, col: at.col, field, message, hint }
    }
}

impl Source {
    /// The identifier that ends just before `at`, followed by `then` (`Name(` before an error at its `)`).
    fn identifier_before(&self, at: Position, then: &str) -> Option<String> {
        let offset = offset_of(&self.text, at)?;
        let before = self.text.get(..offset)?.trim_end();
        let before = before.strip_suffix(then)?.trim_end();
        let start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
        let name = before.get(start..)?;
        (!name.is_empty() && name.starts_with(|c: char| c.is_ascii_uppercase())).then(|| name.to_owned())
    }

    /// The name of a value written `Name()` where the parser stopped at its `(`: a value that takes no fields.
    fn unit_with_parentheses(&self, at: Position) -> Option<String> {
        let offset = offset_of(&self.text, at)?;
        let rest = self.text.get(offset..)?;
        if !rest.starts_with('(') || !rest.get(1..)?.trim_start().starts_with(')') {
            return None;
        }
        self.identifier_before(at, "")
    }

    /// Whether nothing but whitespace and comments follows `at`: an error there means the text stopped early.
    fn ends_by(&self, at: Position) -> bool {
        let Some(offset) = offset_of(&self.text, at) else { return true };
        skip_blank(self.text.get(offset..).unwrap_or_default()).is_empty()
    }
}

/// `text` after leading whitespace, comments and `#![enable(...)]` attributes.
fn skip_blank(text: &str) -> &str {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.split_once('\n').map_or("", |(_, tail)| tail);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, tail)| tail);
        } else if rest.starts_with("#![") {
            rest = rest.split_once(']').map_or("", |(_, tail)| tail);
        } else {
            return rest;
        }
    }
}

/// Byte offset of a 1-based line and column (in characters); `None` past the end.
fn offset_of(text: &str, at: Position) -> Option<usize> {
    let line_start = if at.line <= 1 { 0 } else { text.match_indices('\n').nth(at.line - 2).map(|(i, _)| i + 1)? };
    let line = text.get(line_start..)?;
    let within = line.char_indices().nth(at.col.saturating_sub(1)).map_or(line.len(), |(i, _)| i);
    Some(line_start + within)
}

fn join(parent: &str, field: &str) -> String {
    if parent.is_empty() { field.to_owned() } else { format!("{parent}.{field}") }
}

fn end_position(text: &str) -> Position {
    let line = 1 + text.matches('\n').count();
    let col = 1 + text.rsplit('\n').next().map_or(0, |last| last.chars().count());
    Position { line, col }
}

/// Collects diagnostics about one source during a semantic check (ranges, ids), so that every problem is
/// reported at once rather than the first only.
pub struct Checker<'a> {
    pub source: &'a Source,
    pub diagnostics: Vec<Diagnostic>,
    /// Problems found past `MAX_DIAGNOSTICS`, counted, not listed.
    unlisted: usize,
}

/// The most problems listed for one file; the rest are counted ("and N more"): a file with thousands of bad entries
/// is as fixed by its first hundred.
pub const MAX_DIAGNOSTICS: usize = 100;

impl<'a> Checker<'a> {
    pub fn new(source: &'a Source) -> Self {
        Self { source, diagnostics: Vec::new(), unlisted: 0 }
    }

    /// Whether another error would still be listed: a hint that costs a search (the nearest name) is worth
    /// working out only then.
    pub fn listing(&self) -> bool {
        self.diagnostics.len() < MAX_DIAGNOSTICS
    }

    pub fn error(&mut self, field: &str, message: impl Into<String>, hint: Option<String>) {
        // Past the limit only the count grows: locating a diagnostic costs a search of the file.
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            self.unlisted += 1;
            return;
        }
        let diagnostic = self.source.at_field(field, message, hint);
        self.diagnostics.push(diagnostic);
    }

    /// Checks the file's format version; `Ok` only when it is the one this program reads.
    pub fn version(&mut self, found: u32, supported: u32, kind: &str) -> bool {
        if found == supported {
            return true;
        }
        self.error(
            "version",
            format!("{kind} format version {found} is not supported"),
            Some(format!("this program reads version {supported}")),
        );
        false
    }

    /// Checks that a number is finite and within `[min, max]`, reporting it with its unit otherwise.
    pub fn range(&mut self, field: &str, value: f64, min: f64, max: f64, unit: &str) -> bool {
        if value.is_finite() && value >= min && value <= max {
            return true;
        }
        // A fraction written as a percentage (min_hct: 35.0) is told the number to write.
        let share = if unit.contains("fraction") { Some("a fraction") } else { (unit == "ratio").then_some("a ratio") };
        let percentage = share.is_some() && value > max && (min..=max).contains(&(value / 100.0));
        let hint = if percentage {
            format!("{}, not a percentage: write {}", share.unwrap_or_default(), short(value / 100.0))
        } else {
            format!("write a value from {} to {}", short(min), short(max))
        };
        let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
        self.error(field, format!("{} is outside {}–{}{unit}", short(value), short(min), short(max)), Some(hint));
        false
    }

    pub fn finish<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.unlisted > 0 {
            let more = format!("and {} more problem(s) not listed", self.unlisted);
            self.diagnostics.push(Diagnostic {
                file: self.source.name.clone(),
                line: 0,
                col: 0,
                field: String::new(),
                message: more,
                hint: Some(format!("fix the first {MAX_DIAGNOSTICS} and check again")),
            });
        }
        if self.diagnostics.is_empty() { Ok(value) } else { Err(Diagnostics(self.diagnostics)) }
    }
}

/// Text from a file made safe to show: every control character (an escape sequence, a bell) but those in `keep`
/// becomes U+FFFD, so nothing a file holds can drive a terminal or hide in a report.
pub fn printable(text: &str, keep: &[char]) -> String {
    text.chars().map(|c| if c.is_control() && !keep.contains(&c) { '\u{fffd}' } else { c }).collect()
}

/// A number as a person reads it: as written for everyday sizes, in scientific notation for the very large or very
/// small (1e308, not 309 digits), "NaN" and "inf" as they are.
pub fn short(value: f64) -> String {
    let size = value.abs();
    if value.is_finite() && size != 0.0 && !(1e-4..1e7).contains(&size) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}
