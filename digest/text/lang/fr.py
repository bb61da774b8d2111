"""French."""

from digest.text.lang import Language, given_names

LANGUAGE = Language(
    code="fr",
    name="French",
    stopwords=frozenset(
        "le la les de des du et est un une en dans que qui pour pas sur au aux avec il elle par plus ce "
        "cette ont sont été son sa ses leur mais nous vous ne se lors après selon également été avait "
        "était être entre sans sous très aussi comme".split()
    ),
    quote_pairs=(("«", "»"), ("“", "”"), ("‹", "›"), ('"', '"')),
    cue_verbs=frozenset(
        "déclaré déclare déclarait ajouté ajoute ajoutait expliqué explique expliquait affirmé affirme "
        "affirmait souligné souligne soulignait assuré assure estimé estime estimait indiqué indique "
        "précisé précise répondu répond lancé lance confié confie dit martelé martèle insisté insiste "
        "rappelé rappelle annoncé annonce prévenu prévient averti avertit commenté commente poursuivi "
        "poursuit conclu conclut reconnu reconnaît admis admet jugé juge répété répète raconté raconte "
        "témoigné témoigne écrit déplore déploré regretté regrette protesté proteste plaidé plaide "
        "interrogé ironisé ironise tranché tranche résumé résume observé observe noté note "
        "confirmé confirme dénoncé dénonce promis promet assuré déclarera dira".split()
    ),
    cue_phrases=("d’après", "d'après", "de l’avis de", "aux yeux de"),
    cue_preps=frozenset({"selon"}),
    pronouns={"il": "m", "elle": "f", "ils": "p", "elles": "f"},
    determiners=frozenset(
        "l’ l' d’ d' qu’ le la les l un une des du au aux de d sa son ses leur ce cette dans en par sur pour "
        "avec".split()
    ),
    name_nouns=frozenset(
        "livre roman film album chanson titre intitulé intitulée intitulés slogan devise campagne émission "
        "série rapport étude journal magazine quotidien hebdomadaire baptisé baptisée appelé appelée nommé "
        "nommée surnommé surnommée exposition pièce opération documentaire podcast spectacle".split()
    ),
    particles=frozenset("de du des d la le van von der di da".split()),
    honorifics=frozenset("m mme mlle mm dr pr me".split()),
    role_words=frozenset(
        "pdg dg présidente-directrice président-directeur ministre militante militant actrice acteur "
        "réalisateur réalisatrice préfet préfète délégué déléguée président présidente premier première "
        "ministre secrétaire général générale chef directeur "
        "directrice maire sénateur député députée juge procureur ambassadeur commissaire porte-parole "
        "état otan ue onu".split()
    ),
    abbreviations=frozenset(
        "m mm mme mmes mlle mlles dr pr me st ste av apr j.-c etc cf p ex n° no vol janv févr avr juil "
        "sept oct nov déc env".split()
    ),
    relative_time=(r"\bil y a\s+\d+\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)\b",),
    article_end=(
        r"sur le même sujet",
        r"articles? (?:similaires|liés|associés)",
        r"(?:vous aimerez|nous vous recommandons) aussi.{0,20}",
        r"commentaires?",
        r"(?:laisser|ajouter) un commentaire",
        r"mots[- ]clés",
        r"newsletter",
    ),
    first_names=given_names(
        """alain benoît bernard bruno christophe daniel emmanuel françois gérard henri jacques jean julien laurent louis marc michel nicolas olivier patrick philippe pierre sébastien thierry édouard éric""",
        """anne anne-marie brigitte camille catherine christine claire céline françoise isabelle julie laurence marie marine martine monique nathalie sophie sylvie ségolène valérie élisabeth""",
    ),
    weekdays=frozenset("lundi mardi mercredi jeudi vendredi samedi dimanche".split()),
    not_names=frozenset(
        "mais pourtant selon comme depuis lors après avant pendant malgré interrogé interrogée".split()
    ),
    months=frozenset(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
    ),
    boilerplate=(
        r"(?:mentions légales|conditions générales(?: de vente| d'utilisation)?|permalien)\s*$",
        r"permalien\s*:?\s*(?:https?://)?\S+\s*$",  # "Permalien https://…"
        r"(?:pour lire la suite|pour accéder en illimité|pour rester informé)\b.{0,120}$",
        r"(?:vos réactions|qui êtes-vous|sur le même sujet|articles? (?:similaires|liés|associés))\s*\??"
        r"(?:\s*\(\d+\))?\s*$",  # "Vos réactions (11)"
        r"(?:audios? et )?vidéos? sur le (?:même )?sujet\s*$",
        r"pour créer des paragraphes, laissez simplement des lignes vides",
        r"laisser un commentaire\b",
        r"(votre|ton) adresse (e-?mail|courriel|de messagerie) ne sera pas publiée",
        r"les champs obligatoires sont indiqués",
        r"enregistrer mon nom, mon (e-?mail|courriel)",
        r"partager( cet article)?( sur (facebook|twitter|x|linkedin|whatsapp))?\s*$",
        r"partager (sur|via) ",
        r"(lire|voir) (aussi|également|la suite)\b.{0,200}$",
        r"à lire (aussi|également)\b.{0,200}$",
        r"(abonnez-vous|inscrivez-vous) à (notre|la) .{0,40}(newsletter|lettre)",
        r"(publicité|contenu sponsorisé)\s*$",
        r"tous droits réservés",
        r"(commentaires?|réagir|cliquez ici)\b.{0,60}$",
        r"suivez-nous sur ",
        r"(?:nous utilisons|ce site utilise) (?:\w+ ){0,3}cookies",
        r"aller au contenu(?: principal)?\s*$",
        r"plus d'informations(?: ok)?\s*$",
        r"mots-clés\s*:",
        r"(?:temps de )?lecture\s*:?\s*\d+\s*min\w*\.?\s*$",
        r"\d+\s*min(?:utes?)?\s+de lecture\s*$",
        r"\d+\s+commentaires?\s*$",
    ),
    elides=True,
    articles=frozenset("le la les l l’ l' un une des".split()),
    definite_articles=frozenset("le la les l’ l'".split()),
    auxiliaries=frozenset(
        "a ont avait avaient aura également aussi encore alors ensuite notamment déjà".split()
    ),
    clause_words=frozenset("et mais ou que qui car quand lorsque avec".split()),
    object_pronouns=frozenset("le la lui les".split()),
    reflexives=frozenset("se".split()),
    list_words=frozenset("et ou".split()),
    self_naming=(("se", "nomme"), ("se", "fait")),
    honorific_genders={"m": "m", "mme": "f", "mlle": "f"},
    feminine_endings=("trice", "euse", "ère", "ée", "esse", "ente", "ante", "ine"),
    byline_prefixes=("par",),
    credit_prefixes=(
        "photo :",
        "photo:",
        "photos :",
        "photos:",
        "crédit :",
        "crédit:",
        "crédit photo",
        "illustration :",
    ),
    credit_words=("photo", "crédit"),
    time_prepositions=("à",),
    subject_after_verb=True,
)
