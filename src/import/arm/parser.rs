//! Template strings and the expression syntax tree. A JSON string is an expression when it is
//! `[...]`; a leading `[[` escapes a literal bracket. The expression is a function call or a
//! literal, followed by any number of member accesses (`.name`) and indexes (`[expr]`).

use super::error::EvalError;
use super::lexer::{tokenize, Token};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    String(String),
    Integer(i64),
    /// A function call; the name as written (ARM function names are case-insensitive).
    Call(String, Vec<Expr>),
    /// `.name` on a value.
    Member(Box<Expr>, String),
    /// `[index]` on a value.
    Index(Box<Expr>, Box<Expr>),
}

/// What a template string holds.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum TemplateString<'a> {
    /// A literal (escapes already removed).
    Literal(String),
    /// The text of an expression between the outer brackets.
    Expression(&'a str),
}

/// Classifies a template string: `[expr]` is an expression, `[[text]` the literal `[text]`.
pub(super) fn template_string(text: &str) -> TemplateString<'_> {
    match text.strip_prefix('[') {
        Some(rest) if rest.starts_with('[') => TemplateString::Literal(rest.to_string()),
        Some(rest) => match rest.trim_end().strip_suffix(']') {
            Some(inner) => TemplateString::Expression(inner),
            None => TemplateString::Literal(text.to_string()),
        },
        None => TemplateString::Literal(text.to_string()),
    }
}

/// Whether a string is an expression (for detecting templates that need evaluation).
pub(super) fn is_expression(text: &str) -> bool {
    matches!(template_string(text), TemplateString::Expression(_))
}

/// Parses the text of one expression (without its brackets).
pub(super) fn parse(text: &str) -> Result<Expr, EvalError> {
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        position: 0,
        depth: 0,
    };
    let expr = parser.expression()?;
    match parser.peek() {
        None => Ok(expr),
        Some(token) => Err(EvalError::invalid(format!(
            "unexpected {} after a complete expression",
            describe(token)
        ))),
    }
}

/// Nesting deeper than this is rejected rather than risking the stack on hostile input.
const MAX_DEPTH: usize = 64;

struct Parser<'t> {
    tokens: &'t [Token],
    position: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<&Token> {
        let token = self.tokens.get(self.position);
        self.position += 1;
        token
    }

    fn expect(&mut self, wanted: &Token, what: &str) -> Result<(), EvalError> {
        match self.next() {
            Some(token) if token == wanted => Ok(()),
            Some(token) => Err(EvalError::invalid(format!(
                "expected {what}, found {}",
                describe(token)
            ))),
            None => Err(EvalError::invalid(format!(
                "expected {what}, but the expression ends"
            ))),
        }
    }

    fn expression(&mut self) -> Result<Expr, EvalError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(EvalError::invalid(format!(
                "the expression nests deeper than {MAX_DEPTH} levels"
            )));
        }
        let mut expr = self.primary()?;
        loop {
            match self.peek() {
                Some(Token::Dot) => {
                    self.next();
                    match self.next() {
                        Some(Token::Identifier(name)) => {
                            expr = Expr::Member(Box::new(expr), name.clone())
                        }
                        Some(token) => {
                            return Err(EvalError::invalid(format!(
                                "expected a property name after `.`, found {}",
                                describe(token)
                            )))
                        }
                        None => {
                            return Err(EvalError::invalid(
                                "expected a property name after `.`, but the expression ends",
                            ))
                        }
                    }
                }
                Some(Token::OpenBracket) => {
                    self.next();
                    let index = self.expression()?;
                    self.expect(&Token::CloseBracket, "`]`")?;
                    expr = Expr::Index(Box::new(expr), Box::new(index));
                }
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(expr)
    }

    fn primary(&mut self) -> Result<Expr, EvalError> {
        match self.next().cloned() {
            Some(Token::String(text)) => Ok(Expr::String(text)),
            Some(Token::Integer(number)) => Ok(Expr::Integer(number)),
            Some(Token::Identifier(name)) => {
                self.expect(&Token::OpenParen, &format!("`(` after `{name}`"))?;
                let mut arguments = Vec::new();
                if self.peek() == Some(&Token::CloseParen) {
                    self.next();
                    return Ok(Expr::Call(name, arguments));
                }
                loop {
                    arguments.push(self.expression()?);
                    match self.next() {
                        Some(Token::Comma) => continue,
                        Some(Token::CloseParen) => break,
                        Some(token) => {
                            return Err(EvalError::invalid(format!(
                                "expected `,` or `)` in the arguments of `{name}`, found {}",
                                describe(token)
                            )))
                        }
                        None => {
                            return Err(EvalError::invalid(format!(
                                "the arguments of `{name}` are not closed with `)`"
                            )))
                        }
                    }
                }
                Ok(Expr::Call(name, arguments))
            }
            Some(token) => Err(EvalError::invalid(format!(
                "expected a function call or a literal, found {}",
                describe(&token)
            ))),
            None => Err(EvalError::invalid("the expression is empty")),
        }
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Identifier(name) => format!("`{name}`"),
        Token::String(text) => format!("the string '{text}'"),
        Token::Integer(number) => format!("the number {number}"),
        Token::OpenParen => "`(`".to_string(),
        Token::CloseParen => "`)`".to_string(),
        Token::OpenBracket => "`[`".to_string(),
        Token::CloseBracket => "`]`".to_string(),
        Token::Comma => "`,`".to_string(),
        Token::Dot => "`.`".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_literals_escapes_or_expressions() {
        assert_eq!(
            template_string("plain"),
            TemplateString::Literal("plain".into())
        );
        assert_eq!(
            template_string("[[escaped]"),
            TemplateString::Literal("[escaped]".into())
        );
        assert_eq!(
            template_string("[variables('a')]"),
            TemplateString::Expression("variables('a')")
        );
        assert_eq!(
            template_string("[not closed"),
            TemplateString::Literal("[not closed".into())
        );
    }

    #[test]
    fn calls_members_and_indexes_nest() {
        let expr = parse("reference(variables('id')).ipConfigurations[0].properties").unwrap();
        let Expr::Member(inner, name) = expr else {
            panic!("member expected")
        };
        assert_eq!(name, "properties");
        assert!(matches!(*inner, Expr::Index(_, _)));
        for bad in ["", "a", "a(", "a(1,", "a(1 2)", "a().", "a()[1", "'x' 'y'"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = format!("{}1{}", "f(".repeat(100), ")".repeat(100));
        assert!(parse(&deep).is_err());
    }
}
