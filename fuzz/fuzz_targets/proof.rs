//! Fuzz target `proof`: proof bundles and raw proof paths into proof verification, read three
//! ways.
//!
//! 1. As a proof bundle file (canonical JSON and a line feed) checked with the fixture key:
//!    whatever is proven must be true of a ledger the key signed (the leaf is that ledger's
//!    event at that position; both checkpoints of a consistency proof are roots of one
//!    ledger), and a file that reads as a bundle is that bundle's one spelling.
//! 2. As a script of mutations applied to a valid bundle (positions, sizes, event bytes, path
//!    hashes, checkpoints swapped for other signed ones, including those of the fork): the same.
//! 3. As a raw inclusion or consistency check against a real tree of 70 leaves and a fork of
//!    it: a path accepted for the tree's true roots must be exactly the RFC 9162 proof.

#![no_main]

use std::sync::LazyLock;

use kaohe_fuzz::{Fixture, fixture};
use kaohe_ledger::Hash;
use kaohe_ledger::bundle::{ProofBundle, Proven};
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::merkle::{
    MemoryTree, consistency_proof, inclusion_proof, root, verify_consistency, verify_inclusion,
};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    if let Ok(bundle) = ProofBundle::from_file(data) {
        assert_eq!(
            bundle.to_file().as_deref(),
            Ok(data),
            "a bundle read from a second spelling"
        );
        check_proven(fixture, &bundle);
    }
    let _ = as_bundle_mutations(fixture, &mut Unstructured::new(data));
    let _ = as_raw_paths(&mut Unstructured::new(data));
});

/// Verify a bundle; if it is accepted, what it proves must be true.
fn check_proven(fixture: &Fixture, bundle: &ProofBundle) {
    match bundle.verify(&fixture.key) {
        Ok(Proven::Inclusion {
            position,
            leaf,
            size,
            root,
        }) => {
            let true_of_a_ledger = fixture.ledgers.iter().any(|ledger| {
                size <= ledger.size()
                    && position < size
                    && ledger.root_at(size) == root
                    && ledger.leaves[position as usize] == leaf
            });
            assert!(
                true_of_a_ledger,
                "accepted forgery: leaf {leaf} at {position} in size {size}: {bundle:?}"
            );
        }
        Ok(Proven::Consistency { from, to }) => {
            let true_of_a_ledger = (0..fixture.ledgers.len()).any(|ledger| {
                fixture.states_prefix_of(ledger, &from) && fixture.states_prefix_of(ledger, &to)
            });
            assert!(
                true_of_a_ledger,
                "accepted forgery: {from:?} is not a prefix of {to:?}: {bundle:?}"
            );
        }
        Err(_) => {}
    }
}

fn mutate_u64(u: &mut Unstructured<'_>, value: &mut u64) -> Result<()> {
    *value = match u.int_in_range(0..=3u8)? {
        0 => value.wrapping_add(1),
        1 => value.wrapping_sub(1),
        2 => u.int_in_range(0..=8)?,
        _ => u.arbitrary()?,
    };
    Ok(())
}

fn mutate_path(u: &mut Unstructured<'_>, path: &mut Vec<String>, pool: &[String]) -> Result<()> {
    match u.int_in_range(0..=5u8)? {
        0 if !path.is_empty() => {
            let at = u.choose_index(path.len())?;
            let mut bytes = path[at].clone().into_bytes();
            let i = u
                .choose_index(bytes.len().max(1))?
                .min(bytes.len().saturating_sub(1));
            if let Some(byte) = bytes.get_mut(i) {
                *byte = *u.choose(b"0123456789abcdefA")?;
            }
            path[at] = String::from_utf8_lossy(&bytes).into_owned();
        }
        1 if !path.is_empty() => {
            path.remove(u.choose_index(path.len())?);
        }
        2 => {
            let at = u.int_in_range(0..=path.len())?;
            path.insert(at, u.choose(pool)?.clone());
        }
        3 if path.len() > 1 => {
            let (i, j) = (u.choose_index(path.len())?, u.choose_index(path.len())?);
            path.swap(i, j);
        }
        4 if !path.is_empty() => {
            let at = u.choose_index(path.len())?;
            path[at] = u.choose(pool)?.clone();
        }
        _ => {
            let at = u.int_in_range(0..=path.len())?;
            path.insert(at, Hash(u.arbitrary()?).to_hex());
        }
    }
    Ok(())
}

fn as_bundle_mutations(fixture: &Fixture, u: &mut Unstructured<'_>) -> Result<()> {
    static BUNDLES: LazyLock<Vec<ProofBundle>> = LazyLock::new(|| {
        let fixture = kaohe_fuzz::fixture();
        [fixture.inclusion_bundles(), fixture.consistency_bundles()].concat()
    });
    // Every hash the fixture's proofs use, every event and every signed note, to splice in.
    static HASHES: LazyLock<Vec<String>> = LazyLock::new(|| {
        let fixture = kaohe_fuzz::fixture();
        let mut hashes: Vec<String> = fixture
            .ledgers
            .iter()
            .flat_map(|ledger| {
                (1..=ledger.size())
                    .map(|size| ledger.root_at(size).to_hex())
                    .chain(ledger.leaves.iter().map(Hash::to_hex))
            })
            .collect();
        hashes.sort();
        hashes.dedup();
        hashes
    });
    let notes: Vec<&String> = fixture
        .checkpoints
        .iter()
        .map(|signed| &signed.note)
        .chain(&fixture.cosigned_notes)
        .collect();
    let events: Vec<&Vec<u8>> = fixture
        .ledgers
        .iter()
        .flat_map(|ledger| &ledger.events)
        .collect();
    let mut bundle = u.choose(&BUNDLES)?.clone();
    for _ in 0..u.int_in_range(1..=3u8)? {
        match &mut bundle {
            ProofBundle::Inclusion {
                position,
                size,
                event,
                path,
                checkpoint,
            } => match u.int_in_range(0..=5u8)? {
                0 => mutate_u64(u, position)?,
                1 => mutate_u64(u, size)?,
                2 => {
                    let mut bytes = event.clone().into_bytes();
                    if !bytes.is_empty() {
                        let at = u.choose_index(bytes.len())?;
                        bytes[at] ^= 1 << u.int_in_range(0..=7u8)?;
                    }
                    *event = String::from_utf8_lossy(&bytes).into_owned();
                }
                3 => *event = String::from_utf8_lossy(u.choose(&events)?).into_owned(),
                4 => mutate_path(u, path, &HASHES)?,
                _ => *checkpoint = (*u.choose(&notes)?).clone(),
            },
            ProofBundle::Consistency {
                from_size,
                to_size,
                path,
                from_checkpoint,
                to_checkpoint,
            } => match u.int_in_range(0..=5u8)? {
                0 => mutate_u64(u, from_size)?,
                1 => mutate_u64(u, to_size)?,
                2 => mutate_path(u, path, &HASHES)?,
                3 => *from_checkpoint = (*u.choose(&notes)?).clone(),
                4 => *to_checkpoint = (*u.choose(&notes)?).clone(),
                _ => std::mem::swap(from_checkpoint, to_checkpoint),
            },
        }
    }
    check_proven(fixture, &bundle);
    // The bundle's file reads back as the same bundle; a size or position beyond 2^53 − 1,
    // which the mutations can make, has no spelling at all.
    if let Ok(file) = bundle.to_file() {
        assert_eq!(ProofBundle::from_file(&file), Ok(bundle));
    }
    Ok(())
}

/// A tree of 70 leaves and a fork that shares its first 37.
struct Trees {
    leaves: Vec<Hash>,
    tree: MemoryTree,
    fork_leaves: Vec<Hash>,
    fork: MemoryTree,
}

const TREE_SIZE: u64 = 70;
const TREE_FORK_AT: u64 = 37;

static TREES: LazyLock<Trees> = LazyLock::new(|| {
    let leaves: Vec<Hash> = (0..TREE_SIZE)
        .map(|i| leaf_hash(&i.to_le_bytes()))
        .collect();
    let fork_leaves: Vec<Hash> = (0..TREE_SIZE)
        .map(|i| {
            if i < TREE_FORK_AT {
                leaves[i as usize]
            } else {
                leaf_hash(&(i + 1000).to_le_bytes())
            }
        })
        .collect();
    let build = |leaves: &[Hash]| {
        let mut tree = MemoryTree::new();
        for leaf in leaves {
            tree.push(*leaf);
        }
        tree
    };
    Trees {
        tree: build(&leaves),
        fork: build(&fork_leaves),
        leaves,
        fork_leaves,
    }
});

fn root_of(tree: &MemoryTree, size: u64) -> Hash {
    let Ok(hash) = root(tree, size);
    hash
}

/// A path built from real proof hashes, with fuzzer-chosen edits.
fn fuzzed_path(u: &mut Unstructured<'_>, real: &[Hash]) -> Result<Vec<Hash>> {
    let trees = &*TREES;
    let mut path = real.to_vec();
    for _ in 0..u.int_in_range(0..=3u8)? {
        match u.int_in_range(0..=4u8)? {
            0 if !path.is_empty() => {
                let at = u.choose_index(path.len())?;
                path[at].0[u.choose_index(32)?] ^= 1 << u.int_in_range(0..=7u8)?;
            }
            1 if !path.is_empty() => {
                path.remove(u.choose_index(path.len())?);
            }
            2 => {
                let at = u.int_in_range(0..=path.len())?;
                let size = u.int_in_range(1..=TREE_SIZE)?;
                let hash = if u.arbitrary()? {
                    root_of(&trees.tree, size)
                } else {
                    *u.choose(&trees.leaves)?
                };
                path.insert(at, hash);
            }
            3 if path.len() > 1 => {
                let (i, j) = (u.choose_index(path.len())?, u.choose_index(path.len())?);
                path.swap(i, j);
            }
            _ => {
                let at = u.int_in_range(0..=path.len())?;
                path.insert(at, Hash(u.arbitrary()?));
            }
        }
    }
    Ok(path)
}

fn as_raw_paths(u: &mut Unstructured<'_>) -> Result<()> {
    let trees = &*TREES;
    if u.arbitrary()? {
        // Inclusion of a (possibly wrong) leaf at a (possibly wrong) index, against the true
        // root of the claimed size, with a path derived from some real proof.
        let size = u.int_in_range(1..=TREE_SIZE)?;
        let index = u.int_in_range(0..=TREE_SIZE)?;
        let proof_index = u.int_in_range(0..=size - 1)?;
        let proof_size = u.int_in_range(proof_index + 1..=TREE_SIZE)?;
        let real = inclusion_proof(&trees.tree, proof_index, proof_size).expect("in the tree");
        let path = fuzzed_path(u, &real)?;
        let leaf = if u.arbitrary()? {
            *u.choose(&trees.leaves)?
        } else {
            *u.choose(&trees.fork_leaves)?
        };
        let claimed_root = root_of(&trees.tree, size);
        if verify_inclusion(&leaf, index, size, &path, &claimed_root).is_ok() {
            assert!(index < size);
            assert_eq!(leaf, trees.leaves[index as usize], "accepted a wrong leaf");
            let expected = inclusion_proof(&trees.tree, index, size).expect("in the tree");
            assert_eq!(path, expected, "accepted a path that is not the proof");
        }
    } else {
        // Consistency between a size of the tree and a size of the tree or of its fork.
        let old = u.int_in_range(0..=TREE_SIZE)?;
        let new = u.int_in_range(0..=TREE_SIZE)?;
        let to_fork = u.arbitrary::<bool>()?;
        let proof_old = u.int_in_range(1..=TREE_SIZE)?;
        let proof_new = u.int_in_range(proof_old..=TREE_SIZE)?;
        let real = consistency_proof(
            if to_fork { &trees.fork } else { &trees.tree },
            proof_old,
            proof_new,
        )
        .expect("in the tree");
        let path = fuzzed_path(u, &real)?;
        let old_root = root_of(&trees.tree, old);
        let new_tree = if to_fork { &trees.fork } else { &trees.tree };
        let new_root = root_of(new_tree, new);
        if verify_consistency(old, new, &old_root, &new_root, &path).is_ok() {
            assert!(0 < old && old <= new);
            assert!(
                !to_fork || old <= TREE_FORK_AT,
                "accepted a consistency proof from size {old} into the fork at size {new}"
            );
            let expected = consistency_proof(new_tree, old, new).expect("in the tree");
            assert_eq!(path, expected, "accepted a path that is not the proof");
        }
    }
    Ok(())
}
