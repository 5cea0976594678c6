//! Loading a Compass document: JSON text in, every problem out at once, each with its JSON path.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// One problem found in a document, with the JSON pointer of the offending item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    /// JSON pointer (RFC 6901) to the item, for example `/narratives/3/goals/0`; empty for the
    /// whole document.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    /// Makes a problem at a path.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "/: {}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Escapes one JSON pointer token.
pub(crate) fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Turns serde_path_to_error's path into a JSON pointer below `prefix`.
fn pointer(prefix: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = prefix.to_owned();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&token(key));
            }
            Segment::Enum { variant } => {
                out.push('/');
                out.push_str(&token(variant));
            }
            Segment::Unknown => {}
        }
    }
    out
}

/// Deserialises one value, recording a problem with its full path on failure.
pub(crate) fn item<T: DeserializeOwned>(
    value: &Value,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Some(v),
        Err(e) => {
            let at = pointer(path, e.path());
            let msg = e.into_inner().to_string();
            problems.push(Problem::new(at, msg));
            None
        }
    }
}

/// Deserialises an array section element by element, so that every bad element is reported.
/// A missing section is empty.
pub(crate) fn array<T: DeserializeOwned>(
    obj: &Map<String, Value>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Vec<T> {
    let path = format!("/{}", token(key));
    match obj.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| item(v, &format!("{path}/{i}"), problems))
            .collect(),
        Some(other) => {
            problems.push(Problem::new(
                path,
                format!("expected an array, found {}", kind(other)),
            ));
            Vec::new()
        }
    }
}

/// Deserialises a required object section.
pub(crate) fn required<T: DeserializeOwned>(
    obj: &Map<String, Value>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let path = format!("/{}", token(key));
    match obj.get(key) {
        None => {
            problems.push(Problem::new(path, format!("missing field `{key}`")));
            None
        }
        Some(v) => item(v, &path, problems),
    }
}

/// Deserialises an optional section (absent or null gives the default).
pub(crate) fn optional<T: DeserializeOwned + Default>(
    obj: &Map<String, Value>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match obj.get(key) {
        None | Some(Value::Null) => Some(T::default()),
        Some(v) => item(v, &format!("/{}", token(key)), problems),
    }
}

/// The JSON kind of a value, for messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses JSON text, turning a syntax error into a problem with its line and column.
pub(crate) fn parse(text: &str) -> Result<Value, Problem> {
    serde_json::from_str::<Value>(text).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => {
                "unexpected end of input (truncated JSON?)".to_owned()
            }
            _ => {
                // serde_json's message ends with " at line L column C"; keep only the cause.
                let s = e.to_string();
                s.split(" at line ").next().unwrap_or(&s).to_owned()
            }
        };
        Problem::new(
            "",
            format!(
                "invalid JSON at line {} column {}: {what}",
                e.line(),
                e.column()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_json_names_line_and_column() {
        let p = parse("{\n  \"a\": [1,\n").unwrap_err();
        assert_eq!(p.path, "");
        assert!(
            p.message.starts_with("invalid JSON at line 3 column 0"),
            "{}",
            p.message
        );
        assert!(p.message.contains("truncated"), "{}", p.message);
    }

    #[test]
    fn array_reports_each_bad_element_with_its_path() {
        let v: Value = serde_json::json!({"xs": [1, "two", 3, {"a": 1}]});
        let mut problems = Vec::new();
        let xs: Vec<u32> = array(v.as_object().unwrap(), "xs", &mut problems);
        assert_eq!(xs, vec![1, 3]);
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["/xs/1", "/xs/3"]);
    }

    #[test]
    fn nested_paths_are_json_pointers() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            n: u8,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            list: Vec<Inner>,
        }
        let v = serde_json::json!({"list": [{"n": 1}, {"n": 300}]});
        let mut problems = Vec::new();
        let o: Option<Outer> = item(&v, "/things/2", &mut problems);
        assert!(o.is_none());
        assert_eq!(problems[0].path, "/things/2/list/1/n");
    }
}
