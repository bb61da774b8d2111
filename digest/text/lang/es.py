"""Spanish."""

from digest.text.lang import Language, given_names

LANGUAGE = Language(
    code="es",
    name="Spanish",
    stopwords=frozenset(
        "el la los las de del y que en un una es por con para se su sus al lo como más pero fue ha han este "
        "esta son dijo también según entre sobre hay muy ya porque cuando desde todo sin tras hasta".split()
    ),
    quote_pairs=(("«", "»"), ("“", "”"), ("‘", "’"), ('"', '"')),
    cue_verbs=frozenset(
        "dijo dice dijeron declaró declara afirmó afirma aseguró asegura explicó explica añadió añade "
        "agregó agrega señaló señala indicó indica subrayó subraya destacó destaca advirtió advierte "
        "sostuvo sostiene insistió insiste recordó recuerda comentó comenta manifestó manifiesta "
        "expresó expresa apuntó apunta precisó precisa concluyó concluye reconoció reconoce admitió "
        "admite respondió responde contestó contesta anunció anuncia escribió escribe denunció denuncia "
        "lamentó lamenta criticó critica prometió promete reiteró reitera confesó confiesa relató relata "
        "aclaró aclara enfatizó enfatiza opinó opina valoró valora".split()
    ),
    cue_phrases=("de acuerdo con", "a juicio de", "en palabras de"),
    cue_preps=frozenset({"según"}),
    pronouns={"él": "m", "ella": "f", "ellos": "p", "ellas": "f"},
    determiners=frozenset("el la los las un una del al de su sus en con por para".split()),
    name_nouns=frozenset(
        "libro novela película álbum canción título titulado titulada lema eslogan campaña programa serie "
        "informe estudio diario periódico revista llamado llamada denominado denominada bautizado "
        "bautizada exposición obra documental operación".split()
    ),
    particles=frozenset("de del la las los y da van von".split()),
    honorifics=frozenset("sr sra srta don doña dr dra".split()),
    role_words=frozenset(
        "vicepresidenta vicepresidente entrenador técnico astrónoma astrónomo científica científico "
        "presidente presidenta ministro ministra secretario secretaria general director directora alcalde "
        "alcaldesa senador senadora diputado diputada juez jueza fiscal embajador embajadora portavoz "
        "consejero consejera comisario comisaria rey reina papa".split()
    ),
    abbreviations=frozenset(
        "sr sra srta dr dra d dña ud uds etc pág av avda núm no ee.uu ee uu ene feb mar abr jun jul ago "
        "sept oct nov dic aprox".split()
    ),
    relative_time=(r"\bhace\s+\d+\s+(?:segundos?|minutos?|horas?|días?|semanas?|meses|mes|años?)\b",),
    article_end=(
        r"(?:noticias|artículos|contenidos) relacionad[oa]s",
        r"te (?:puede|podría) interesar",
        r"comentarios?",
        r"(?:deja|dejar) un comentario",
        r"etiquetas",
        r"lo más (?:leído|visto)",
        r"newsletter",
    ),
    first_names=given_names(
        """alberto alejandro antonio carlos daniel david fernando francisco javier jesús jorge josé juan luis manuel mariano miguel pablo pedro rafael santiago""",
        """ana carmen cristina dolores elena inés isabel laura lucía marta maría paula pilar raquel rosa sara soraya teresa yolanda""",
    ),
    weekdays=frozenset("lunes martes miércoles jueves viernes sábado domingo".split()),
    not_names=frozenset("pero sin embargo según como tras antes durante pese preguntado preguntada".split()),
    months=frozenset(
        "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre "
        "diciembre".split()
    ),
    boilerplate=(
        r"(?:comentar este artículo|video recomendado)\s*$",
        r"(?:mirá|mira|lea|lee) también\b.{0,200}$",
        r"(?:te puede interesar|noticias relacionadas|más noticias|también te puede interesar)\b.{0,120}$",
        r"(deja|dejar|escribe) (un|tu) comentario\b",
        r"tu (dirección de )?correo electrónico no será publicad",
        r"los campos obligatorios están marcados",
        r"compartir( en (facebook|twitter|x|linkedin|whatsapp))?\s*$",
        r"compartir (en|vía) ",
        r"(lee|leer|lea|ver) (también|más)\b.{0,200}$",
        r"(suscríbete|suscríbase|apúntate) a (nuestro|nuestra|la|el) .{0,40}(boletín|newsletter)",
        r"(publicidad|contenido patrocinado)\s*$",
        r"todos los derechos reservados",
        r"(comentarios?|haz clic aquí)\b.{0,60}$",
        r"síguenos en ",
        r"(?:utilizamos|este sitio (?:web )?utiliza) (?:\w+ ){0,3}cookies",
        r"(?:ir|saltar) al contenido(?: principal)?\s*$",
        r"etiquetas\s*:",
        r"\d+\s+minutos? de lectura\s*$",
        r"\d+\s+comentarios?\s*$",
    ),
    drops_subject=True,
    articles=frozenset("el la los las un una".split()),
    definite_articles=frozenset("el la los las".split()),
    auxiliaries=frozenset("ha han había habían además también luego".split()),
    clause_words=frozenset("y pero o que porque cuando mientras con".split()),
    object_pronouns=frozenset("lo la le los las les".split()),
    reflexives=frozenset("se".split()),
    list_words=frozenset("y o".split()),
    self_naming=(("se", "llama"), ("se", "hace")),
    honorific_genders={"sr": "m", "sra": "f", "srta": "f", "don": "m", "doña": "f"},
    feminine_endings=("a", "as"),
    byline_prefixes=("por", "escribe"),
    credit_prefixes=("foto:", "fotos:", "fotografía:", "imagen:", "ilustración:"),
    credit_words=("foto",),
    date_joiners=("de",),
    time_prepositions=("a las",),
    subject_after_verb=True,
)
