//! How the page starts — a lab link, else a share link, else the autosave (not in embed mode,
//! with the lab in progress it was saved with), else the default preset — and the question a share link asks instead of replacing other work: when the
//! autosave holds a different design, the autosaved design stays on screen and the page asks
//! whether to open the shared one, keep mine, or open the shared one and keep mine as an undo
//! step. A shared or restored design with validation errors says so in the banner.

use std::rc::Rc;

use super::autosave;
use super::lab::session::LabSession;
use super::scenarios;
use super::share;
use super::state::AppState;
use crate::import::Loaded;
use crate::model::Design;

/// What the page starts from: the URL fragment, the autosave and whether it is embedded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Startup<'a> {
    pub fragment: Option<&'a str>,
    pub autosave: Option<&'a str>,
    pub embed: bool,
    /// The page remembers that "How to read this" was dismissed.
    pub help_dismissed: bool,
    /// The lab in progress the page saved ([`LabSession::encode`]), restored with the autosave.
    pub lab: Option<&'a str>,
}

/// A share link that would replace a different autosaved design: the shared design, waiting
/// for the user's choice, and what its validation found.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareConflict {
    pub shared: Rc<Design>,
    pub note: Option<String>,
}

impl ShareConflict {
    /// The question, naming both designs (`mine` is on screen while it is asked).
    pub fn question(&self, mine: &Design) -> String {
        let shared = &self.shared.name;
        let which = if shared == &mine.name {
            format!("a different version of “{shared}” than your autosaved one")
        } else {
            format!(
                "the design “{shared}”, not your autosaved design “{}”",
                mine.name
            )
        };
        format!("This link carries {which} (shown now). Nothing is replaced until you choose.")
    }
}

/// The answers to a [`ShareConflict`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareChoice {
    /// Open the shared design with a fresh history (the autosave then holds it).
    OpenShared,
    /// Open the shared design; mine stays one undo step away.
    OpenSharedKeepMine,
    /// Keep my design; the link is ignored.
    KeepMine,
}

impl AppState {
    /// The first state (see the module documentation). A link that cannot be read is reported
    /// in the banner; an autosave that cannot be read is not (`ui` keeps it aside and offers
    /// it for download).
    pub fn start(startup: Startup) -> Self {
        AppState {
            help_dismissed: startup.help_dismissed,
            ..AppState::start_design(&startup)
        }
    }

    fn start_design(startup: &Startup) -> Self {
        let mut error = None;
        if let Some(fragment) = startup.fragment.filter(|f| share::is_lab_fragment(f)) {
            let opened = share::decode_lab_fragment(fragment)
                .map_err(|problem| problem.to_string())
                .and_then(LabSession::open);
            match opened {
                Ok((session, design)) => {
                    return AppState {
                        lab: Some(Rc::new(session)),
                        ..AppState::new(design, "", startup.embed)
                    }
                }
                Err(problem) => error = Some(problem),
            }
        }
        let restored = startup
            .autosave
            .filter(|_| !startup.embed)
            .and_then(|text| autosave::decode(text).ok());
        if let Some(fragment) = startup.fragment.filter(|f| share::is_share_fragment(f)) {
            match share::decode_fragment(fragment) {
                Ok(loaded) => {
                    let note = validation_note("The shared design", &loaded);
                    return match restored {
                        Some(mine) if mine.design != loaded.design => AppState {
                            share_conflict: Some(ShareConflict {
                                shared: Rc::new(loaded.design),
                                note,
                            }),
                            ..AppState::new(mine.design, &mine.scenario, false)
                        },
                        _ => AppState {
                            error: note,
                            ..AppState::new(loaded.design, "", startup.embed)
                        },
                    };
                }
                Err(problem) => error = Some(problem.to_string()),
            }
        }
        let mut state = match restored {
            Some(saved) => AppState {
                error: errors_note("The autosaved design", &saved.errors),
                // The lab in progress when the page was left, over its autosaved design.
                lab: startup
                    .lab
                    .and_then(|text| LabSession::decode(text).ok())
                    .map(Rc::new),
                ..AppState::new(saved.design, &saved.scenario, false)
            },
            None => {
                let preset = scenarios::default_preset();
                let design = preset.design().unwrap_or_else(|_| Design::new("empty"));
                AppState::new(design, preset.id, startup.embed)
            }
        };
        if error.is_some() {
            state.error = error;
        }
        state
    }
}

/// The state after the user answered the share link's question.
pub(super) fn resolve(state: AppState, choice: ShareChoice) -> AppState {
    let Some(conflict) = state.share_conflict.clone() else {
        return state;
    };
    let shared = Rc::unwrap_or_clone(conflict.shared);
    match choice {
        ShareChoice::KeepMine => AppState {
            share_conflict: None,
            design_text: None,
            ..state
        },
        ShareChoice::OpenShared => AppState {
            error: conflict.note,
            revision: state.revision + 1,
            ..AppState::new(shared, "", state.read_only)
        },
        ShareChoice::OpenSharedKeepMine => AppState {
            share_conflict: None,
            design_text: None,
            error: conflict.note,
            ..state.open_unrelated(shared, None)
        },
    }
}

/// A banner note for a loaded design with validation errors.
pub(super) fn validation_note(what: &str, loaded: &Loaded) -> Option<String> {
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
        .map(ToString::to_string)
        .collect();
    errors_note(what, &errors)
}

fn errors_note(what: &str, errors: &[String]) -> Option<String> {
    let first = errors.first()?;
    Some(format!(
        "{what} has {} validation error(s), listed under Diagnostics; the first: {first}",
        errors.len()
    ))
}
