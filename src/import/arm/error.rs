//! Why an expression could not be evaluated. `Unsupported` is a construct vnetlab does not
//! evaluate (a function outside the supported library, an external template link): the
//! template may be fine. `Invalid` is a template Azure itself would reject (a syntax error, a
//! wrong argument type, an undefined parameter). `Exhausted` means the evaluation budget is
//! spent: the evaluation unwinds without reporting anything more (the budget holds the reason).

use crate::import::budget::{Refused, MAX_VALUE_NESTING};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum EvalError {
    Unsupported(String),
    Invalid(String),
    Exhausted,
}

impl EvalError {
    pub(super) fn invalid(message: impl Into<String>) -> Self {
        EvalError::Invalid(message.into())
    }

    pub(super) fn unsupported(message: impl Into<String>) -> Self {
        EvalError::Unsupported(message.into())
    }
}

impl From<Refused> for EvalError {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Exhausted => EvalError::Exhausted,
            Refused::TooDeep => EvalError::invalid(format!(
                "the value nests deeper than {MAX_VALUE_NESTING} levels"
            )),
        }
    }
}
