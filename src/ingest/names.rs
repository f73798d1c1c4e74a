//! One table of names per vocabulary enum. [`named_enum!`] declares the enum together with its
//! spelling, and derives from that one list `ALL`, `as_str` and `FromStr` (trimmed,
//! case-insensitive), so that a value is spelled in one place: the row validator, the config
//! file's aliases and the mapping spec all parse through it.

use std::fmt;

/// A value that names no variant, and the names that would have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    pub value: String,
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not one of {}",
            self.value,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownName {}

/// The variant of `all` whose name is `text` (trimmed, ASCII case-insensitive).
pub fn find<T: Copy>(
    all: &[T],
    names: &'static [&'static str],
    text: &str,
) -> Result<T, UnknownName> {
    let text = text.trim();
    names
        .iter()
        .position(|name| name.eq_ignore_ascii_case(text))
        .and_then(|index| all.get(index).copied())
        .ok_or_else(|| UnknownName {
            value: text.to_owned(),
            expected: names,
        })
}

/// Declares a fieldless enum whose variants are written `Variant = "name"`, with `ALL` (the
/// variants in declaration order), `NAMES` (their names, in the same order), `as_str` and
/// `FromStr`.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];
            /// The name of each of [`Self::ALL`], in the same order.
            pub const NAMES: [&'static str; [$($text),+].len()] = [$($text),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ingest::names::UnknownName;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::ingest::names::find(&Self::ALL, &Self::NAMES, text)
            }
        }
    };
}

pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    named_enum! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Colour {
            Red = "red",
            DarkBlue = "dark_blue",
        }
    }

    #[test]
    fn names_parse_trimmed_and_case_insensitively() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
        assert_eq!(Colour::DarkBlue.as_str(), "dark_blue");
        assert_eq!(" Dark_Blue ".parse::<Colour>(), Ok(Colour::DarkBlue));
        let error = "blue".parse::<Colour>().unwrap_err();
        assert_eq!(error.to_string(), "\"blue\" is not one of red, dark_blue");
    }

    #[test]
    fn every_variant_reads_back_from_its_name() {
        for colour in Colour::ALL {
            assert_eq!(colour.as_str().parse::<Colour>(), Ok(colour));
        }
    }
}
