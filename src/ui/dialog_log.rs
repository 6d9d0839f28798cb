//! Library messages reach the user: a logger that prints the warnings and errors of the libraries under the app
//! (the file dialogs, the renderer) to standard error, and keeps the last error so the app can say why a file
//! dialog gave nothing (no desktop portal, no zenity) instead of staying silent.

use std::io::Write;
use std::sync::Mutex;

static LAST_ERROR: Mutex<Option<String>> = Mutex::new(None);

struct Logger;

impl log::Log for Logger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let message = record.args().to_string();
        let _ = writeln!(
            std::io::stderr().lock(),
            "perfusion-trainer: {} ({}): {message}",
            record.level(),
            record.target()
        );
        if record.level() == log::Level::Error
            && let Ok(mut last) = LAST_ERROR.lock()
        {
            *last = Some(message);
        }
    }

    fn flush(&self) {}
}

/// Installs the logger (once; a second call changes nothing).
pub fn install() {
    if log::set_logger(&Logger).is_ok() {
        log::set_max_level(log::LevelFilter::Warn);
    }
}

/// The last error a library logged since the last call, taken.
pub fn take_error() -> Option<String> {
    LAST_ERROR.lock().ok().and_then(|mut last| last.take())
}
