//! Enums known by name (a dimension, a period, an input or output format): each lists its
//! values once, with the name it is written as, and parses that name back. The command line
//! offers these names (see `cli`), but the enums know nothing of it.

/// An enum whose values are written as fixed names.
pub trait Named: Copy + 'static {
    /// Every value, in the order they are offered.
    const ALL: &'static [Self];
    /// What one value is, for messages: "dimension", "period".
    const WHAT: &'static str;

    /// The name the value is written as.
    fn as_str(self) -> &'static str;
}

/// A name that is none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{value}\" is not a {what}; expected one of {}", .known.join(", "))]
pub struct UnknownName {
    pub what: &'static str,
    pub value: String,
    pub known: Vec<&'static str>,
}

/// The value written `text`, exactly as [`Named::as_str`] writes it: what the domain enums'
/// `FromStr` does.
pub fn parse<T: Named>(text: &str) -> Result<T, UnknownName> {
    T::ALL
        .iter()
        .copied()
        .find(|value| value.as_str() == text)
        .ok_or_else(|| UnknownName {
            what: T::WHAT,
            value: text.to_owned(),
            known: T::ALL.iter().map(|value| value.as_str()).collect(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Size {
        Small,
        Large,
    }

    impl Named for Size {
        const ALL: &'static [Size] = &[Size::Small, Size::Large];
        const WHAT: &'static str = "size";

        fn as_str(self) -> &'static str {
            match self {
                Size::Small => "small",
                Size::Large => "large",
            }
        }
    }

    #[test]
    fn names_parse_back_exactly_and_a_stranger_lists_the_known_ones() {
        for size in Size::ALL {
            assert_eq!(parse::<Size>(size.as_str()), Ok(*size));
        }
        let error = parse::<Size>("Large").unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"Large\" is not a size; expected one of small, large"
        );
    }
}
