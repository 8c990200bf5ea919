//! Splits the text of one template expression (`parameters('x').y[0]`, without the enclosing
//! brackets) into tokens. ARM's grammar is small: identifiers, single-quoted strings (`''`
//! escapes a quote), integers, and the punctuation `( ) [ ] , .` (Bicep's safe dereference
//! `.?` compiles to `tryGet`, so it never reaches a template).

use super::error::EvalError;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Identifier(String),
    String(String),
    Integer(i64),
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
    Dot,
}

/// The tokens of `text`; an error names the character that no token starts with.
pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, EvalError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((position, c)) = chars.next() {
        let token = match c {
            c if c.is_whitespace() => continue,
            '(' => Token::OpenParen,
            ')' => Token::CloseParen,
            '[' => Token::OpenBracket,
            ']' => Token::CloseBracket,
            ',' => Token::Comma,
            '.' => Token::Dot,
            '\'' => {
                let mut literal = String::new();
                loop {
                    match chars.next() {
                        Some((_, '\'')) if chars.peek().is_some_and(|(_, next)| *next == '\'') => {
                            chars.next();
                            literal.push('\'');
                        }
                        Some((_, '\'')) => break,
                        Some((_, other)) => literal.push(other),
                        None => {
                            return Err(EvalError::invalid(format!(
                                "the string starting at character {} is not closed with `'`",
                                position + 1
                            )))
                        }
                    }
                }
                Token::String(literal)
            }
            c if c.is_ascii_digit() || c == '-' => {
                let mut digits = c.to_string();
                while let Some((_, next)) = chars.peek().filter(|(_, next)| next.is_ascii_digit()) {
                    digits.push(*next);
                    chars.next();
                }
                let number = digits.parse::<i64>().map_err(|_| {
                    EvalError::invalid(format!("`{digits}` is not an integer ARM can hold"))
                })?;
                Token::Integer(number)
            }
            c if c.is_alphabetic() || c == '_' || c == '$' => {
                let mut name = c.to_string();
                while let Some((_, next)) = chars
                    .peek()
                    .filter(|(_, next)| next.is_alphanumeric() || *next == '_' || *next == '$')
                {
                    name.push(*next);
                    chars.next();
                }
                Token::Identifier(name)
            }
            other => {
                return Err(EvalError::invalid(format!(
                    "unexpected `{other}` at character {}",
                    position + 1
                )))
            }
        };
        tokens.push(token);
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_a_typical_expression() {
        let tokens = tokenize("concat('it''s', parameters('a')[0].b, -12)").unwrap();
        assert_eq!(
            tokens,
            [
                Token::Identifier("concat".into()),
                Token::OpenParen,
                Token::String("it's".into()),
                Token::Comma,
                Token::Identifier("parameters".into()),
                Token::OpenParen,
                Token::String("a".into()),
                Token::CloseParen,
                Token::OpenBracket,
                Token::Integer(0),
                Token::CloseBracket,
                Token::Dot,
                Token::Identifier("b".into()),
                Token::Comma,
                Token::Integer(-12),
                Token::CloseParen,
            ]
        );
        assert!(tokenize("'open").is_err());
        assert!(tokenize("a + b").is_err());
        assert!(tokenize("99999999999999999999").is_err());
    }
}
