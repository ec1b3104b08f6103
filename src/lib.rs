//! Sapar plans official regional visits: the programme, its conflicts, the
//! printed itineraries and the messages to everyone involved.

pub mod app;
pub mod config;
pub mod db;
pub mod domain;
pub mod i18n;
pub mod logging;
pub mod mail;
pub mod render;
pub mod services;
pub mod web;
