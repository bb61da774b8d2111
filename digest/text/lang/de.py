"""German."""

from digest.text.lang import Language, given_names

LANGUAGE = Language(
    code="de",
    name="German",
    stopwords=frozenset(
        "selbst während nachdem obwohl weil wenn dass ob laut zufolge gegenüber neben zwischen wegen trotz "
        "angesichts vor ab dessen deren der die das und ist nicht ein eine zu den von mit sich des "
        "auf für im in dem auch es "
        "an als wird bei "
        "nach aus er sie hat wurde sind werden noch wie einer einem über oder zum zur haben kann sagte dass "
        "seine ihre wurden bereits nur sei dazu dabei hier so derzeit damals heute gestern morgen jetzt nun "
        "später "
        "zudem außerdem deshalb daher dennoch trotzdem allerdings jedoch danach zuvor schon dort da dann "
        "erst "
        "immer weiter ebenso gleichzeitig zugleich darauf daraufhin darüber dafür damit davon deswegen "
        "stattdessen vielmehr insbesondere inzwischen mittlerweile bisher künftig offenbar wörtlich zunächst "
        "schließlich letztlich ursprünglich vor allem unter gegen seit bis durch ohne um wie wo was wer "
        "man wir ich diese dieser dieses "
        "darin daraus darunter dadurch darum daneben dagegen hierzu hierbei wonach".split()
    ),
    quote_pairs=(
        ("„", "“"),
        ("„", "”"),
        ("„", '"'),
        ("»", "«"),
        ("‚", "‘"),
        ("‚", "’"),
        ("›", "‹"),
        ('"', '"'),
    ),
    cue_verbs=frozenset(
        "sagte sagten sagt sagen gesagt erklärte erklärten erklärt betonte betonten betont meinte meinten "
        "meint bemerkte bemerkt warnte warnt forderte fordert kritisierte kritisiert bestätigte bestätigt "
        "schrieb schreibt antwortete antwortet ergänzte ergänzt unterstrich unterstreicht versicherte "
        "versichert verkündete verkündet mahnte mahnt räumte beklagte beklagt kommentierte kommentiert "
        "sprach spricht erläuterte erläutert fügte fügt stellte teilte teilt führte gab bekräftigte "
        "bekräftigt zitiert zitierte bezeichnete bezeichnet nannte nennt berichtete berichtet äußerte "
        "äußert verwies verweist hieß heißt argumentierte argumentiert entgegnete entgegnet widersprach "
        "beschrieb beschreibt rief ruft fragte fragt beteuerte beteuert resümierte versprach verspricht "
        "erinnerte erinnert lobte lobt wertete wertet charakterisierte begründete unterstrich "
        "aufforderte warf wies fuhr behauptete behauptet glaubt glaubte sieht sah "
        "fragen warnen warnten betonen erklären fordern forderten kritisieren kritisierten meinen "
        "geschrieben gewarnt betonte gefordert kritisiert erklärt bestätigten berichteten".split()
    ),
    cue_phrases=(
        "nach angaben",
        "nach den worten",
        "nach auffassung",
        "nach ansicht",
        "nach meinung",
        "nach einschätzung",
        "nach aussage",
        "nach aussagen",
        "nach darstellung",
        "nach darstellungen",
        "nach informationen",
        "nach bewertung",
        "nach überzeugung",
        "den worten",
        "wie folgt zitiert",
    ),
    cue_preps=frozenset({"laut", "zufolge"}),
    cue_postpositions=frozenset({"zufolge"}),
    inverted_cues=frozenset({"so"}),
    pronouns={"er": "m", "sie": "f"},
    determiners=frozenset(
        "der die das des dem den ein eine einer eines einem einen im beim vom zum zur am ins ans seine "
        "seiner seinem seinen ihre ihrer ihrem ihren dieser diese dieses diesem diesen".split()
    ),
    name_nouns=frozenset(
        "magazins magazines buchs albums liedes titels senders zeitschrift verband buch buches roman "
        "film films album lied song titel motto slogan kampagne sendung serie studie "
        "bericht zeitung magazin magazins fachblatt fachmagazin ausstellung namen name genannt überschrift "
        "organisation bewegung partei bündnis gesetz gesetzes programm aktion initiative projekt "
        "projekts schlagzeile rubrik kolumne verband vereinigung stiftung preis auszeichnung wettbewerb "
        "festival veranstaltung tagung kongress konferenz operation mission tageszeitung sender "
        "fernsehsender wochenzeitung nachrichtenmagazin theaterstück oper musical thema".split()
    ),
    reporting_moods=frozenset(
        "sei seien seist habe hätte hätten würde würden könne könnten müsse müssten solle sollten werde "
        "wolle wollten dürfe dürften gebe gäbe stehe stünden".split()
    ),
    speech_nouns=frozenset(
        "fazit meinung ansicht auffassung einschätzung worte worten aussage aussagen angaben vorwurf "
        "vorwürfe vorwürfen kritik forderung forderungen erklärung darstellung urteil antwort".split()
    ),
    particles=frozenset("von van de da di del zu".split()),
    honorifics=frozenset("herr frau dr prof".split()),
    role_words=frozenset(
        "stadträtin stadtrat kollege kollegin biologin biologe senatorin umweltsenatorin verkehrssprecher "
        "minister ministerin chef chefin direktor direktorin sprecher sprecherin vorsitzende vorsitzender "
        "präsident präsidentin vertreter vertreterin leiter leiterin kanzler kanzlerin sekretär sekretärin "
        "manager managerin experte expertin anwalt anwältin richter richterin funktionär funktionärin "
        "redakteur redakteurin abgeordnete abgeordneter trainer trainerin gouverneur bürgermeister "
        "bürgermeisterin botschafter botschafterin kommissar kommissarin professor professorin forscher "
        "forscherin general generalsekretär koordinator analyst ökonom ökonomin sprecher direktor "
        "vorstand vorstandsvorsitzender vorstandsvorsitzende staatssekretär staatssekretärin senator "
        "senatorin oberbürgermeister landrat landrätin intendant intendantin autor autorin wissenschaftler "
        "wissenschaftlerin politiker politikerin beauftragte beauftragter gründer gründerin vorsitzenden "
        "abgeordneten beauftragten präsidenten ministers chefs sprechers direktors leiters experten "
        "kommissars generals kanzlers bürgermeisters sekretärs vertreters botschafters professors richters "
        "anwalts politikers autors gründers verteidiger verteidigerin staatsanwalt staatsanwältin dezernent "
        "dezernentin referent referentin".split()
    ),
    abbreviations=frozenset(
        "dr prof nr str bzw z.b u.a usw ca vgl evtl ggf jan febr feb okt dez mio mrd hr fr inkl gegr geb "
        "st s u.ä v.a d.h z.t o.ä sog bspw abs art ff jh dipl ing mag".split()
    ),
    relative_time=(
        r"\bvor\s+\d+\s+(?:sekunden?|minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?)\b",
        r"\b(?:gestern|heute),?\s+\d",
    ),
    article_end=(
        r"(?:weitere|ähnliche|verwandte|passende) (?:artikel|beiträge|themen|nachrichten)",
        r"mehr (?:zum thema|aus|zu|von)\b.{0,30}",
        r"das könnte sie (?:auch )?interessieren",
        r"kommentare?(?: \(\d+\))?",
        r"(?:die autorin|der autor|über den autor|über die autorin)",
        r"schlagwörter",
        r"themen",
        r"empfehlungen",
        r"meistgelesen",
        r"newsletter",
    ),
    first_names=given_names(
        """alexander andreas armin bernd christian dieter florian frank friedrich gerhard hans heinz helmut horst jan jens joachim jürgen karl klaus lars manfred markus martin matthias michael norbert olaf peter philipp robert sebastian sigmar stefan thomas tobias uwe walter werner wolfgang""",
        """andrea angela angelika anna annalena barbara birgit brigitte christiane christine claudia elisabeth franziska gabriele heike helga ingrid julia karin katharina maria monika nancy nicole petra renate sabine sandra simone stefanie susanne svenja ursula""",
    ),
    weekdays=frozenset("montag dienstag mittwoch donnerstag freitag samstag sonntag sonnabend".split()),
    not_names=frozenset("doch aber laut wie nach vor während trotz seit gefragt".split()),
    months=frozenset(
        "januar februar märz april mai juni juli august september oktober november dezember jan feb mär "
        "apr jun jul aug sep sept okt nov dez".split()
    ),
    boilerplate=(
        r"seite auswählen\s*$",
        r"(?:impressum|datenschutz(?:erklärung)?|startseite|zur startseite|(?:zurück )?nach oben|zurück zur liste"
        r"|alle anzeigen|seite teilen|soziale netzwerke|werben sie bei uns|einen missbrauch melden"
        r"|dieses blog durchsuchen|viel spaß beim stöbern|neugierig geworden\??|mehr videos|der nächste beitrag)\s*$",
        r"(?:teile diesen beitrag|den artikel mit anderen teilen|hat ihnen dieser artikel gefallen"
        r"|letzte (?:kommentare|artikel|beiträge)|meist ?gelesen|am meisten gelesen|beliebte (?:artikel|tags|beiträge)"
        r"|die neuesten (?:meldungen|artikel|beiträge)|diese artikel könnten (?:dich|sie) interessieren"
        r"|mehr zum ereignis|kategorien?\s*:|ja, ich möchte den .{0,40}newsletter|mit unserem newsletter"
        r"|geben sie ihre e-mail|deine e-mail-adresse wird nicht|hinterlasse eine antwort"
        r"|nur angemeldete benutzer können|es gilt die datenschutzerklärung|diese website verwendet akismet"
        r"|folge uns auch in den sozialen|alle (?:meldungen|artikel|nachrichten|beiträge|themen|news)"
        r" (?:der|des|zu[mr]?|aus|von)|design von)\b.{0,120}$",
        r"(?:diesen artikel teilen|artikel gefallen\?|gefällt (?:ihnen|dir) (?:dieser|unser) [\w-]+\?"
        r"|bild anzeigen|buch bestellen|ausgabe kaufen|die aktuelle ausgabe|empfohlen für (?:dich|sie)"
        r"|entdecken sie jetzt|externer inhalt|affiliate-?link|\(?noch keine bewertungen\)?|aktualisiert:"
        r"|erstellt am\b|die meistgelesenen artikel|artikel zum thema|fragen an (?:den|die) (?:autor|autorin))"
        r".{0,80}$",
        r"anzeige\s*[-–:]",
        r"zurück(?: zur| zum)? (?:übersicht|startseite|vorherigen seite|seitenanfang|anfang|artikel)\s*$",
        r"(?:zum weiterlesen|siehe auch|weitere (?:beiträge|artikel|nachrichten|themen|meldungen)"
        r"|themenrelevante nachrichten|mehr (?:dazu|artikel|nachrichten)|das könnte (?:sie|dich) auch interessieren"
        r"|vorschau auf den nächsten artikel|nächster artikel|vorheriger artikel)\b.{0,120}$",
        r"(?:zusatzinformationen|ansprechpartner(?:in)?(?: zum thema)?)\s*:?\s*$",
        r"(?:eingestellt von|entdecke(?:n sie)? weitere)\b.{0,60}$",
        r"(?:themen|schlagw[oö]rter|schlagworte?|stichw[oö]rter|inhalt|inhaltsverzeichnis|quellenangaben"
        r"|quellen|artikel)"
        r"(?: im artikel)?\s*:?\s*$",
        r"(?:wie (?:bewerten|fanden|finden) sie diesen (?:artikel|beitrag)|war (?:der|dieser) "
        r"(?:artikel|beitrag) (?:nützlich|hilfreich)|info zur bewertung)\b.{0,40}$",
        r"(?:möchten sie (?:den|diesen) artikel teilen|mit freunden teilen|teilen mit|url zum kopieren"
        r"|link kopieren|(?:rezept |artikel )?drucken|merken|zum shop|(?:beitrag )?teilen|kontakt|diese seite)"
        r"\s*[:?]?\s*$",
        r"(?:rezept |artikel )?drucken (?:\w+ ){0,3}(?:speichern|teilen|merken)\s*$",  # buttons in a row
        r"(?:themen|schlagw[oö]rter|stichw[oö]rter|tags)\s*:\s*.{1,100}$",  # a line of tags
        r"hier geht(?:'s| es) (?:zu[mr]?|weiter)\b.{0,60}$",
        r"(?:keine kommentare|kommentieren sie hier|verraten sie (?:uns )?(?:gerne )?in den kommentaren)\b.{0,120}$",
        r"(?:newsletter (?:erhalten|bestellen)|jetzt spenden|jede kleine spende|unterstützen sie (?:uns|diese)"
        r"|unterstütze \w+|lust auf mehr|sie wollen mehr von uns)\b.{0,180}$",
        r"(?:pressemitteilung von|originalpublikation)\b.{0,60}$",
        r"weitere inf(?:os?|ormationen)\b[^.!?]{0,60}(?::|(?:www\.|https?://)\S+)\s*$",  # "… unter www.x.de."
        r"(?:publiziert|veröffentlicht)\s*:\s*\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b.{0,30}$",  # a date line
        r"leseprobe\s*:.{0,100}$",
        r"erstellt am\b.{0,40}\b(?:19|20)\d{2}\b.{0,160}$",  # "Erstellt am … 2014 um … und abgelegt unter …"
        r"(?:abbildung|abb\.)\s*\d*\s*:.{0,180}$",  # a figure's caption: "Abbildung 4: …"
        r"(?:ihre?|deine?) (?:spende|beitrag|unterstützung) hilft\b.{0,160}$",  # a call for donations
        r"(kommentar|einen kommentar) (hinterlassen|schreiben)\b",
        r"ihre e-?mail-adresse wird nicht veröffentlicht",
        r"erforderliche felder sind",
        r"(teilen|artikel teilen)( (auf|via) (facebook|twitter|x|linkedin|whatsapp))?\s*$",
        r"teilen (auf|via) ",
        r"(weiterlesen|mehr zum thema|lesen sie auch|lesen sie mehr|auch interessant)\b.{0,200}$",
        r"(newsletter abonnieren|jetzt (den )?newsletter)",
        r"(anzeige|werbung)\s*$",
        r"alle rechte vorbehalten",
        r"(kommentare?|hier klicken)\b.{0,60}$",
        r"folgen sie uns",
        r"wir verwenden (?:\w+ ){0,4}cookies",
        r"(?:diese|unsere) (?:seite|website|webseite) (?:benutzt|verwendet|nutzt) cookies",
        r"auf (?:unserer|dieser) (?:website|webseite|seite) (?:nutzen|verwenden) wir\b.{0,80}cookies",
        r"zum inhalt springen\s*$",
        r"(?:menü|suche|navigation) (?:schließen|öffnen)\s*$",
        r"(?:suche|menü|jetzt abonnieren|anmelden)\s*$",
        r"(?:hinterlasse|schreibe) (?:jetzt )?einen kommentar",
        r"tipp: du kannst mit der tastatur blättern",
        r"schlagworte?\s*:",
        r"lesezeit\b.{0,30}$",
        r"\d+\s*min(?:uten|\.)?\s+lesezeit\s*$",
        r"\d+\s+kommentare?\s*$",
        r"auf (?:facebook|twitter|x|linkedin|whatsapp|pinterest|xing) (?:teilen|pinnen)\s*$",
        r"zum (?:vorherigen|nächsten) (?:slide|bild)\b.{0,20}$",
    ),
    articles=frozenset("der die das des dem den ein eine einer eines einem einen".split()),
    definite_articles=frozenset("der die das".split()),
    possessives=frozenset("dessen deren sein seine ihr ihre".split()),
    oblique_articles=frozenset("einem einer dem den des eines einen".split()),
    auxiliaries=frozenset("hat hatte hatten haben wird wurde auch noch dann weiter zudem".split()),
    finite_auxiliaries=frozenset("hat hatte hatten haben habe hätte wird wurde wurden".split()),
    conjunctions=frozenset("wie und oder aber sowie denn".split()),
    clause_words=frozenset("und aber oder dass weil während wenn als denn mit".split()),
    object_pronouns=frozenset("ihn ihm ihr es uns sie".split()),
    reflexives=frozenset("sich man".split()),
    impersonal=frozenset("es".split()),
    source_prepositions=frozenset("in im auf dazu von vom aus".split()),
    list_words=frozenset("und oder sowie".split()),
    adjective_endings=("e", "en", "er", "es", "em"),
    self_naming=(("sich", "selbst"), ("sich", "als")),
    honorific_genders={"herr": "m", "frau": "f"},
    feminine_endings=("in", "innen"),
    roles_have_gender=True,
    byline_prefixes=("von", "eine kolumne von", "ein kommentar von", "ein gastbeitrag von", "text:"),
    credit_prefixes=(
        "foto:",
        "fotos:",
        "bild:",
        "quelle:",
        "illustration:",
        "text & fotos:",
        "text und fotos:",
        "text & foto:",
        "text und foto:",
    ),
    credit_words=("foto",),
    time_prepositions=("um",),
    capitalises_nouns=True,
    subject_after_verb=True,
    speaker_threshold=0.65,
)
