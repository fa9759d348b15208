//! The RFC 9162 Merkle tree over leaf hashes: roots, inclusion and consistency proofs built
//! from stored perfect-subtree nodes, and their verification.
//!
//! A stored node `(level, index)` is the hash of the perfect subtree over leaves
//! `index * 2^level .. (index + 1) * 2^level`; level 0 holds the leaf hashes. Every range the
//! RFC algorithms ask for splits into at most `log2(n)` such nodes, so a proof for any past size
//! costs O(log n) reads and never rehashes the ledger.

use crate::hash::{Hash, empty_root, node_hash};

/// Where proofs read stored perfect-subtree hashes from (the store's table, or memory in tests).
pub trait NodeSource {
    /// The error a read can fail with.
    type Error;
    /// The hash of the perfect subtree `(level, index)`; it must exist for every range asked.
    fn node(&self, level: u8, index: u64) -> Result<Hash, Self::Error>;
}

/// Errors from building a proof.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofError<E> {
    /// The leaf or the sizes asked for lie outside the tree.
    #[error("{0}")]
    OutOfRange(String),
    /// Reading a stored node failed.
    #[error("reading a stored node failed: {0:?}")]
    Source(E),
}

/// Errors from checking a proof.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum ProofCheckError {
    /// The indexes or sizes cannot describe a proof (leaf beyond the tree, sizes reversed, zero).
    #[error("the proof's indexes are impossible: {0}")]
    BadIndexes(String),
    /// The number of hashes in the path is wrong for these sizes.
    #[error("the proof has the wrong number of hashes")]
    WrongLength,
    /// The path leads to another root than the one claimed.
    #[error("the proof leads to root {computed}, not to the claimed root {claimed}")]
    RootMismatch {
        /// The root the path computes.
        computed: Hash,
        /// The root it was checked against.
        claimed: Hash,
    },
}

/// The largest power of two strictly smaller than `n` (`n >= 2`).
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// The Merkle Tree Hash of leaves `start..end` where `start` is aligned to a power of two at
/// least as large as the range (true for every range the RFC recursion produces).
pub fn range_hash<S: NodeSource>(source: &S, start: u64, end: u64) -> Result<Hash, S::Error> {
    let count = end - start;
    if count == 0 {
        return Ok(empty_root());
    }
    if count.is_power_of_two() && start % count == 0 {
        let level = count.trailing_zeros() as u8;
        return source.node(level, start >> level);
    }
    let k = split_point(count);
    let left = range_hash(source, start, start + k)?;
    let right = range_hash(source, start + k, end)?;
    Ok(node_hash(&left, &right))
}

/// The root of the first `size` leaves.
pub fn root<S: NodeSource>(source: &S, size: u64) -> Result<Hash, S::Error> {
    range_hash(source, 0, size)
}

/// The RFC 9162 inclusion proof (audit path) of leaf `index` in the tree of `size` leaves,
/// nearest sibling first.
pub fn inclusion_proof<S: NodeSource>(
    source: &S,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, ProofError<S::Error>> {
    if index >= size {
        return Err(ProofError::OutOfRange(format!(
            "leaf {index} is not in a tree of size {size}"
        )));
    }
    let mut path = Vec::new();
    let (mut start, mut end, mut leaf) = (0u64, size, index);
    // Walk down from the root, collecting siblings top first, then reverse.
    while end - start > 1 {
        let k = split_point(end - start);
        if leaf < k {
            path.push(range_hash(source, start + k, end).map_err(ProofError::Source)?);
            end = start + k;
        } else {
            path.push(range_hash(source, start, start + k).map_err(ProofError::Source)?);
            start += k;
            leaf -= k;
        }
    }
    path.reverse();
    Ok(path)
}

/// The RFC 9162 consistency proof that the tree of `old_size` leaves is a prefix of the tree of
/// `new_size` leaves (`0 < old_size <= new_size`; empty when the sizes are equal).
pub fn consistency_proof<S: NodeSource>(
    source: &S,
    old_size: u64,
    new_size: u64,
) -> Result<Vec<Hash>, ProofError<S::Error>> {
    if old_size == 0 || old_size > new_size {
        return Err(ProofError::OutOfRange(format!(
            "no consistency proof from size {old_size} to size {new_size}"
        )));
    }
    let mut path = Vec::new();
    let (mut start, mut end, mut m, mut whole) = (0u64, new_size, old_size, true);
    // SUBPROOF(m, D[start..end], whole), iteratively; collected top first, reversed at the end.
    loop {
        let n = end - start;
        if m == n {
            if !whole {
                path.push(range_hash(source, start, end).map_err(ProofError::Source)?);
            }
            break;
        }
        let k = split_point(n);
        if m <= k {
            path.push(range_hash(source, start + k, end).map_err(ProofError::Source)?);
            end = start + k;
        } else {
            path.push(range_hash(source, start, start + k).map_err(ProofError::Source)?);
            start += k;
            m -= k;
            whole = false;
        }
    }
    path.reverse();
    Ok(path)
}

/// Check an inclusion proof (RFC 9162 section 2.1.3.2).
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    path: &[Hash],
    root: &Hash,
) -> Result<(), ProofCheckError> {
    if index >= size {
        return Err(ProofCheckError::BadIndexes(format!(
            "leaf {index} is not in a tree of size {size}"
        )));
    }
    let (mut fnode, mut snode) = (index, size - 1);
    let mut hash = *leaf;
    for sibling in path {
        if snode == 0 {
            return Err(ProofCheckError::WrongLength);
        }
        if fnode & 1 == 1 || fnode == snode {
            hash = node_hash(sibling, &hash);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            hash = node_hash(&hash, sibling);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(ProofCheckError::WrongLength);
    }
    if hash != *root {
        return Err(ProofCheckError::RootMismatch {
            computed: hash,
            claimed: *root,
        });
    }
    Ok(())
}

/// Check a consistency proof (RFC 9162 section 2.1.4.2); equal sizes need an empty proof and
/// equal roots.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    path: &[Hash],
) -> Result<(), ProofCheckError> {
    if old_size == 0 || old_size > new_size {
        return Err(ProofCheckError::BadIndexes(format!(
            "no consistency proof from size {old_size} to size {new_size}"
        )));
    }
    if old_size == new_size {
        if !path.is_empty() {
            return Err(ProofCheckError::WrongLength);
        }
        if old_root != new_root {
            return Err(ProofCheckError::RootMismatch {
                computed: *old_root,
                claimed: *new_root,
            });
        }
        return Ok(());
    }
    if path.is_empty() {
        return Err(ProofCheckError::WrongLength);
    }
    let mut hashes: Vec<Hash> = Vec::with_capacity(path.len() + 1);
    if old_size.is_power_of_two() {
        hashes.push(*old_root);
    }
    hashes.extend_from_slice(path);
    let (mut fnode, mut snode) = (old_size - 1, new_size - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut old_hash, mut new_hash) = (hashes[0], hashes[0]);
    for sibling in &hashes[1..] {
        if snode == 0 {
            return Err(ProofCheckError::WrongLength);
        }
        if fnode & 1 == 1 || fnode == snode {
            old_hash = node_hash(sibling, &old_hash);
            new_hash = node_hash(sibling, &new_hash);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            new_hash = node_hash(&new_hash, sibling);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(ProofCheckError::WrongLength);
    }
    if old_hash != *old_root {
        return Err(ProofCheckError::RootMismatch {
            computed: old_hash,
            claimed: *old_root,
        });
    }
    if new_hash != *new_root {
        return Err(ProofCheckError::RootMismatch {
            computed: new_hash,
            claimed: *new_root,
        });
    }
    Ok(())
}

/// The right edge of a growing tree: the roots of its perfect subtrees, largest first. Appending
/// a leaf returns the nodes it completes, which is what the store writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    peaks: Vec<Hash>,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Frontier::default()
    }

    /// Rebuild the frontier of a tree of `size` leaves from stored nodes (one read per set bit).
    pub fn load<S: NodeSource>(source: &S, size: u64) -> Result<Self, S::Error> {
        let mut peaks = Vec::new();
        let mut start = 0u64;
        for level in (0..64u8).rev() {
            if size & (1u64 << level) != 0 {
                peaks.push(source.node(level, start >> level)?);
                start += 1u64 << level;
            }
        }
        Ok(Frontier { size, peaks })
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Append a leaf; `completed` receives every `(level, index, hash)` node that now exists,
    /// the leaf itself first.
    pub fn push(&mut self, leaf: Hash, mut completed: impl FnMut(u8, u64, Hash)) {
        let mut index = self.size;
        let mut hash = leaf;
        let mut level = 0u8;
        completed(level, index, hash);
        while index & 1 == 1 {
            let left = self.peaks.pop().expect("a set bit of the size has a peak");
            hash = node_hash(&left, &hash);
            index >>= 1;
            level += 1;
            completed(level, index, hash);
        }
        self.peaks.push(hash);
        self.size += 1;
    }

    /// The RFC 9162 root of the leaves so far.
    pub fn root(&self) -> Hash {
        let mut peaks = self.peaks.iter().rev();
        let Some(last) = peaks.next() else {
            return empty_root();
        };
        peaks.fold(*last, |right, left| node_hash(left, &right))
    }
}

/// The Merkle Tree Hash computed directly from the RFC's recursive definition; the reference
/// every faster path is tested against.
pub fn naive_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split_point(n as u64) as usize;
            node_hash(&naive_root(&leaves[..k]), &naive_root(&leaves[k..]))
        }
    }
}

/// Perfect-subtree nodes kept in memory: a `NodeSource` for exports and tests.
#[derive(Clone, Debug, Default)]
pub struct MemoryTree {
    levels: Vec<Vec<Hash>>,
    frontier: Frontier,
}

impl MemoryTree {
    /// An empty tree.
    pub fn new() -> Self {
        MemoryTree::default()
    }

    /// Append a leaf and keep every node it completes.
    pub fn push(&mut self, leaf: Hash) {
        let levels = &mut self.levels;
        self.frontier.push(leaf, |level, index, hash| {
            let level = usize::from(level);
            if levels.len() <= level {
                levels.push(Vec::new());
            }
            debug_assert_eq!(levels[level].len() as u64, index);
            levels[level].push(hash);
        });
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// The root of all leaves.
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }
}

impl NodeSource for MemoryTree {
    type Error = std::convert::Infallible;
    fn node(&self, level: u8, index: u64) -> Result<Hash, Self::Error> {
        Ok(self.levels[usize::from(level)][index as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use proptest::prelude::*;

    fn leaves(count: u64) -> Vec<Hash> {
        (0..count).map(|i| leaf_hash(&i.to_le_bytes())).collect()
    }

    fn tree(leaves: &[Hash]) -> MemoryTree {
        let mut tree = MemoryTree::new();
        for leaf in leaves {
            tree.push(*leaf);
        }
        tree
    }

    /// RFC 9162 PATH, written as the RFC's recursion over slices, to check the iterative one.
    fn naive_path(m: usize, leaves: &[Hash]) -> Vec<Hash> {
        let n = leaves.len();
        if n == 1 {
            return Vec::new();
        }
        let k = split_point(n as u64) as usize;
        if m < k {
            let mut path = naive_path(m, &leaves[..k]);
            path.push(naive_root(&leaves[k..]));
            path
        } else {
            let mut path = naive_path(m - k, &leaves[k..]);
            path.push(naive_root(&leaves[..k]));
            path
        }
    }

    /// RFC 9162 SUBPROOF, as written in the RFC.
    fn naive_subproof(m: usize, leaves: &[Hash], whole: bool) -> Vec<Hash> {
        let n = leaves.len();
        if m == n {
            return if whole {
                Vec::new()
            } else {
                vec![naive_root(leaves)]
            };
        }
        let k = split_point(n as u64) as usize;
        if m <= k {
            let mut proof = naive_subproof(m, &leaves[..k], whole);
            proof.push(naive_root(&leaves[k..]));
            proof
        } else {
            let mut proof = naive_subproof(m - k, &leaves[k..], false);
            proof.push(naive_root(&leaves[..k]));
            proof
        }
    }

    #[test]
    fn every_proof_up_to_70_leaves_matches_the_rfc_recursion_and_verifies() {
        let all = leaves(70);
        let tree = tree(&all);
        for size in 1..=70u64 {
            let prefix = &all[..size as usize];
            let root = naive_root(prefix);
            assert_eq!(super::root(&tree, size).unwrap(), root);
            for index in 0..size {
                let path = inclusion_proof(&tree, index, size).unwrap();
                assert_eq!(path, naive_path(index as usize, prefix));
                verify_inclusion(&all[index as usize], index, size, &path, &root).unwrap();
            }
            for old in 1..=size {
                let path = consistency_proof(&tree, old, size).unwrap();
                assert_eq!(path, naive_subproof(old as usize, prefix, true));
                let old_root = naive_root(&all[..old as usize]);
                verify_consistency(old, size, &old_root, &root, &path).unwrap();
            }
        }
    }

    #[test]
    fn frontier_reloaded_from_nodes_continues_the_same_tree() {
        let all = leaves(37);
        let tree = tree(&all);
        for size in 0..=37u64 {
            let mut frontier = Frontier::load(&tree, size).unwrap();
            assert_eq!(frontier.root(), naive_root(&all[..size as usize]));
            for leaf in &all[size as usize..] {
                frontier.push(*leaf, |_, _, _| {});
            }
            assert_eq!(frontier.root(), naive_root(&all));
        }
    }

    /// Counts reads, to check the O(log n) bound on proofs.
    struct Counting<'a>(&'a MemoryTree, std::cell::Cell<u64>);
    impl NodeSource for Counting<'_> {
        type Error = std::convert::Infallible;
        fn node(&self, level: u8, index: u64) -> Result<Hash, Self::Error> {
            self.1.set(self.1.get() + 1);
            self.0.node(level, index)
        }
    }

    #[test]
    fn proofs_read_at_most_two_log_n_nodes() {
        let all = leaves(1000);
        let tree = tree(&all);
        for size in [1u64, 2, 3, 255, 256, 257, 999, 1000] {
            let bound = 2 * (64 - size.leading_zeros() as u64);
            for index in [0, size / 3, size - 1] {
                let counting = Counting(&tree, std::cell::Cell::new(0));
                inclusion_proof(&counting, index, size).unwrap();
                assert!(counting.1.get() <= bound, "inclusion {index}/{size}");
            }
            for old in [1, size / 2 + 1, size] {
                let counting = Counting(&tree, std::cell::Cell::new(0));
                consistency_proof(&counting, old, size).unwrap();
                assert!(counting.1.get() <= bound, "consistency {old}/{size}");
            }
        }
    }

    fn flip(hash: &Hash, bit: usize) -> Hash {
        let mut bytes = hash.0;
        bytes[bit / 8] ^= 1 << (bit % 8);
        Hash(bytes)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn every_mutation_of_an_inclusion_proof_is_rejected(
            size in 1u64..300, index_seed in any::<u64>(), bit in 0usize..256, other in any::<u64>()
        ) {
            let all = leaves(size);
            let tree = tree(&all);
            let index = index_seed % size;
            let root = tree.root();
            let leaf = all[index as usize];
            let path = inclusion_proof(&tree, index, size).unwrap();
            prop_assert_eq!(&path, &naive_path(index as usize, &all));
            prop_assert_eq!(root, naive_root(&all));
            prop_assert!(verify_inclusion(&leaf, index, size, &path, &root).is_ok());
            // Each altered hash in the path.
            for position in 0..path.len() {
                let mut bad = path.clone();
                bad[position] = flip(&bad[position], bit);
                prop_assert!(verify_inclusion(&leaf, index, size, &bad, &root).is_err());
            }
            // A missing hash, an extra hash.
            if !path.is_empty() {
                prop_assert!(verify_inclusion(&leaf, index, size, &path[1..], &root).is_err());
                prop_assert!(verify_inclusion(&leaf, index, size, &path[..path.len() - 1], &root).is_err());
            }
            let mut longer = path.clone();
            longer.push(leaf);
            prop_assert!(verify_inclusion(&leaf, index, size, &longer, &root).is_err());
            // Another leaf, another index, another size, another root.
            prop_assert!(verify_inclusion(&flip(&leaf, bit), index, size, &path, &root).is_err());
            let other_index = other % size;
            if other_index != index {
                prop_assert!(verify_inclusion(&leaf, other_index, size, &path, &root).is_err());
                prop_assert!(verify_inclusion(&all[other_index as usize], index, size, &path, &root).is_err());
            }
            // The size itself is bound by the signed checkpoint, not by the path: RFC 9162
            // paths of different sizes can share a shape, so that is checked with checkpoints.
            prop_assert!(verify_inclusion(&leaf, index, size, &path, &flip(&root, bit)).is_err());
        }

        #[test]
        fn every_mutation_of_a_consistency_proof_is_rejected(
            new_size in 2u64..300, old_seed in any::<u64>(), bit in 0usize..256
        ) {
            let all = leaves(new_size);
            let tree = tree(&all);
            let old_size = 1 + old_seed % (new_size - 1);
            let old_root = naive_root(&all[..old_size as usize]);
            let new_root = tree.root();
            let path = consistency_proof(&tree, old_size, new_size).unwrap();
            prop_assert_eq!(&path, &naive_subproof(old_size as usize, &all, true));
            prop_assert!(verify_consistency(old_size, new_size, &old_root, &new_root, &path).is_ok());
            for position in 0..path.len() {
                let mut bad = path.clone();
                bad[position] = flip(&bad[position], bit);
                prop_assert!(verify_consistency(old_size, new_size, &old_root, &new_root, &bad).is_err());
            }
            prop_assert!(verify_consistency(old_size, new_size, &old_root, &new_root, &path[1..]).is_err());
            prop_assert!(verify_consistency(old_size, new_size, &old_root, &new_root, &path[..path.len() - 1]).is_err());
            let mut longer = path.clone();
            longer.push(old_root);
            prop_assert!(verify_consistency(old_size, new_size, &old_root, &new_root, &longer).is_err());
            prop_assert!(verify_consistency(old_size, new_size, &flip(&old_root, bit), &new_root, &path).is_err());
            prop_assert!(verify_consistency(old_size, new_size, &old_root, &flip(&new_root, bit), &path).is_err());
            // The same proof does not vouch for a different old size.
            if old_size + 1 < new_size {
                let other_root = naive_root(&all[..(old_size + 1) as usize]);
                prop_assert!(verify_consistency(old_size + 1, new_size, &other_root, &new_root, &path).is_err());
            }
        }
    }
}
