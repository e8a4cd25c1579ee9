"""Hypothesis strategies for valid credential content: any Unicode text, many alignments."""

from hypothesis import strategies as st

from credplugin.openbadges import Alignment, Criteria, Evidence
from tests.openbadges import builders

# Any Unicode except surrogates and the control characters RDFC-1.0 escapes but pyld does not
# (canonicalize refuses those); tab, newline and carriage return are kept.
TEXT_CHARACTERS = st.characters(
    blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r"
) | st.sampled_from('עברית العربية 🎓👩🏽‍💻 é \u00a0\u2028"\\<>&')
text = st.text(TEXT_CHARACTERS, min_size=1, max_size=300)
long_text = st.text(TEXT_CHARACTERS, min_size=0, max_size=3000)
url = st.integers(0, 10**9).map(lambda n: f"https://frameworks.example.org/items/{n}")
alignment = st.builds(
    Alignment,
    target_name=text,
    target_url=url,
    target_code=st.none() | text,
    target_framework=st.none() | text,
)
hours = st.none() | st.integers(0, 10_000) | st.floats(0.5, 10_000, allow_nan=False)


@st.composite
def credentials(draw, issuer="did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"):
    """Unsigned credential JSON with random texts, alignments, tags, evidence and hours."""
    badge = builders.achievement(
        name=draw(text),
        description=draw(long_text),
        criteria=Criteria(narrative=draw(long_text)),
        alignments=draw(st.lists(alignment, max_size=40)),
        tags=draw(st.lists(text, max_size=8)),
        credits_available=draw(hours),
    )
    evidence = draw(st.lists(st.builds(Evidence, name=text, narrative=long_text), max_size=3))
    return builders.credential(issuer, achievement=badge, evidence=evidence).to_json()
