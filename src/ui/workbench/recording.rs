//! Keeping the attempt safe while the trainee works: the attempt's clock (seconds since it began, from the time
//! egui gives each frame, because the core never reads a clock; a test harness steps it frame by frame), where
//! Save writes, what has been saved, and the autosave every 30 s. What is in the attempt is the session's.

use crate::session::Session;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Work is autosaved at least this often.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);

pub struct Recording {
    /// The attempt's clock when this recording took it over, s.
    resumed_at_s: f64,
    /// The frame time (egui's `input.time`) at the first frame since, s.
    first_frame_s: Option<f64>,
    /// The attempt's clock at the last frame, s.
    now_s: f64,
    /// Where Save writes; `None` until the first Save As.
    pub path: Option<PathBuf>,
    /// The session's change count at the last explicit save, and at the last autosave.
    saved: u64,
    autosaved: u64,
    last_autosave: Instant,
}

impl Recording {
    /// Goes on with `session`: its clock continues from where its attempt ended.
    pub fn resume(session: &Session, path: Option<PathBuf>) -> Self {
        let now = Instant::now();
        Self {
            resumed_at_s: session.clock_s(),
            first_frame_s: None,
            now_s: session.clock_s(),
            path,
            saved: session.changes(),
            autosaved: session.changes(),
            last_autosave: now,
        }
    }

    /// Work that exists nowhere but in the autosave (a recovered attempt): unsaved until saved.
    pub fn mark_unsaved(&mut self) {
        self.saved = u64::MAX;
    }

    /// The attempt's clock at a frame whose time (egui's `input.time`) is `frame_time_s`: it goes on from where
    /// the attempt was taken over.
    pub fn tick(&mut self, frame_time_s: f64) -> f64 {
        let first = *self.first_frame_s.get_or_insert(frame_time_s);
        self.now_s = self.now_s.max(self.resumed_at_s + (frame_time_s - first));
        self.now_s
    }

    /// The attempt's clock at the last frame, s.
    pub fn now_s(&self) -> f64 {
        self.now_s
    }

    pub fn unsaved(&self, session: &Session) -> bool {
        session.changes() != self.saved
    }

    /// Saves to `path` (atomically) and remembers it for the next Save.
    pub fn save(&mut self, path: &Path, session: &Session) -> std::io::Result<()> {
        crate::attempt::save(path, &session.attempt())?;
        self.path = Some(path.to_path_buf());
        self.saved = session.changes();
        Ok(())
    }

    /// Whether an autosave is due: something new, and the interval has passed (or `force`).
    pub fn autosave_due(&self, session: &Session, force: bool) -> bool {
        session.changes() != self.autosaved && (force || self.last_autosave.elapsed() >= AUTOSAVE_EVERY)
    }

    /// How long until the pending autosave is due (`None`: nothing to save): the app wakes itself then, since an
    /// idle window draws no frames.
    pub fn autosave_in(&self, session: &Session) -> Option<Duration> {
        (session.changes() != self.autosaved).then(|| AUTOSAVE_EVERY.saturating_sub(self.last_autosave.elapsed()))
    }

    pub fn autosave(&mut self, path: &Path, session: &Session) -> std::io::Result<()> {
        crate::attempt::save(path, &session.attempt())?;
        self.autosaved = session.changes();
        self.last_autosave = Instant::now();
        Ok(())
    }
}
