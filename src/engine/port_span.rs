//! The destination ports a walk treats alike. Every port-dependent decision of a walk (NSG and
//! firewall rule ports, managed-VNet outbound rules, the Batch node-communication ports) goes
//! through [`PortSpan::check`], which answers the check for the traced port and narrows the
//! span to the ports on the same side of it. At the end, every port in the span would have
//! taken the same decisions, so it gets the same verdict by the same hops and rules: one trace
//! stands for the whole span (the exfiltration search and fix verification rely on this to
//! skip ports; `tests/engine` checks it against port-by-port traces).
//!
//! A check must only be recorded when the port is what decides it: a rule already ruled out by
//! its protocol or addresses records nothing.

use std::cell::Cell;

use crate::model::PortRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortSpan {
    /// The port checks see; `None` for an unspecified port (ICMP, "any port").
    port: Option<u16>,
    /// Ports treated alike so far (contains `port` while no translation happened).
    alike: PortRange,
    /// DNAT replaced the port: later checks see a constant, so they narrow nothing.
    translated: bool,
}

impl PortSpan {
    pub fn around(port: Option<u16>) -> Self {
        PortSpan {
            port,
            alike: PortRange::ANY,
            translated: false,
        }
    }

    /// The port as the network sees it now.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// Whether the port is in `ranges` (an unspecified port is only in a range covering every
    /// port), narrowing the span to the ports with the same answer.
    pub fn check(&mut self, ranges: &[PortRange]) -> bool {
        let Some(port) = self.port else {
            return ranges.contains(&PortRange::ANY);
        };
        let inside = ranges.iter().find(|range| range.contains(port));
        if !self.translated {
            let same_answer = match inside {
                Some(range) => *range,
                None => gap_around(ranges, port),
            };
            self.alike = intersect(self.alike, same_answer);
        }
        inside.is_some()
    }

    /// [`Self::check`] on a span shared by a packet.
    pub fn check_in(span: &Cell<PortSpan>, ranges: &[PortRange]) -> bool {
        let mut narrowed = span.get();
        let inside = narrowed.check(ranges);
        span.set(narrowed);
        inside
    }

    /// DNAT translated the destination port to `port`.
    pub fn translate(&mut self, port: u16) {
        self.port = Some(port);
        self.translated = true;
    }

    /// The original ports that every check so far treated like the traced one; `None` for an
    /// unspecified port.
    pub fn alike(&self) -> Option<PortRange> {
        self.port.map(|_| self.alike)
    }
}

/// The largest range around `port` that meets none of `ranges` (`port` is in none of them).
fn gap_around(ranges: &[PortRange], port: u16) -> PortRange {
    let first = ranges
        .iter()
        .filter(|r| r.last < port)
        .map(|r| r.last + 1)
        .max()
        .unwrap_or(0);
    let last = ranges
        .iter()
        .filter(|r| r.first > port)
        .map(|r| r.first - 1)
        .min()
        .unwrap_or(u16::MAX);
    PortRange { first, last }
}

fn intersect(a: PortRange, b: PortRange) -> PortRange {
    PortRange {
        first: a.first.max(b.first),
        last: a.last.min(b.last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(first: u16, last: u16) -> PortRange {
        PortRange { first, last }
    }

    #[test]
    fn a_matching_range_narrows_to_itself_and_a_miss_to_the_gap() {
        let mut span = PortSpan::around(Some(443));
        assert!(span.check(&[range(80, 80), range(400, 500)]));
        assert_eq!(span.alike(), Some(range(400, 500)));
        assert!(!span.check(&[range(22, 22), range(445, 445)]));
        assert_eq!(span.alike(), Some(range(400, 444)));
    }

    #[test]
    fn a_miss_below_every_range_reaches_port_zero() {
        let mut span = PortSpan::around(Some(21));
        assert!(!span.check(&[range(22, 22), range(3389, 3389)]));
        assert_eq!(span.alike(), Some(range(0, 21)));
    }

    #[test]
    fn an_unspecified_port_only_matches_every_port_and_has_no_span() {
        let mut span = PortSpan::around(None);
        assert!(!span.check(&[range(1, 100)]));
        assert!(span.check(&[PortRange::ANY]));
        assert_eq!(span.alike(), None);
    }

    #[test]
    fn checks_after_a_translation_narrow_nothing() {
        let mut span = PortSpan::around(Some(8443));
        assert!(span.check(&[range(8443, 8443)]));
        span.translate(443);
        assert!(!span.check(&[range(22, 22)]));
        assert_eq!(span.port(), Some(443));
        assert_eq!(span.alike(), Some(range(8443, 8443)));
    }
}
