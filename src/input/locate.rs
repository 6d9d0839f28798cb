//! Where each field of a RON text sits, so a problem found after parsing (a weight of 700 kg, an unknown part id)
//! or reported by the parser at a position can be given as `line:col` and a field path (`kit[2].part`).
//!
//! A small tokenizer of its own: ron's parser does not keep positions in the values it produces. It never
//! recurses and stops descending past `MAX_DEPTH`, so hostile nesting costs linear time and bounded memory.

/// A 1-based line and column (columns in characters, as ron counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub col: usize,
}

/// Deeper structure than this is never needed by our formats; the parser refuses it anyway.
pub const MAX_DEPTH: usize = 64;

/// The field paths of a RON text with the position where each starts (and where each struct or list ends).
#[derive(Debug, Default)]
pub struct PathMap {
    /// In text order.
    entries: Vec<(Position, String)>,
}

impl PathMap {
    pub fn new(text: &str) -> Self {
        Builder::default().run(text)
    }

    /// The path of the innermost field whose text starts at or before `at`.
    pub fn path_at(&self, at: Position) -> &str {
        let index = self.entries.partition_point(|(pos, _)| *pos <= at);
        match index.checked_sub(1).and_then(|i| self.entries.get(i)) {
            Some((_, path)) => path,
            None => "",
        }
    }

    /// Where `path` starts; for a path not written in the file (a field left out), where its nearest written
    /// ancestor starts.
    pub fn position_of(&self, path: &str) -> Position {
        let mut wanted = path;
        loop {
            if let Some((pos, _)) = self.entries.iter().find(|(_, p)| p == wanted) {
                return *pos;
            }
            match parent_path(wanted) {
                Some(parent) => wanted = parent,
                None => return Position { line: 1, col: 1 },
            }
        }
    }
}

/// `kit[2].part` → `kit[2]` → `kit` → none.
pub fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

#[derive(Debug)]
struct Frame {
    close: char,
    path: String,
    field: Option<String>,
    index: usize,
    element_started: bool,
}

#[derive(Default)]
struct Builder {
    entries: Vec<(Position, String)>,
    stack: Vec<Frame>,
    /// Depth reached beyond MAX_DEPTH: brackets are counted, not tracked.
    overflow: usize,
}

#[derive(Debug, PartialEq)]
enum Token {
    Open(char),
    Close,
    Comma,
    Colon,
    /// An identifier, number or string (strings keep their quotes stripped).
    Word(String),
    Other,
}

impl Builder {
    fn run(mut self, text: &str) -> PathMap {
        let tokens = tokenize(text);
        let mut i = 0;
        while let Some((pos, token)) = tokens.get(i) {
            let next_is_colon = matches!(tokens.get(i + 1), Some((_, Token::Colon)));
            self.element_start(*pos, token);
            match token {
                Token::Word(word) if next_is_colon => self.key(*pos, word),
                Token::Open(close) => self.open(*pos, *close),
                Token::Close => self.close(*pos),
                Token::Comma => self.comma(),
                _ => {}
            }
            i += 1;
        }
        PathMap { entries: self.entries }
    }

    /// The first token of a list element records where the element starts.
    fn element_start(&mut self, pos: Position, token: &Token) {
        if self.overflow > 0 || matches!(token, Token::Close | Token::Comma) {
            return;
        }
        if let Some(frame) = self.stack.last_mut()
            && frame.close == ']'
            && !frame.element_started
        {
            frame.element_started = true;
            let path = format!("{}[{}]", frame.path, frame.index);
            self.entries.push((pos, path));
        }
    }

    fn key(&mut self, pos: Position, name: &str) {
        if self.overflow > 0 {
            return;
        }
        if let Some(frame) = self.stack.last_mut()
            && frame.close != ']'
        {
            frame.field = Some(name.to_owned());
            let path = join(&frame.path, name);
            self.entries.push((pos, path));
        }
    }

    fn value_path(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(frame) if frame.close == ']' => format!("{}[{}]", frame.path, frame.index),
            Some(frame) => match &frame.field {
                Some(field) => join(&frame.path, field),
                None => frame.path.clone(),
            },
        }
    }

    fn open(&mut self, pos: Position, close: char) {
        if self.overflow > 0 || self.stack.len() >= MAX_DEPTH {
            self.overflow += 1;
            return;
        }
        let path = self.value_path();
        if self.stack.is_empty() {
            // The top-level value has no key; its opening bracket is where it starts.
            self.entries.push((pos, path.clone()));
        }
        self.stack.push(Frame { close, path, field: None, index: 0, element_started: false });
    }

    fn close(&mut self, pos: Position) {
        if self.overflow > 0 {
            self.overflow -= 1;
            return;
        }
        if let Some(frame) = self.stack.pop() {
            self.entries.push((pos, frame.path));
        }
    }

    fn comma(&mut self) {
        if self.overflow > 0 {
            return;
        }
        if let Some(frame) = self.stack.last_mut() {
            frame.index += 1;
            frame.field = None;
            frame.element_started = false;
        }
    }
}

fn join(parent: &str, field: &str) -> String {
    if parent.is_empty() { field.to_owned() } else { format!("{parent}.{field}") }
}

/// Splits RON text into the tokens that matter for paths, skipping whitespace and comments.
fn tokenize(text: &str) -> Vec<(Position, Token)> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut cursor = Cursor { chars: &chars, i: 0, line: 1, col: 1 };
    while let Some(c) = cursor.peek(0) {
        let pos = Position { line: cursor.line, col: cursor.col };
        match c {
            c if c.is_whitespace() => cursor.bump(),
            '/' if cursor.peek(1) == Some('/') => {
                while cursor.peek(0).is_some_and(|c| c != '\n') {
                    cursor.bump();
                }
            }
            '/' if cursor.peek(1) == Some('*') => cursor.skip_block_comment(),
            '(' | '[' | '{' => {
                cursor.bump();
                let close = match c {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                tokens.push((pos, Token::Open(close)));
            }
            ')' | ']' | '}' => {
                cursor.bump();
                tokens.push((pos, Token::Close));
            }
            ',' => {
                cursor.bump();
                tokens.push((pos, Token::Comma));
            }
            ':' => {
                cursor.bump();
                tokens.push((pos, Token::Colon));
            }
            '"' => tokens.push((pos, Token::Word(cursor.string()))),
            'r' if matches!(cursor.peek(1), Some('"' | '#')) => tokens.push((pos, Token::Word(cursor.raw_string()))),
            '\'' => {
                cursor.bump();
                while cursor.peek(0).is_some_and(|c| c != '\'' && c != '\n') {
                    if cursor.peek(0) == Some('\\') {
                        cursor.bump();
                    }
                    cursor.bump();
                }
                cursor.bump();
                tokens.push((pos, Token::Other));
            }
            c if is_word_char(c) => {
                let mut word = String::new();
                while let Some(c) = cursor.peek(0).filter(|c| is_word_char(*c)) {
                    word.push(c);
                    cursor.bump();
                }
                tokens.push((pos, Token::Word(word)));
            }
            _ => {
                cursor.bump();
                tokens.push((pos, Token::Other));
            }
        }
    }
    tokens
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '+' | '-' | '.' | '#')
}

struct Cursor<'a> {
    chars: &'a [char],
    i: usize,
    line: usize,
    col: usize,
}

impl Cursor<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).copied()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek(0) {
            self.i += 1;
            if c == '\n' {
                self.line += 1;
                self.col = 1;
            } else {
                self.col += 1;
            }
        }
    }

    fn skip_block_comment(&mut self) {
        // RON block comments nest.
        let mut depth = 0usize;
        while let Some(c) = self.peek(0) {
            if c == '/' && self.peek(1) == Some('*') {
                depth += 1;
                self.bump();
            } else if c == '*' && self.peek(1) == Some('/') {
                depth -= 1;
                self.bump();
                if depth == 0 {
                    self.bump();
                    return;
                }
            }
            self.bump();
        }
    }

    fn string(&mut self) -> String {
        let mut text = String::new();
        self.bump();
        while let Some(c) = self.peek(0) {
            self.bump();
            match c {
                '"' => break,
                '\\' => {
                    if let Some(escaped) = self.peek(0) {
                        text.push(escaped);
                        self.bump();
                    }
                }
                c => text.push(c),
            }
        }
        text
    }

    fn raw_string(&mut self) -> String {
        self.bump(); // r
        let mut hashes = 0;
        while self.peek(0) == Some('#') {
            hashes += 1;
            self.bump();
        }
        self.bump(); // opening quote
        let mut text = String::new();
        while let Some(c) = self.peek(0) {
            if c == '"' && (1..=hashes).all(|k| self.peek(k) == Some('#')) {
                for _ in 0..=hashes {
                    self.bump();
                }
                break;
            }
            text.push(c);
            self.bump();
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"// a comment (with brackets]
Scenario(
    version: 1,
    patient: (
        age: Years(65.0),
        weight_kg: 80.0, /* nested /* comment */ here */
    ),
    kit: [
        (part: "roller_pump_1_2", count: 2),
        (part: "tubing_3_8", length_m: 6.0),
    ],
    title: "a \" quoted ( string",
)
"#;

    #[test]
    fn finds_fields_and_list_elements() {
        let map = PathMap::new(TEXT);
        assert_eq!(map.position_of("version"), Position { line: 3, col: 5 });
        assert_eq!(map.position_of("patient.weight_kg"), Position { line: 6, col: 9 });
        assert_eq!(map.position_of("kit[1]"), Position { line: 10, col: 9 });
        assert_eq!(map.position_of("kit[1].length_m"), Position { line: 10, col: 30 });
        assert_eq!(map.position_of("title"), Position { line: 12, col: 5 });
    }

    #[test]
    fn a_missing_field_points_at_its_parent() {
        let map = PathMap::new(TEXT);
        assert_eq!(map.position_of("patient.height_cm"), map.position_of("patient"));
        // The top-level value starts at its opening bracket, after the comment line.
        assert_eq!(map.position_of("nowhere.at.all"), Position { line: 2, col: 9 });
    }

    #[test]
    fn path_at_a_position() {
        let map = PathMap::new(TEXT);
        assert_eq!(map.path_at(Position { line: 6, col: 20 }), "patient.weight_kg");
        assert_eq!(map.path_at(Position { line: 9, col: 42 }), "kit[0].count");
        assert_eq!(map.path_at(Position { line: 7, col: 5 }), "patient");
        assert_eq!(map.path_at(Position { line: 1, col: 1 }), "");
    }

    #[test]
    fn hostile_nesting_is_linear_and_bounded() {
        let text = "[".repeat(100_000);
        let map = PathMap::new(&text);
        assert!(map.entries.len() <= MAX_DEPTH + 1);
    }

    #[test]
    fn parent_paths() {
        assert_eq!(parent_path("kit[2].part"), Some("kit[2]"));
        assert_eq!(parent_path("kit[2]"), Some("kit"));
        assert_eq!(parent_path("kit"), Some(""));
        assert_eq!(parent_path(""), None);
    }
}
