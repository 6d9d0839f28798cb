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
enum Token<'a> {
    Open(char),
    Close,
    Comma,
    Colon,
    /// An identifier, number or string, as written (a string without its quotes): only keys are read.
    Word(&'a str),
    Other,
}

impl Builder {
    fn run(mut self, text: &str) -> PathMap {
        // Tokens are read as they come (a file of a million tokens is never held as a list of them).
        let mut tokens = Tokens { text, i: 0, line: 1, col: 1 }.peekable();
        while let Some((pos, token)) = tokens.next() {
            let next_is_colon = matches!(tokens.peek(), Some((_, Token::Colon)));
            self.element_start(pos, &token);
            match token {
                Token::Word(word) if next_is_colon => self.key(pos, word),
                Token::Open(close) => self.open(pos, close),
                Token::Close => self.close(pos),
                Token::Comma => self.comma(),
                _ => {}
            }
        }
        self.entries.shrink_to_fit();
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

/// The tokens of RON text that matter for paths, in order, skipping whitespace and comments.
struct Tokens<'a> {
    text: &'a str,
    /// Byte offset of the next character.
    i: usize,
    line: usize,
    col: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (Position, Token<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let c = self.peek(0)?;
            let pos = Position { line: self.line, col: self.col };
            let single = |token| Some((pos, token));
            match c {
                c if c.is_whitespace() => self.bump(),
                '/' if self.peek(1) == Some('/') => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                '/' if self.peek(1) == Some('*') => self.skip_block_comment(),
                '(' | '[' | '{' => {
                    self.bump();
                    return single(Token::Open(match c {
                        '(' => ')',
                        '[' => ']',
                        _ => '}',
                    }));
                }
                ')' | ']' | '}' => {
                    self.bump();
                    return single(Token::Close);
                }
                ',' => {
                    self.bump();
                    return single(Token::Comma);
                }
                ':' => {
                    self.bump();
                    return single(Token::Colon);
                }
                '"' => return single(Token::Word(self.string())),
                'r' if matches!(self.peek(1), Some('"' | '#')) => return single(Token::Word(self.raw_string())),
                '\'' => {
                    self.bump();
                    while self.peek(0).is_some_and(|c| c != '\'' && c != '\n') {
                        if self.peek(0) == Some('\\') {
                            self.bump();
                        }
                        self.bump();
                    }
                    self.bump();
                    return single(Token::Other);
                }
                c if is_word_char(c) => {
                    let start = self.i;
                    while self.peek(0).is_some_and(is_word_char) {
                        self.bump();
                    }
                    return single(Token::Word(&self.text[start..self.i]));
                }
                _ => {
                    self.bump();
                    return single(Token::Other);
                }
            }
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '+' | '-' | '.' | '#')
}

impl<'a> Tokens<'a> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.text.get(self.i..)?.chars().nth(ahead)
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek(0) {
            self.i += c.len_utf8();
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

    /// A quoted string as written between its quotes (escapes skipped over, not decoded: keys are never strings).
    fn string(&mut self) -> &'a str {
        self.bump();
        let start = self.i;
        let mut end = start;
        while let Some(c) = self.peek(0) {
            self.bump();
            match c {
                '"' => break,
                '\\' => self.bump(),
                _ => {}
            }
            end = self.i;
        }
        self.text.get(start..end).unwrap_or_default()
    }

    fn raw_string(&mut self) -> &'a str {
        self.bump(); // r
        let mut hashes = 0;
        while self.peek(0) == Some('#') {
            hashes += 1;
            self.bump();
        }
        self.bump(); // opening quote
        let start = self.i;
        while let Some(c) = self.peek(0) {
            if c == '"' && (1..=hashes).all(|k| self.peek(k) == Some('#')) {
                let end = self.i;
                for _ in 0..=hashes {
                    self.bump();
                }
                return self.text.get(start..end).unwrap_or_default();
            }
            self.bump();
        }
        self.text.get(start..).unwrap_or_default()
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
