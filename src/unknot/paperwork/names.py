"""Does a typed name match the name on the record? Leniently: case, accents, punctuation,
extra spaces and middle names do not matter; the first given name and the last family name
must be there, in that order.

"penny  parker", "Penny J. Parker" and "PENNY PARKER." match Penny Parker; "Parker",
"P. Parker" and "Peggy Parker" do not. A hyphen counts as a space, so "Smith Jones" matches
"Smith-Jones", and so does "Jones" alone when it is the last word of the family name.
"""

import re
import unicodedata

NOT_A_LETTER = re.compile(r"[^a-z' ]+")


def words_of(name: str) -> list[str]:
    """The name's words: without accents, lower case, hyphens and other marks as spaces."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    plain = plain.replace("\u2019", "'")
    return [w.strip("'") for w in NOT_A_LETTER.sub(" ", plain).split() if w.strip("'")]


def name_matches(typed: str, first_name: str, last_name: str) -> bool:
    typed_words = words_of(typed)
    given, family = words_of(first_name), words_of(last_name)
    if len(typed_words) < 2 or not given or not family:
        return False
    return typed_words[0] == given[0] and typed_words[-1] == family[-1]
