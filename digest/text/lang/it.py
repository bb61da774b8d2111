"""Italian."""

from digest.text.lang import Language, given_names

LANGUAGE = Language(
    code="it",
    name="Italian",
    stopwords=frozenset(
        "il lo la gli le di del della dei delle e è che un una per con non si sono ha hanno nel nella al "
        "alla da dal come più ma anche ai questo questa suo sua ed stato essere detto secondo perché tra "
        "sul sulla dopo degli alle".split()
    ),
    quote_pairs=(("«", "»"), ("“", "”"), ("‘", "’"), ('"', '"')),
    cue_verbs=frozenset(
        "detto dice dicono dichiarato dichiara affermato afferma spiegato spiega aggiunto aggiunge "
        "sottolineato sottolinea assicurato assicura osservato osserva ricordato ricorda precisato "
        "precisa commentato commenta annunciato annuncia avvertito avverte insistito insiste concluso "
        "conclude ammesso ammette risposto risponde scritto scrive denunciato denuncia ribadito ribadisce "
        "evidenziato evidenzia sostenuto sostiene raccontato racconta confermato conferma criticato "
        "critica promesso promette lamentato lamenta spiegò disse dichiarò affermò aggiunse "
        "sottolineò ricordò concluse rispose scrisse".split()
    ),
    cue_phrases=("a detta di", "stando a", "ha detto", "ha dichiarato"),
    cue_preps=frozenset({"secondo"}),
    pronouns={"lui": "m", "lei": "f", "egli": "m", "ella": "f", "loro": "p"},
    determiners=frozenset(
        "l’ l' dell’ dell' all’ all' nell’ nell' sull’ sull' dall’ dall' un’ un' il lo la l i gli le un uno "
        "una del dello della dei degli delle al allo alla ai agli alle nel nello "
        "nella nei negli nelle sul sulla dal dalla di da in su per con".split()
    ),
    name_nouns=frozenset(
        "libro romanzo film album canzone titolo intitolato intitolata slogan motto campagna programma "
        "serie rapporto studio giornale quotidiano rivista chiamato chiamata denominato denominata "
        "battezzato battezzata mostra opera documentario operazione".split()
    ),
    particles=frozenset("di de del della da d van von".split()),
    honorifics=frozenset("sig sig.ra sigg dott dott.ssa prof ing avv on dr".split()),
    role_words=frozenset(
        "assessore assessora consigliere consigliera allenatore ministra sindaca presidente ministro "
        "ministra segretario segretaria generale direttore direttrice sindaco senatore "
        "senatrice deputato deputata giudice procuratore ambasciatore ambasciatrice portavoce commissario "
        "papa re regina premier".split()
    ),
    abbreviations=frozenset(
        "sig sigg dott prof ing avv on dr ecc pag n no gen feb mar apr mag giu lug ago sett ott nov dic "
        "sen".split()
    ),
    relative_time=(r"\b\d+\s+(?:second[oi]|minut[oi]|or[ae]|giorn[oi]|settiman[ae]|mes[ei]|ann[oi])\s+fa\b",),
    article_end=(
        r"(?:articoli|notizie) correlat[ie]",
        r"potrebbe interessarti",
        r"ti potrebbe(?:ro)? interessare",
        r"commenti",
        r"(?:lascia|scrivi) un commento",
        r"tag",
        r"più (?:letti|visti)",
        r"newsletter",
    ),
    first_names=given_names(
        """alessandro andrea angelo antonio bruno carlo domenico francesco franco giovanni giuseppe luca luigi marco mario matteo paolo pietro roberto salvatore sergio silvio stefano vincenzo""",
        """angela anna carmela caterina chiara elena francesca giorgia giovanna giuseppina laura lucia maria paola rosa sara silvia teresa valentina""",
    ),
    weekdays=frozenset("lunedì martedì mercoledì giovedì venerdì sabato domenica".split()),
    not_names=frozenset(
        "ma però secondo come dopo prima durante nonostante interpellato interpellata".split()
    ),
    months=frozenset(
        "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
        "dicembre".split()
    ),
    boilerplate=(
        r"(?:potrebbe interessarti|articoli correlati|ti potrebbe interessare)\b.{0,120}$",
        r"(?:vai|salta) al contenuto(?: principale)?\s*$",
        r"questo sito (?:\w+ ){0,3}cookie",
        r"(lascia|scrivi) un commento\b",
        r"il tuo indirizzo (e-?mail|email) non sarà pubblicato",
        r"i campi obbligatori sono contrassegnati",
        r"condividi( su (facebook|twitter|x|linkedin|whatsapp))?\s*$",
        r"condividi (su|via) ",
        r"\(?(leggi|vedi) (anche|tutto|di più)\b.{0,200}$",  # "(Leggi anche su: …)"
        r"(iscriviti|abbonati) (alla|alla nostra|a) .{0,40}newsletter",
        r"(pubblicità|contenuto sponsorizzato)\s*$",
        r"(tutti i diritti riservati|riproduzione riservata)",
        r"(commenti|clicca qui)\b.{0,60}$",
        r"seguici su ",
        r"utilizziamo i cookie",
        r"tag\s*:",
        r"(?:tempo di )?lettura:?\s*\d+\s*min\w*\s*$",
        r"\d+\s*min(?:uti)?\s+di lettura\s*$",
        r"\d+\s+commenti\s*$",
    ),
    drops_subject=True,
    elides=True,
    articles=frozenset("il lo la i gli le un uno una l l’ l' un’ un'".split()),
    definite_articles=frozenset("il lo la i gli le l’ l'".split()),
    auxiliaries=frozenset("ha hanno aveva avevano è inoltre anche poi pure ancora".split()),
    clause_words=frozenset("e ma o che perché quando mentre con".split()),
    object_pronouns=frozenset("lo la gli le li".split()),
    reflexives=frozenset("si".split()),
    list_words=frozenset("e o ed".split()),
    self_naming=(("si", "chiama"), ("si", "fa")),
    honorific_genders={"sig": "m", "sig.ra": "f", "dott.ssa": "f"},
    feminine_endings=("a", "essa", "trice"),
    byline_prefixes=("di",),
    credit_prefixes=("foto:", "immagine:", "illustrazione:"),
    credit_words=("foto",),
    time_prepositions=("alle",),
    subject_after_verb=True,
)
