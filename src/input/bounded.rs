//! Lists with a most length, refused while they are read: a file of 13,000 parts is stopped at the 201st, before
//! the rest is parsed, so the work and the memory a hostile file can cost stay bounded.

use serde::de::{Deserialize, Deserializer, Error, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// Reads a list of at most `MAX` items (for `#[serde(deserialize_with = ...)]`); one more is an error that names
/// the limit, at the item that passes it.
pub fn at_most<'de, D, T, const MAX: usize>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_seq(AtMost::<T, MAX>(PhantomData))
}

struct AtMost<T, const MAX: usize>(PhantomData<T>);

impl<'de, T: Deserialize<'de>, const MAX: usize> Visitor<'de> for AtMost<T, MAX> {
    type Value = Vec<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        write!(formatter, "a list of at most {MAX} items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX));
        while let Some(item) = seq.next_element()? {
            if items.len() == MAX {
                return Err(A::Error::custom(format!(
                    "item {} of a list that holds at most {MAX}: keep to {MAX} (the largest real circuit has about 60 \
                     parts and as many tubes)",
                    MAX + 1
                )));
            }
            items.push(item);
        }
        Ok(items)
    }
}
