//! End-to-end tests of the real `kaohe` binary and of the ledger as an inspector meets it.

mod cli;
mod crash;
mod damage;
mod demo;
mod explain;
mod mirror;
mod proofs;
mod readers;
mod replay;
mod serve;
mod support;
mod tamper;
