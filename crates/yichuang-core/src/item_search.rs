//! Item search at the counter: by name, by code and by pinyin initials (`jzz` finds 居住证),
//! built once per catalogue so each keystroke is a scan of prepared keys, not of pinyin tables.

use pinyin::ToPinyinMulti;

use crate::{Catalogue, ServiceItem};

/// How many items one search returns at most.
pub const MAX_HITS: usize = 50;

/// One item's prepared search keys.
struct ItemKeys {
    /// Name and codes, lower-cased.
    text: String,
    /// Per character of the name: every initial it may be read with (heteronyms: 行 → x, h).
    initials: Vec<Vec<char>>,
    /// The name's plain pinyin, first reading of each character, no separators.
    spelled: String,
}

/// The catalogue's items with their search keys, in catalogue order.
pub struct ItemIndex {
    keys: Vec<ItemKeys>,
}

impl ItemIndex {
    pub fn new(catalogue: &Catalogue) -> Self {
        ItemIndex {
            keys: catalogue.items.iter().map(item_keys).collect(),
        }
    }

    /// Indices (into `catalogue.items`) of items matching every whitespace-separated word
    /// of `query`: a word matches when the name or a code contains it, when it is a run of
    /// pinyin initials of consecutive characters, or part of the name's spelled pinyin.
    /// Items whose name starts with the first word come first; at most [`MAX_HITS`].
    pub fn search(&self, query: &str) -> Vec<usize> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() {
            return (0..self.keys.len()).take(MAX_HITS).collect();
        }
        let mut hits: Vec<(bool, usize)> = self
            .keys
            .iter()
            .enumerate()
            .filter(|(_, k)| words.iter().all(|w| k.matches(w)))
            .map(|(i, k)| (!k.starts_with(&words[0]), i))
            .collect();
        hits.sort();
        hits.into_iter().take(MAX_HITS).map(|(_, i)| i).collect()
    }
}

impl ItemKeys {
    fn matches(&self, word: &str) -> bool {
        if self.text.contains(word) {
            return true;
        }
        if !word.chars().all(|c| c.is_ascii_alphabetic()) {
            return false;
        }
        self.spelled.contains(word) || initials_match(&self.initials, word)
    }

    fn starts_with(&self, word: &str) -> bool {
        self.text.starts_with(word)
            || self.spelled.starts_with(word)
            || initials_at(&self.initials, 0, word)
    }
}

fn initials_match(initials: &[Vec<char>], word: &str) -> bool {
    (0..initials.len()).any(|start| initials_at(initials, start, word))
}

fn initials_at(initials: &[Vec<char>], start: usize, word: &str) -> bool {
    let n = word.chars().count();
    start + n <= initials.len()
        && word
            .chars()
            .zip(&initials[start..])
            .all(|(c, set)| set.contains(&c))
}

fn item_keys(item: &ServiceItem) -> ItemKeys {
    let text = format!("{} {} {}", item.name, item.item_code, item.base_code).to_lowercase();
    let mut initials = Vec::new();
    let mut spelled = String::new();
    for (c, readings) in item.name.chars().zip(item.name.as_str().to_pinyin_multi()) {
        match readings {
            Some(multi) => {
                if let Some(first) = multi.get_opt(0) {
                    spelled.push_str(first.plain());
                }
                let mut set: Vec<char> = multi
                    .into_iter()
                    .filter_map(|p| p.plain().chars().next())
                    .collect();
                set.sort_unstable();
                set.dedup();
                initials.push(set);
            }
            // Letters and digits in a name (e.g. "B类") stand for themselves.
            None if c.is_ascii_alphanumeric() => {
                initials.push(vec![c.to_ascii_lowercase()]);
                spelled.push(c.to_ascii_lowercase());
            }
            // Punctuation such as （） breaks neither the initials nor the spelling.
            None => {}
        }
    }
    ItemKeys {
        text,
        initials,
        spelled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::from_json(include_str!("../../../assets/demo/catalogue.json")).unwrap()
    }

    fn names(cat: &Catalogue, query: &str) -> Vec<String> {
        ItemIndex::new(cat)
            .search(query)
            .into_iter()
            .map(|i| cat.items[i].name.clone())
            .collect()
    }

    #[test]
    fn pinyin_initials_find_the_item() {
        let cat = catalogue();
        let hits = names(&cat, "jzz");
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|n| n.contains("居住证")), "{hits:?}");
    }

    #[test]
    fn name_code_and_spelled_pinyin_match() {
        let cat = catalogue();
        assert!(names(&cat, "居住证").iter().all(|n| n.contains("居住证")));
        let code = &cat.items[0].item_code;
        assert_eq!(names(&cat, code), vec![cat.items[0].name.clone()]);
        assert!(names(&cat, "juzhu").iter().all(|n| n.contains("居住")));
    }

    #[test]
    fn heteronyms_match_either_reading() {
        let cat = Catalogue::from_json(
            r#"{"version":"t","region_code":"440111","items":[
            {"item_code":"A","name":"银行开户","department":"d","kind":"immediate",
             "statutory_limit_days":1,"promised_limit_days":0,"materials":[]}]}"#,
        )
        .unwrap();
        // 行 reads háng here; its other reading xíng must not hide the item either way.
        assert_eq!(names(&cat, "yhkh").len(), 1);
        assert_eq!(names(&cat, "yxkh").len(), 1);
        assert!(names(&cat, "zzz").is_empty());
    }

    #[test]
    fn every_word_must_match_and_prefix_hits_come_first() {
        let cat = catalogue();
        let hits = names(&cat, "居住证 zz");
        assert!(hits.iter().all(|n| n.contains("居住证")));
        let all = ItemIndex::new(&cat).search("");
        assert_eq!(all.len(), cat.items.len().min(MAX_HITS));
    }
}
