//! Sapar's integration tests: the real app over a real SQLite file and a real
//! PostgreSQL database, the real binary on the command line.

mod support;

mod access;
mod accounts;
mod api;
mod api_fuzz;
mod architecture;
mod browser;
mod calendars;

mod cli;
mod conformance;
mod documents;
mod email;
mod feeds;
mod hardening;
mod http;
mod lists;
mod odd_values;
mod operations;
mod pages;
mod pickers;
mod print;
mod queries;
mod running_late;
mod storage;
mod tokens;
mod validation;
mod visit_list;
mod visit_page;
mod what_people_read;
