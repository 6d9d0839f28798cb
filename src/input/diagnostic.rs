//! A problem found in an input file, located precisely enough for its author to fix it.

use std::fmt;

/// One problem in one file: `file:line:col: field: message (hint)`, the compiler convention, because the location
/// is the point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based; 0 when the problem is the file as a whole (it cannot be read, it is too large).
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    /// Dotted path of the field at fault (`patient.weight_kg`, `kit[2].part`); empty when no field applies.
    pub field: String,
    pub message: String,
    /// How to fix it, when we can say.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.file)?;
        if self.line > 0 {
            write!(f, "{}:{}:", self.line, self.col)?;
        }
        if !self.field.is_empty() {
            write!(f, " {}:", self.field)?;
        }
        write!(f, " {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Every problem found in one load; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

/// The names in `candidates` closest to `wanted`, best first, for "did you mean" hints.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(wanted, candidate), candidate))
        .filter(|(score, _)| *score > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

/// A hint naming the nearest valid names, or listing the valid names when none is near.
pub fn nearest_hint<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let near = nearest(wanted, candidates.clone());
    if near.is_empty() {
        let all: Vec<&str> = candidates.into_iter().collect();
        if all.len() <= 12 {
            format!("valid: {}", quoted(&all))
        } else {
            "no similar name; see the list in the documentation".to_owned()
        }
    } else {
        format!("nearest: {}", quoted(&near))
    }
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_follows_the_compiler_convention() {
        let diagnostic = Diagnostic {
            file: "scenarios/neonate.ron".into(),
            line: 14,
            col: 9,
            field: "patient.hct".into(),
            message: "45 is outside 0.10–0.65".into(),
            hint: Some("Hct is a fraction: write 0.45".into()),
        };
        assert_eq!(
            diagnostic.to_string(),
            "scenarios/neonate.ron:14:9: patient.hct: 45 is outside 0.10–0.65 (Hct is a fraction: write 0.45)"
        );
    }

    #[test]
    fn nearest_finds_a_typo() {
        let names = ["oxygenator_adult", "oxygenator_neonatal", "roller_pump_1_2"];
        assert_eq!(nearest("oxygenator_adlt", names)[0], "oxygenator_adult");
        assert!(nearest("zzzz", names).is_empty());
    }
}
