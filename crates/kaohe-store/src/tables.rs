//! The redb tables of a ledger file (docs/FORMAT.md describes each).

use redb::TableDefinition;

/// position -> canonical event bytes.
pub(crate) const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("events");
/// event id (UUID as a big-endian u128) -> (position, content digest).
pub(crate) const EVENT_IDS: TableDefinition<u128, (u64, [u8; 32])> =
    TableDefinition::new("event_ids");
/// (level, index) -> hash of the perfect subtree over leaves index*2^level .. (index+1)*2^level.
pub(crate) const MERKLE_NODES: TableDefinition<(u8, u64), [u8; 32]> =
    TableDefinition::new("merkle_nodes");
/// tree size -> signed checkpoint note text.
pub(crate) const CHECKPOINTS: TableDefinition<u64, &str> = TableDefinition::new("checkpoints");
/// token id (UUID as a big-endian u128) -> BLAKE3 hash of the bearer token's secret. Not part
/// of the ledger: never hashed into it, verified, or exported.
pub(crate) const TOKENS: TableDefinition<u128, [u8; 32]> = TableDefinition::new("tokens");
/// request id (UUID as a big-endian u128) -> (position of its first event, number of events,
/// digest of who asked what): how a retried request is recognised without folding the ledger.
/// Derived data, not part of the ledger: never hashed, verified or exported; a ledger written
/// before it has no entries, and a retry of such a request is decided again.
pub(crate) const REQUESTS: TableDefinition<u128, (u64, u32, [u8; 32])> =
    TableDefinition::new("requests");
/// name -> value: the storage format version.
pub(crate) const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// The `meta` key of the storage format version.
pub(crate) const META_FORMAT_VERSION: &str = "format_version";
