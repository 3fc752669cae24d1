//! PageRefs lent to one output's template context and taken back after it rendered.
//!
//! Tera wants an owned JSON tree per render, and most outputs of a big site are lists of
//! PageRefs (10 per tag page, 5 related reports on every page). Cloning each ref into each
//! list and dropping it again was a quarter of a full build's CPU. Instead every rayon thread
//! keeps its own shelf of refs, cloned once on first use; an output borrows refs off the shelf
//! by moving them into its context and puts them back when its render is done. A ref that is
//! already lent (the same page twice in one output) is cloned as before.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

use crate::model::PageId;

/// Where in a context a lent ref sits: a path of object keys, then an array index if any.
pub struct Loan {
    pub path: &'static [&'static str],
    pub index: Option<usize>,
    pub id: PageId,
}

enum Slot {
    /// Not cloned onto this thread's shelf yet.
    Empty,
    Here(Value),
    Lent,
}

struct Shelf {
    /// Which `Lender` the slots belong to; another build's refs are never handed out.
    generation: u64,
    slots: Vec<Slot>,
}

thread_local! {
    static SHELF: RefCell<Shelf> = const { RefCell::new(Shelf { generation: 0, slots: Vec::new() }) };
}

static GENERATION: AtomicU64 = AtomicU64::new(1);

pub struct Lender<'a> {
    generation: u64,
    source: &'a [Value],
}

impl<'a> Lender<'a> {
    pub fn new(source: &'a [Value]) -> Lender<'a> {
        Lender {
            generation: GENERATION.fetch_add(1, Ordering::Relaxed),
            source,
        }
    }

    /// The ref of `id`, moved off this thread's shelf (or cloned if it is already out).
    pub fn lend(&self, id: PageId) -> Value {
        SHELF.with(|shelf| {
            let mut shelf = shelf.borrow_mut();
            if shelf.generation != self.generation {
                shelf.generation = self.generation;
                shelf.slots.clear();
                shelf.slots.resize_with(self.source.len(), || Slot::Empty);
            }
            match shelf.slots.get_mut(id) {
                Some(slot @ Slot::Here(_)) => match std::mem::replace(slot, Slot::Lent) {
                    Slot::Here(v) => v,
                    _ => Value::Null,
                },
                Some(slot @ Slot::Empty) => {
                    *slot = Slot::Lent;
                    self.source[id].clone()
                }
                _ => self.source.get(id).cloned().unwrap_or(Value::Null),
            }
        })
    }

    /// Puts every lent ref of a rendered context back on the shelf. A ref that was extended
    /// into a bigger object (a page's own view) gets back only the keys a PageRef has; refs
    /// nested in it are taken back first, deepest first.
    pub fn take_back(&self, mut context: Value, loans: &mut [Loan]) {
        loans.sort_by_key(|l| std::cmp::Reverse(l.path.len()));
        SHELF.with(|shelf| {
            let mut shelf = shelf.borrow_mut();
            if shelf.generation != self.generation {
                return;
            }
            for loan in loans.iter() {
                let Some(value) = find(&mut context, loan) else {
                    continue;
                };
                let mut value = std::mem::take(value);
                if let (Value::Object(map), Some(Value::Object(original))) =
                    (&mut value, self.source.get(loan.id))
                {
                    if map.len() != original.len() {
                        map.retain(|k, _| original.contains_key(k));
                    }
                }
                if let Some(slot @ Slot::Lent) = shelf.slots.get_mut(loan.id) {
                    *slot = Slot::Here(value);
                }
            }
        });
    }
}

fn find<'v>(context: &'v mut Value, loan: &Loan) -> Option<&'v mut Value> {
    let mut at = context;
    for key in loan.path {
        at = at.as_object_mut()?.get_mut(*key)?;
    }
    match loan.index {
        Some(i) => at.as_array_mut()?.get_mut(i),
        None => Some(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lent_refs_come_back_unchanged_and_duplicates_are_cloned() {
        let source = vec![json!({"title": "甲"}), json!({"title": "乙"})];
        let lender = Lender::new(&source);
        let a = lender.lend(0);
        let again = lender.lend(0);
        assert_eq!(a, source[0]);
        assert_eq!(again, source[0], "a ref lent twice in one output");
        let context = json!({"paginator": {"pages": [a]}, "page": {"previous": again}});
        lender.take_back(
            context,
            &mut [
                Loan {
                    path: &["paginator", "pages"],
                    index: Some(0),
                    id: 0,
                },
                Loan {
                    path: &["page", "previous"],
                    index: None,
                    id: 0,
                },
            ],
        );
        assert_eq!(lender.lend(0), source[0]);
        assert_eq!(lender.lend(1), source[1]);

        // A page's own view: its ref plus page-only keys, with a neighbour lent inside it.
        let mut own = lender.lend(1);
        let neighbour = lender.lend(0);
        if let Value::Object(m) = &mut own {
            m.insert("content".into(), json!("<p>正文</p>"));
            m.insert("previous".into(), neighbour);
        }
        lender.take_back(
            json!({"page": own}),
            &mut [
                Loan {
                    path: &["page"],
                    index: None,
                    id: 1,
                },
                Loan {
                    path: &["page", "previous"],
                    index: None,
                    id: 0,
                },
            ],
        );
        assert_eq!(lender.lend(1), source[1], "page-only keys came back");
        assert_eq!(lender.lend(0), source[0], "the nested neighbour was lost");
        // Another build's lender never sees this one's shelf.
        let other_source = vec![json!({"title": "丙"})];
        let other = Lender::new(&other_source);
        assert_eq!(other.lend(0), other_source[0]);
    }
}
