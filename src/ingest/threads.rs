//! Conversations rebuilt from reply-to links (the threads shape): each message joins the
//! conversation of its root, the earliest ancestor present in the input.

use rustc_hash::FxHashMap;

/// For each message id (in order of first appearance), the index of its root, given each
/// id's parent id. Linear: every id is walked once, its root remembered for the ids below it
/// (a chain of 40k replies took 39 s when each message walked up on its own).
///
/// A parent that is absent, or the message itself, ends the walk. A reply-to cycle (broken
/// data) is one conversation, rooted at its member that appears first.
pub(super) fn roots(parents: &[Option<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    const ON_PATH: usize = usize::MAX - 1;
    let mut root = vec![UNSEEN; parents.len()];
    let mut path = Vec::new();
    for start in 0..parents.len() {
        let mut at = start;
        // Walk up to a message whose root is known, a root, or back onto this walk.
        let found = loop {
            match root[at] {
                UNSEEN => {}
                ON_PATH => {
                    // A cycle: from `at` round to itself is on `path`; its first member in
                    // input order roots it.
                    let from = path.iter().position(|node| *node == at).unwrap_or(0);
                    break path[from..].iter().copied().min().unwrap_or(at);
                }
                known => break known,
            }
            root[at] = ON_PATH;
            path.push(at);
            match parents[at] {
                Some(parent) if parent != at => at = parent,
                _ => break at,
            }
        };
        for node in path.drain(..) {
            root[node] = found;
        }
    }
    root
}

/// Each distinct id, in order of first appearance, with its parent among them: the parent
/// of an id is that of its last message that names one (an export that repeats a message).
pub(super) fn link<'m>(
    messages: impl Iterator<Item = (&'m str, Option<&'m str>)>,
) -> (Vec<&'m str>, Vec<usize>, Vec<Option<usize>>) {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut ids = Vec::new();
    let mut parent_ids: Vec<Option<&str>> = Vec::new();
    let mut node_of_message = Vec::new();
    for (id, parent) in messages {
        let node = *index.entry(id).or_insert_with(|| {
            ids.push(id);
            parent_ids.push(None);
            ids.len() - 1
        });
        if parent.is_some() {
            parent_ids[node] = parent;
        }
        node_of_message.push(node);
    }
    let parents = parent_ids
        .iter()
        .map(|parent| parent.and_then(|id| index.get(id).copied()))
        .collect();
    (ids, node_of_message, parents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_roots_and_missing_parents() {
        // 0 <- 1 <- 2, 3 (parent absent), 4 <- 5
        let parents = [None, Some(0), Some(1), None, None, Some(4)];
        assert_eq!(roots(&parents), [0, 0, 0, 3, 4, 4]);
        assert_eq!(
            roots(&[Some(0)]),
            [0],
            "a message replying to itself is a root"
        );
        assert!(roots(&[]).is_empty());
    }

    #[test]
    fn a_cycle_is_one_conversation_rooted_at_its_first_member() {
        // 1 -> 2 -> 3 -> 1, and 0 -> 2 leads into it.
        let parents = [Some(2), Some(2), Some(3), Some(1)];
        assert_eq!(roots(&parents), [1, 1, 1, 1]);
    }

    #[test]
    fn a_long_chain_is_linear() {
        // Each message replies to the one before: 200k deep, in reverse order of appearance too.
        let n: usize = 200_000;
        let forward: Vec<Option<usize>> = (0..n).map(|i| i.checked_sub(1)).collect();
        assert!(roots(&forward).iter().all(|root| *root == 0));
        let backward: Vec<Option<usize>> = (0..n).map(|i| (i + 1 < n).then_some(i + 1)).collect();
        assert!(roots(&backward).iter().all(|root| *root == n - 1));
    }

    #[test]
    fn links_take_the_last_named_parent_of_a_repeated_id() {
        let messages = [
            ("a", None),
            ("b", Some("a")),
            ("c", Some("zz")),
            ("b", None),
        ];
        let (ids, nodes, parents) = link(messages.into_iter());
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(nodes, [0, 1, 2, 1]);
        assert_eq!(parents, [None, Some(0), None]);
    }
}
