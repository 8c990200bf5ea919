//! Typed readers of input values for the converters: each reports a wrong type or an unknown
//! value at its JSON path (and treats it as absent) instead of failing, so one bad value costs
//! one setting, not the import.

use std::net::Ipv4Addr;
use std::str::FromStr;

use super::context::Context;
use super::values;
use crate::import::node::Node;
use crate::model::{AddressMatch, ParseError, PortRange};

impl Context<'_> {
    /// A string member; another type is reported and treated as absent.
    pub(super) fn text<'a>(
        &mut self,
        element: &str,
        node: &Node<'a>,
        key: &str,
    ) -> Option<&'a str> {
        let member = node.get(key)?;
        match member.as_str() {
            Some(text) => Some(text),
            None => {
                let found = member.type_name();
                self.warn(
                    element,
                    &member,
                    format!("expected a string, found {found}; ignored"),
                );
                None
            }
        }
    }

    /// A boolean member (`true` or the strings `"true"`/`"false"`).
    pub(super) fn flag(&mut self, element: &str, node: &Node, key: &str) -> Option<bool> {
        let member = node.get(key)?;
        let value = match &member.value {
            serde_json::Value::Bool(value) => Some(*value),
            serde_json::Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
            serde_json::Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        };
        if value.is_none() {
            let found = member.type_name();
            self.warn(
                element,
                &member,
                format!("expected true or false, found {found}; ignored"),
            );
        }
        value
    }

    /// A whole number member (a JSON number or a numeric string) that fits `T`.
    pub(super) fn number<T: TryFrom<u64>>(
        &mut self,
        element: &str,
        node: &Node,
        key: &str,
    ) -> Option<T> {
        let member = node.get(key)?;
        let number = match &member.value {
            serde_json::Value::Number(number) => number.as_u64(),
            serde_json::Value::String(text) => text.trim().parse::<u64>().ok(),
            _ => None,
        };
        let fitted = number.and_then(|n| T::try_from(n).ok());
        if fitted.is_none() {
            let shown = member.value.to_string();
            self.warn(
                element,
                &member,
                format!("`{shown}` is not a whole number in the allowed range; ignored"),
            );
        }
        fitted
    }

    /// The items of an array member; absent is empty, another type is reported.
    pub(super) fn list<'a>(&mut self, element: &str, node: &Node<'a>, key: &str) -> Vec<Node<'a>> {
        let Some(member) = node.get(key) else {
            return Vec::new();
        };
        if !member.value.is_array() {
            let found = member.type_name();
            self.warn(
                element,
                &member,
                format!("expected an array, found {found}; ignored"),
            );
        }
        member.items()
    }

    /// The string items of an array member, each with its node; other items are reported.
    pub(super) fn texts<'a>(
        &mut self,
        element: &str,
        node: &Node<'a>,
        key: &str,
    ) -> Vec<(Node<'a>, &'a str)> {
        let mut texts = Vec::new();
        for item in self.list(element, node, key) {
            match item.as_str() {
                Some(text) => texts.push((item, text)),
                None => {
                    let found = item.type_name();
                    self.warn(
                        element,
                        &item,
                        format!("expected a string, found {found}; ignored"),
                    );
                }
            }
        }
        texts
    }

    /// Azure's paired members: the plural array when it has items, else the singular string
    /// (`sourceAddressPrefixes` / `sourceAddressPrefix`).
    pub(super) fn one_or_many<'a>(
        &mut self,
        element: &str,
        node: &Node<'a>,
        singular: &str,
        plural: &str,
    ) -> Vec<(Node<'a>, &'a str)> {
        let many = self.texts(element, node, plural);
        if !many.is_empty() {
            return many;
        }
        match (node.get(singular), self.text(element, node, singular)) {
            (Some(member), Some(text)) if !text.trim().is_empty() => vec![(member, text)],
            _ => Vec::new(),
        }
    }

    /// An enumerated string member, matched case-insensitively (`deny` is `Deny`).
    pub(super) fn choice<T: Copy>(
        &mut self,
        element: &str,
        node: &Node,
        key: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let member = node.get(key)?;
        let text = self.text(element, node, key)?;
        let found = options
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text.trim()))
            .map(|(_, value)| *value);
        if found.is_none() {
            let expected: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
            self.warn(
                element,
                &member,
                format!("`{text}` is not one of {}; ignored", expected.join(", ")),
            );
        }
        found
    }

    /// Parses a value with the model's own parser, reporting failures.
    pub(super) fn parse<T: FromStr<Err = ParseError>>(
        &mut self,
        element: &str,
        node: &Node,
        text: &str,
    ) -> Option<T> {
        match text.parse::<T>() {
            Ok(value) => Some(value),
            Err(error) => {
                self.warn(element, node, format!("{error}; ignored"));
                None
            }
        }
    }

    /// An IPv4 address member; an empty string is absent.
    pub(super) fn ipv4(&mut self, element: &str, node: &Node, key: &str) -> Option<Ipv4Addr> {
        let member = node.get(key)?;
        let text = self.text(element, node, key)?;
        if text.trim().is_empty() {
            return None;
        }
        self.report(element, &member, values::address(text))
    }

    /// The address entries of a rule side, each parsed (ranges split); bad ones are reported.
    pub(super) fn addresses(
        &mut self,
        element: &str,
        entries: &[(Node, &str)],
    ) -> Vec<AddressMatch> {
        let mut addresses = Vec::new();
        for (node, text) in entries {
            if let Some(parsed) = self.report(element, node, values::address_entry(text)) {
                addresses.extend(parsed);
            }
        }
        addresses
    }

    /// Port ranges, each parsed; bad ones are reported.
    pub(super) fn ports(&mut self, element: &str, entries: &[(Node, &str)]) -> Vec<PortRange> {
        entries
            .iter()
            .filter_map(|(node, text)| self.parse::<PortRange>(element, node, text))
            .collect()
    }

    /// `Some(value)`, or reports the error at `node` and gives `None`.
    pub(super) fn report<T>(
        &mut self,
        element: &str,
        node: &Node,
        result: Result<T, String>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.warn(element, node, format!("{message}; ignored"));
                None
            }
        }
    }
}
