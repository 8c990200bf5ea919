//! vnetlab: simulate Azure network designs for Azure Machine Learning workspaces.
//!
//! Layers, each depending only on the ones before it (see ARCHITECTURE.md):
//! `model` ← `engine` ← `analysis` ← `view` ← `ui`. Only `ui` touches the browser, and it is
//! compiled for `wasm32` alone, so native builds and tests never see yew.

pub mod analysis;
pub mod engine;
pub mod import;
pub mod model;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
