//! PageRefs lent to one output's template context and taken back after it rendered.
//!
//! Tera wants an owned JSON tree per render, and most outputs of a big site are lists of
//! PageRefs (10 per tag page, 5 related reports on every page). Cloning each ref into each
//! list and dropping it again was a quarter of a full build's CPU. Instead a shelf holds one
//! working copy of every ref, cloned on first use; an output borrows refs by moving them into
//! its context and puts them back when its render is done. A ref that is out at that moment
//! (the same page twice in one output, or in an output another thread is rendering) is
//! cloned as before.

use std::sync::{Mutex, PoisonError};

use serde_json::Value;

use crate::model::PageId;

/// Where in a context a lent ref sits: a path of object keys, then an array index if any.
pub struct Loan {
    pub path: &'static [&'static str],
    pub index: Option<usize>,
    pub id: PageId,
}

enum Slot {
    /// Not cloned onto the shelf yet.
    Empty,
    Here(Value),
    Lent,
}

pub struct Lender<'a> {
    source: &'a [Value],
    shelf: Vec<Mutex<Slot>>,
}

impl<'a> Lender<'a> {
    pub fn new(source: &'a [Value]) -> Lender<'a> {
        Lender {
            source,
            shelf: source.iter().map(|_| Mutex::new(Slot::Empty)).collect(),
        }
    }

    /// The ref of `id`, moved off the shelf (or cloned if it is out).
    pub fn lend(&self, id: PageId) -> Value {
        let Some(slot) = self.shelf.get(id) else {
            return Value::Null;
        };
        let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
        match std::mem::replace(&mut *slot, Slot::Lent) {
            Slot::Here(v) => v,
            Slot::Empty | Slot::Lent => self.source[id].clone(),
        }
    }

    /// Puts every lent ref of a rendered context back on the shelf. A ref that was extended
    /// into a bigger object (a page's own view) gets back only the keys a PageRef has; refs
    /// nested in it are taken back first, deepest first.
    pub fn take_back(&self, mut context: Value, loans: &mut [Loan]) {
        loans.sort_by_key(|l| std::cmp::Reverse(l.path.len()));
        for loan in loans.iter() {
            let (Some(value), Some(slot)) = (find(&mut context, loan), self.shelf.get(loan.id))
            else {
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
            let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
            if matches!(*slot, Slot::Lent) {
                *slot = Slot::Here(value);
            }
        }
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
    }
}
