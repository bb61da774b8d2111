"""German attribution: verb-final cues, subjects after the verb, cue prepositions with roles, speech
nouns, reported speech in the subjunctive, and what is not a name."""

from digest.domain import Article
from digest.text.lang import get
from digest.trim.names import people_in
from digest.trim.quotes import find_quotes


def speakers(*paragraphs: str) -> list[str | None]:
    article = Article(title="T", paragraphs=list(paragraphs), language="de")
    return [q.speaker for q in find_quotes(article)]


def test_subject_between_auxiliary_and_a_verb_final_cue():
    assert speakers(
        "Der Hafen wird ausgebaut. „Wir wollen die Umschlagzahlen bis 2030 verdoppeln“, hatte "
        "Hafenchefin Petra Lange in einem Interview erklärt."
    ) == ["Petra Lange"]


def test_subject_after_the_cue_verb_and_sich_beats_a_sentence_adverb():
    assert speakers(
        "Ähnlich äußerte sich der Verkehrsminister Jonas Albrecht: „Die Strecke wird im Mai wieder befahrbar sein.“"
    ) == ["Jonas Albrecht"]


def test_a_person_opening_the_clause_beats_the_object_of_the_cue():
    assert speakers(
        "Maria Brenner von der Universität Kiel erläutert die neue Theorie so: „Das Eis schmilzt von "
        "unten, nicht von oben.“"
    ) == ["Maria Brenner"]


def test_an_object_after_und_is_not_the_speaker():
    assert speakers(
        "Jonas Albrecht bedankte sich bei seinem Team nach dem Rennen und sagte: „Das war der "
        "schönste Tag meiner Laufbahn.“"
    ) == ["Jonas Albrecht"]


def test_cue_prepositions_take_roles_in_the_dative_and_genitive():
    assert speakers(
        "Der Roman ist laut einem Jury-Mitglied eine „kluge Geschichte über das Scheitern im Kleinen“."
    ) == ["einem Jury-Mitglied"]
    assert speakers(
        "Nach Angaben einer Bauerngewerkschaft sollen „fünf bis sechs Höfe“ geräumt worden sein."
    ) == ["einer Bauerngewerkschaft"]


def test_the_genitive_of_a_speech_noun_is_the_speaker():
    assert speakers(
        "„Die Anfragen sind ihnen zu lästig geworden.“ so das Fazit der Betreiber des Portals."
    ) == ["der Betreiber"]


def test_reported_speech_in_the_subjunctive_continues_the_speaker_before():
    got = speakers(
        "„Wir haben alles richtig gemacht“, so Anwältin Petra Lange. Der Angeklagte sei „nicht "
        "gefährlich oder gewalttätig“."
    )
    assert got == ["Petra Lange", "Petra Lange"]


def test_an_indicative_sentence_keeps_its_own_subject():
    got = speakers(
        "„Wir haben alles richtig gemacht“, so Anwältin Petra Lange. Der Richter Jonas Albrecht hofft, "
        "„dass der Fall bald abgeschlossen wird“."
    )
    assert got == ["Petra Lange", "Jonas Albrecht"]


def test_a_noun_phrase_or_a_party_is_not_a_name():
    got = speakers(
        "Der Bund widersprach der Ansicht, dass ein Aufruf zu Straftaten vorliege. „Hier wird zwar "
        "niemand direkt angegriffen, aber der Ton ist rau“, hieß es.",
        "„Wir bleiben bei unserer Linie in dieser Frage“, so Anna Lehmann von den Grünen.",
    )
    assert got[-1] == "Anna Lehmann"
    assert "Aufruf zu Straftaten" not in got


def test_an_article_and_a_noun_do_not_make_a_known_surname():
    german = get("de")
    assert german is not None
    found = people_in(
        "Die Bochumer Polizei wertet den Brief aus. Der Abgeordnete Hans Weber kam auch. Die Grenze, "
        "die Gerhard Schröder gezogen hatte, hält.",
        german,
    )
    assert "Polizei" not in found
    assert {"Weber", "Schröder"} <= found


def test_a_party_in_parentheses_between_name_and_cue():
    assert speakers(
        "Auch die Familienministerin Renate Lang (SPD) äußerte Vorbehalte und wagte eine Prognose: "
        "„Nicht alle Stimmen der Fraktion werden auf sie entfallen.“"
    ) == ["Renate Lang"]


def test_the_subject_after_a_finite_auxiliary_when_something_else_opens_the_clause():
    assert speakers(
        "Bei der Debatte über den Haushalt hatte sich Petra Lange zu einem Zwischenruf hinreißen lassen: "
        "„Das ist doch alles nur Theater hier.“"
    ) == ["Petra Lange"]
    assert speakers(
        "Bereits im Dezember hatte Ministerin Petra Lange in einer Rede verkündet: „Wir werden uns um "
        "die Spiele bewerben.“"
    ) == ["Petra Lange"]


def test_a_verb_after_und_shares_the_subject_of_its_sentence():
    assert speakers(
        "In seiner Stellungnahme lobte der Premierminister Jonas Albrecht den Einsatz und nannte "
        "Müllers Auftrag „schnell, kraftvoll und entschieden“."
    ) == ["Jonas Albrecht"]


def test_a_quotation_in_parentheses_after_a_name():
    got = speakers(
        "Auch andere gratulierten, so der Leiter der Behörde, Jonas Albrecht („Niemand hat diese Ehre "
        "mehr verdient als sie.“), und die Ministerin Petra Lange."
    )
    assert got == ["Jonas Albrecht"]


def test_a_relative_clause_cue_refers_to_its_antecedent():
    assert speakers(
        "An jedem Gerät musste ein Zettel kleben, auf dem geschrieben stand: „Das Abhören fremder "
        "Sender ist streng verboten.“"
    ) == ["ein Zettel"]


def test_heisst_es_von_names_the_source_and_bare_plural_roles_follow_a_cue():
    assert speakers(
        "„Alle Anzeichen deuten auf einen Anschlag hin“, hieß es vom Abgeordneten Jonas Albrecht."
    ) == ["Jonas Albrecht"]
    assert speakers("„Wozu braucht man diese Organisation überhaupt noch?“, fragen sich Experten.") == [
        "Experten"
    ]
    assert speakers(
        "So warnten Vertreter der Bauverbände vor einem „drohenden Abfluss von Wissen ins Ausland“."
    ) == ["Vertreter"]


def test_nach_darstellung_names_the_source():
    assert speakers(
        "Nach Darstellung des Verlages bietet das Buch eine „differenzierte Betrachtung der alten Fälle“."
    ) == ["des Verlages"]


def test_a_role_after_sich_introduces_a_colon_quotation():
    assert speakers(
        "Timo Lang traf sechsmal. In der ARD zeigt sich der Bundestrainer zufrieden: „Wir haben uns in "
        "allen Teilen deutlich gesteigert.“"
    ) == ["der Bundestrainer"]


def test_the_first_constituent_before_the_cue_is_the_subject():
    got = speakers(
        "Der Feuerwehrchef Juan Ortega bestätigte den Vorfall. Einer der 13 beteiligten Feuerwehrmänner "
        "sagte: „So einen Brand habe ich noch nie gesehen.“"
    )
    assert got == ["Einer der 13 beteiligten Feuerwehrmänner"]


def test_wie_before_a_name_does_not_govern_it():
    assert speakers("„Wir wollten uns nur gut amüsieren“, wie Jonas Müller zitiert wird.") == ["Jonas Müller"]


def test_reported_speech_without_a_quotation_before_goes_to_the_person_named_before():
    got = speakers(
        "Innenminister Jonas Albrecht weist selbst auf die neuen Risiken hin. Die gewonnenen Daten "
        "seien „in besonderem Maße schutzwürdig und heikel“."
    )
    assert got == ["Jonas Albrecht"]


def test_a_genitive_attribute_is_not_the_role_that_speaks():
    got = speakers(
        "Den Unmut der Partei über die Äußerungen brachte die Sprecherin der Fraktion im Landtag, "
        "Petra Lange, zum Ausdruck: „Es gibt keinen Grund, unsere Positionen jetzt aufzugeben.“"
    )
    assert got == ["Petra Lange"]


def test_a_cue_phrase_reaches_its_source_after_von():
    got = speakers(
        "Die Nachrichten geben nach Bewertung von Polizei und Staatsanwaltschaft „keinen Anlass für "
        "strafrechtliche Schritte“ her."
    )
    assert got == ["Polizei"]


def test_a_subject_far_before_a_long_colon_introduction():
    got = speakers(
        "Der Generalanwalt kritisierte das Gesetz ebenso wie die Haltung der deutschen Bundesregierung "
        "in seinem ausführlichen Gutachten in scharfer Form: Das Gesetz beschränke den freien Verkehr "
        "von Kapital und die Bundesregierung betreibe eine „zu weite und wirklichkeitsferne Argumentation“."
    )
    assert got == ["Der Generalanwalt"]


def test_so_x_closing_the_sentence_past_a_clause_of_its_own():
    got = speakers(
        "Die Summe sei „mit großer Vorsicht zu genießen“, da ähnliche Arbeiten bei der letzten WM in "
        "Deutschland etwa das Doppelte gekostet hätten, so die FIFA."
    )
    assert got == ["die FIFA"]


def test_a_participle_phrase_between_article_and_name():
    got = speakers(
        "Die Show bestreiten Maria Lopez und Ana Ruiz.",
        "„Jetzt ist es noch außergewöhnlicher als beim ersten Mal“, schrieb die in New York geborene Lopez.",
    )
    assert got == ["Lopez"]


def test_a_possessive_before_a_role_opens_the_speaker():
    got = speakers(
        "Der Chef befindet sich im Ausland. Dazu teilte dessen Stellvertreter mit: „Er ruft uns an, "
        "sobald er zurückkommt.“"
    )
    assert got == ["dessen Stellvertreter"]


def test_a_pronominal_adverb_is_not_a_speaker():
    got = speakers(
        "Die Staatsanwaltschaft gab eine Stellungnahme ab. Darin steht unter anderem: „Wir sind "
        "besonders betroffen von diesem Fall.“"
    )
    assert "Darin" not in got


def test_heisst_es_quotes_the_document_opening_the_clause():
    got = speakers(
        "Die Partei brachte einen Antrag ein. In dem Antrag heißt es wörtlich: „Die Aufhebung des "
        "Verbots wäre ein Beitrag zum Frieden.“"
    )
    assert got == ["dem Antrag"]
    got = speakers(
        "Im letzten Satz der Anordnung, die am Montag zugestellt wurde, heißt es: „Die Firma darf "
        "niemandem davon erzählen.“"
    )
    assert got == ["letzten Satz der Anordnung"]


def test_a_quotation_without_cue_goes_to_the_role_that_opened_a_sentence_before():
    got = speakers(
        "Es geht um Dienste wie Google Street View.",
        "Der Minister weist selbst auf die neuen Risiken hin. So gewonnene Daten seien „in "
        "besonderem Maße heikel und schutzwürdig“.",
    )
    assert got == ["Der Minister"]
