//! Rule codes as a type: a misspelled code does not compile, and every code
//! a rule can report has its entry in the catalogue (`RULES`, checked by a
//! test against [`Code::ALL`]).

use std::fmt;

macro_rules! codes {
    ($($code:ident),* $(,)?) => {
        /// A rule's stable code, such as `EP101`.
        #[allow(clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($code),*
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &[Code] = &[$(Code::$code),*];

            /// The code as written in plans, configuration and output.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code)),*
                }
            }
        }
    };
}

codes!(
    EP001, EP101, EP102, EP103, EP104, EP105, EP106, EP107, EP108, EP109, EP110, EP111, EP201,
    EP202, EP203, EP204, EP205, EP206, EP207, EP208, EP209, EP210, EP301, EP302, EP303, EP401,
    EP402, EP403, EP404, EP405, EP501, EP502, EP503, EP504, EP601, EP701,
);

impl Code {
    /// The code written as `text`, in any case (`ep101` too).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_in_any_case() {
        for &code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
            assert_eq!(Code::parse(&code.as_str().to_lowercase()), Some(code));
        }
        assert_eq!(Code::parse("EP999"), None);
        assert_eq!(Code::EP101.to_string(), "EP101");
    }

    #[test]
    fn codes_are_in_ascending_order() {
        assert!(Code::ALL.windows(2).all(|w| w[0].as_str() < w[1].as_str()));
    }
}
