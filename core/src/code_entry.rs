//! The six-box verification code input: what typing, pasting and backspace do to the boxes.

pub const CODE_LENGTH: usize = 6;

/// One optional digit per box.
pub type Slots = [Option<char>; CODE_LENGTH];

/// `raw` is the new value of box `index` after an input event (a typed digit, a replaced digit, or a
/// pasted or autofilled code). Its digits fill the boxes from `index` on. Returns the box to focus next.
pub fn enter(slots: &mut Slots, index: usize, raw: &str) -> usize {
    let mut digits: Vec<char> = raw.chars().filter(char::is_ascii_digit).collect();
    // Typing into a filled box gives the old digit plus the new one: keep the new one.
    if digits.len() == 2 {
        if let Some(old) = slots[index] {
            if let Some(pos) = digits.iter().position(|d| *d == old) {
                digits.remove(pos);
            }
        }
    }
    if digits.is_empty() {
        slots[index] = None;
        return index;
    }
    for (offset, digit) in digits.iter().enumerate().take(CODE_LENGTH - index) {
        slots[index + offset] = Some(*digit);
    }
    (index + digits.len()).min(CODE_LENGTH - 1)
}

/// Backspace in box `index`: clears it, or when already empty clears the previous box. Returns the box to focus.
pub fn backspace(slots: &mut Slots, index: usize) -> usize {
    if slots[index].is_some() || index == 0 {
        slots[index] = None;
        index
    } else {
        slots[index - 1] = None;
        index - 1
    }
}

/// The code once every box holds a digit.
pub fn complete(slots: &Slots) -> Option<String> {
    slots.iter().copied().collect::<Option<String>>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_moves_forward_and_replaces() {
        let mut slots: Slots = [None; 6];
        assert_eq!(enter(&mut slots, 0, "1"), 1);
        assert_eq!(enter(&mut slots, 1, "2"), 2);
        assert_eq!(enter(&mut slots, 0, "19"), 1);
        assert_eq!(slots[0], Some('9'));
        assert_eq!(enter(&mut slots, 2, "x"), 2);
        assert_eq!(slots[2], None);
    }

    #[test]
    fn paste_fills_from_the_box_and_completes() {
        let mut slots: Slots = [None; 6];
        assert_eq!(enter(&mut slots, 0, " 123-456 "), 5);
        assert_eq!(complete(&slots).as_deref(), Some("123456"));
        let mut slots: Slots = [None; 6];
        enter(&mut slots, 4, "987654");
        assert_eq!(slots, [None, None, None, None, Some('9'), Some('8')]);
        assert_eq!(complete(&slots), None);
    }

    #[test]
    fn backspace_walks_back() {
        let mut slots: Slots = [Some('1'), Some('2'), None, None, None, None];
        assert_eq!(backspace(&mut slots, 2), 1);
        assert_eq!(slots[1], None);
        assert_eq!(backspace(&mut slots, 0), 0);
        assert_eq!(slots[0], None);
    }
}
