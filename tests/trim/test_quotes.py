"""Direct quotations and their speakers, and the key quotes a digest shows."""

from digest.domain import Article
from digest.trim.quotes import find_quotes, key_quotes


def quotes(*paragraphs: str, language: str) -> list[tuple[str, str | None]]:
    article = Article(title="T", paragraphs=list(paragraphs), language=language)
    return [(q.text, q.speaker) for q in find_quotes(article)]


def test_cue_after_inverted_and_plain():
    assert quotes("“We will rebuild the bridge by May,” said Mayor Ann Lee.", language="en") == [
        ("We will rebuild the bridge by May", "Ann Lee")
    ]
    assert quotes("“We will rebuild the bridge by May,” Ann Lee said.", language="en") == [
        ("We will rebuild the bridge by May", "Ann Lee")
    ]
    assert quotes(
        "„Wir bauen die Brücke bis Mai wieder auf“, so Bürgermeisterin Anna Lehmann.", language="de"
    ) == [("Wir bauen die Brücke bis Mai wieder auf", "Anna Lehmann")]


def test_colon_introduction_and_pronoun_resolved_to_the_subject_before():
    got = quotes(
        "Bürgermeisterin Anna Lehmann besuchte am Montag die Baustelle.",
        "Sie erklärte: „Die Brücke wird bis Mai fertig sein.“",
        language="de",
    )
    assert got == [("Die Brücke wird bis Mai fertig sein.", "Anna Lehmann")]


def test_inverted_pronoun_in_french():
    got = quotes(
        "Le maire Jean Martin a visité le chantier. « Le pont sera prêt en mai », a-t-il assuré.",
        language="fr",
    )
    assert got == [("Le pont sera prêt en mai", "Jean Martin")]


def test_split_quotation_gives_both_parts_the_speaker():
    got = quotes("“The bridge will be ready,” said Ann Lee. “We are on schedule.”", language="en")
    assert got == [("The bridge will be ready", "Ann Lee"), ("We are on schedule.", "Ann Lee")]


def test_quotation_over_several_paragraphs_is_one():
    got = quotes(
        "Ann Lee spoke for an hour.",
        "“The first part of the work is done.",
        "“The second part starts in March and ends in May,” she said.",
        language="en",
    )
    assert got == [
        ("The first part of the work is done. The second part starts in March and ends in May", "Ann Lee")
    ]


def test_according_to_and_selon_segun_secondo_laut():
    assert quotes("Según el ministro Juan Pérez, «la obra estará lista en mayo».", language="es") == [
        ("la obra estará lista en mayo", "Juan Pérez")
    ]
    assert quotes("Secondo il sindaco Marco Rossi, «il ponte sarà pronto a maggio».", language="it") == [
        ("il ponte sarà pronto a maggio", "Marco Rossi")
    ]


def test_unstated_subject_in_spanish_and_italian():
    assert quotes(
        "El ministro Juan Pérez visitó la obra. «Estará lista en mayo sin falta», dijo.", language="es"
    ) == [("Estará lista en mayo sin falta", "Juan Pérez")]


def test_scare_quotes_short_terms_and_titles_are_not_quotations():
    assert (
        quotes(
            "The mayor called it “a success” in the documentary “The Bridge That Came Back Home”.",
            language="en",
        )
        == []
    )
    assert (
        quotes("Das Motto lautete unter dem Motto „Eine Brücke für alle Menschen“ im Mai.", language="de")
        == []
    )
    assert quotes("Il a salué un « moment historique » pour la ville.", language="fr") == []


def test_names_of_organisations_in_quotation_marks_are_not_quotations():
    assert (
        quotes("Die „Union pour un Mouvement Populaire“ (UMP) gewann die Wahl deutlich.", language="de") == []
    )


def test_key_quotes_prefer_one_per_speaker_and_skip_the_lede():
    article = Article(
        title="T",
        language="en",
        paragraphs=[
            "“The bridge will be ready in May, as we promised from the start,” said Ann Lee.",
            "“We are on schedule and on budget for the whole project,” Lee added.",
            "“I have doubts that the schedule can hold through the winter,” said Tom Hart.",
        ],
    )
    chosen = key_quotes(article, 2)
    assert [q.speaker for q in chosen] == ["Ann Lee", "Tom Hart"]
    lede = "The bridge will be ready in May, as we promised from the start, said Ann Lee."
    assert [q.text for q in key_quotes(article, 3, lede=lede)] == [
        "We are on schedule and on budget for the whole project",
        "I have doubts that the schedule can hold through the winter",
    ]
    assert key_quotes(article, 0) == []


def test_unattributed_quotations_are_never_key_quotes():
    article = Article(
        title="T", language="en", paragraphs=["The sign read “Closed for the whole winter season.”"]
    )
    assert key_quotes(article, 3) == []


def test_a_pronoun_goes_to_the_nearest_person_of_its_gender():
    got = quotes(
        "Bürgermeister Hans Weber und Stadträtin Anna Roth besuchten am Montag die Baustelle.",
        "Sie sagte: „Die Brücke wird bis Mai fertig sein.“",
        language="de",
    )
    assert got == [("Die Brücke wird bis Mai fertig sein.", "Anna Roth")]
    got = quotes(
        "Mrs Ann Lee met Mr Tom Hart on Monday. “The bridge will be ready by May,” he said.", language="en"
    )
    assert got == [("The bridge will be ready by May", "Mr Tom Hart")]


def test_word_order_and_postpositions_come_from_the_language_data():
    # English puts the subject before the verb: the person after "told" is its object
    english = quotes(
        "Jones told Mary Beth Smith in a letter that “we will not give up on this project, whatever the council "
        "decides.”",
        language="en",
    )
    assert english == [("we will not give up on this project, whatever the council decides.", "Jones")]
    # German may put it after the verb: Ähnlich äußerte sich … (tests/fixtures/trim/de); and "zufolge"
    # attributes to the name before it (der Polizei zufolge), never to the one after it
    german = Article(title="T", language="de", paragraphs=[
        "Der Polizei zufolge hatte Hans Weber „die Lage am Abend nicht mehr unter Kontrolle“."
    ])  # fmt: skip
    assert [(q.speaker, q.cue) for q in find_quotes(german)] == [("Hans Weber", None)]
