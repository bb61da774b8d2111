"""Every fixed string of the mail templates, in each language a list may speak.

Templates call `t("key", name=value)`; dates, numbers and durations go through Babel so they
follow the language's own conventions. A language without a catalogue falls back to English
words but keeps its own dates and writing direction.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_percent
from babel.units import format_unit

RTL = frozenset({"ar", "he", "fa", "ur"})
WORDS_PER_MINUTE = 230

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "labelled": "{label}: {value}",
        "quote": "“{text}”",
        "read_more": "Read more",
        "reading_time": "{duration} read",
        "also_covered_by": "Also covered by:",
        "more_in_archive.one": "One more story in the web archive",
        "more_in_archive.other": "{count} more stories in the web archive",
        "greeting": "Hello {name},",
        "why": "You receive this email because you subscribed to {list}.",
        "unsubscribe": "Unsubscribe",
        "preferences": "Preferences",
        "view_in_browser": "View in browser",
        "archive_note": "You are reading the web archive of {list}.",
        "confirm_subject": "Confirm your subscription to {list}",
        "confirm_body": "Please confirm that you want to receive {list} by email.",
        "confirm_button": "Confirm my subscription",
        "confirm_ignore": "If you did not ask for this, ignore this message: you will not be subscribed.",
        "welcome_subject": "Welcome to {list}",
        "welcome_body": "Your subscription to {list} is confirmed.",
        "welcome_leave": "Changed your mind? You can unsubscribe at any time.",
        "review_subject": "[review] {subject}",
        "review_body": "Edition #{edition} of {list} is ready for review.",
        "review_items.one": "It has one item.",
        "review_items.other": "It has {count} items.",
        "review_subject_label": "Subject",
        "review_preview": "Preview",
        "review_approve": "Approve it with",
        "review_deadline_send": "If nobody approves it by {deadline}, it will be sent as it is.",
        "review_deadline_skip": "If nobody approves it by {deadline}, it will be skipped.",
        "alert_subject": "[alert] Edition #{edition} of {list}: {what} over the limit",
        "alert_body": "Edition #{edition} of {list} (“{subject}”) is over a limit mailbox providers watch.",
        "alert_complaints": "Complaints: {rate} of {delivered} delivered ({count}); the limit is {limit}. Over 0.3 %, Gmail and Yahoo refuse bulk mail.",
        "alert_bounces": "Bounces: {rate} of {sent} sent ({count}); the limit is {limit}. Clean the list before the next send.",
        "alert_open": "Open the newsroom",
        "alert_kind_complaints": "complaints",
        "alert_kind_bounces": "bounces",
    },
    "fr": {
        "labelled": "{label}\u00a0: {value}",
        "quote": "«\u00a0{text}\u00a0»",
        "read_more": "Lire la suite",
        "reading_time": "{duration} de lecture",
        "also_covered_by": "Également traité par\u00a0:",
        "more_in_archive.one": "Un article de plus dans l’archive en ligne",
        "more_in_archive.other": "{count} articles de plus dans l’archive en ligne",
        "greeting": "Bonjour {name},",
        "why": "Vous recevez ce message parce que vous êtes abonné à {list}.",
        "unsubscribe": "Se désabonner",
        "preferences": "Préférences",
        "view_in_browser": "Voir dans le navigateur",
        "archive_note": "Vous lisez l’archive en ligne de {list}.",
        "confirm_subject": "Confirmez votre abonnement à {list}",
        "confirm_body": "Merci de confirmer que vous souhaitez recevoir {list} par e-mail.",
        "confirm_button": "Confirmer mon abonnement",
        "confirm_ignore": "Si vous n’avez rien demandé, ignorez ce message\u00a0: vous ne serez pas abonné.",
        "welcome_subject": "Bienvenue dans {list}",
        "welcome_body": "Votre abonnement à {list} est confirmé.",
        "welcome_leave": "Vous avez changé d’avis\u00a0? Vous pouvez vous désabonner à tout moment.",
        "review_subject": "[relecture] {subject}",
        "review_body": "L’édition n°\u00a0{edition} de {list} est prête à être relue.",
        "review_items.one": "Elle compte un article.",
        "review_items.other": "Elle compte {count} articles.",
        "review_subject_label": "Objet",
        "review_preview": "Aperçu",
        "review_approve": "Pour l’approuver",
        "review_deadline_send": "Si personne ne l’approuve avant le {deadline}, elle partira telle quelle.",
        "review_deadline_skip": "Si personne ne l’approuve avant le {deadline}, elle ne partira pas.",
        "alert_subject": "[alerte] Édition n°\u00a0{edition} de {list}\u00a0: {what} au-dessus de la limite",
        "alert_body": "L’édition n°\u00a0{edition} de {list} («\u00a0{subject}\u00a0») dépasse une limite que surveillent les messageries.",
        "alert_complaints": "Plaintes\u00a0: {rate} de {delivered} messages remis ({count})\u00a0; la limite est {limit}. Au-delà de 0,3\u00a0%, Gmail et Yahoo refusent les envois en nombre.",
        "alert_bounces": "Rebonds\u00a0: {rate} de {sent} envois ({count})\u00a0; la limite est {limit}. Nettoyez la liste avant le prochain envoi.",
        "alert_open": "Ouvrir la rédaction",
        "alert_kind_complaints": "plaintes",
        "alert_kind_bounces": "rebonds",
    },
    "de": {
        "labelled": "{label}: {value}",
        "quote": "„{text}“",
        "read_more": "Weiterlesen",
        "reading_time": "{duration} Lesezeit",
        "also_covered_by": "Auch berichtet von:",
        "more_in_archive.one": "Ein weiterer Artikel im Web-Archiv",
        "more_in_archive.other": "{count} weitere Artikel im Web-Archiv",
        "greeting": "Hallo {name},",
        "why": "Sie erhalten diese E-Mail, weil Sie {list} abonniert haben.",
        "unsubscribe": "Abbestellen",
        "preferences": "Einstellungen",
        "view_in_browser": "Im Browser ansehen",
        "archive_note": "Sie lesen das Web-Archiv von {list}.",
        "confirm_subject": "Bestätigen Sie Ihr Abonnement von {list}",
        "confirm_body": "Bitte bestätigen Sie, dass Sie {list} per E-Mail erhalten möchten.",
        "confirm_button": "Abonnement bestätigen",
        "confirm_ignore": "Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Sie werden nicht eingetragen.",
        "welcome_subject": "Willkommen bei {list}",
        "welcome_body": "Ihr Abonnement von {list} ist bestätigt.",
        "welcome_leave": "Meinung geändert? Sie können jederzeit abbestellen.",
        "review_subject": "[Freigabe] {subject}",
        "review_body": "Ausgabe Nr. {edition} von {list} ist bereit zur Freigabe.",
        "review_items.one": "Sie enthält einen Artikel.",
        "review_items.other": "Sie enthält {count} Artikel.",
        "review_subject_label": "Betreff",
        "review_preview": "Vorschau",
        "review_approve": "Freigeben mit",
        "review_deadline_send": "Gibt sie bis {deadline} niemand frei, wird sie so verschickt, wie sie ist.",
        "review_deadline_skip": "Gibt sie bis {deadline} niemand frei, entfällt sie.",
        "alert_subject": "[Warnung] Ausgabe Nr. {edition} von {list}: {what} über dem Grenzwert",
        "alert_body": "Ausgabe Nr. {edition} von {list} („{subject}“) liegt über einem Grenzwert, den Postfachanbieter beobachten.",
        "alert_complaints": "Beschwerden: {rate} von {delivered} zugestellten ({count}); der Grenzwert ist {limit}. Über 0,3 % lehnen Gmail und Yahoo Massenmails ab.",
        "alert_bounces": "Bounces: {rate} von {sent} versandten ({count}); der Grenzwert ist {limit}. Bereinigen Sie die Liste vor dem nächsten Versand.",
        "alert_open": "Redaktion öffnen",
        "alert_kind_complaints": "Beschwerden",
        "alert_kind_bounces": "Bounces",
    },
    "es": {
        "labelled": "{label}: {value}",
        "quote": "«{text}»",
        "read_more": "Seguir leyendo",
        "reading_time": "{duration} de lectura",
        "also_covered_by": "También publicado por:",
        "more_in_archive.one": "Una noticia más en el archivo web",
        "more_in_archive.other": "{count} noticias más en el archivo web",
        "greeting": "Hola, {name}:",
        "why": "Recibes este correo porque te suscribiste a {list}.",
        "unsubscribe": "Darse de baja",
        "preferences": "Preferencias",
        "view_in_browser": "Ver en el navegador",
        "archive_note": "Estás leyendo el archivo web de {list}.",
        "confirm_subject": "Confirma tu suscripción a {list}",
        "confirm_body": "Confirma que quieres recibir {list} por correo electrónico.",
        "confirm_button": "Confirmar mi suscripción",
        "confirm_ignore": "Si no lo has solicitado, ignora este mensaje: no quedarás suscrito.",
        "welcome_subject": "Te damos la bienvenida a {list}",
        "welcome_body": "Tu suscripción a {list} está confirmada.",
        "welcome_leave": "¿Has cambiado de opinión? Puedes darte de baja en cualquier momento.",
        "review_subject": "[revisión] {subject}",
        "review_body": "La edición n.º {edition} de {list} está lista para revisar.",
        "review_items.one": "Tiene una noticia.",
        "review_items.other": "Tiene {count} noticias.",
        "review_subject_label": "Asunto",
        "review_preview": "Vista previa",
        "review_approve": "Para aprobarla",
        "review_deadline_send": "Si nadie la aprueba antes del {deadline}, se enviará tal como está.",
        "review_deadline_skip": "Si nadie la aprueba antes del {deadline}, no se enviará.",
        "alert_subject": "[alerta] Edición n.º {edition} de {list}: {what} por encima del límite",
        "alert_body": "La edición n.º {edition} de {list} («{subject}») supera un límite que vigilan los proveedores de correo.",
        "alert_complaints": "Quejas: {rate} de {delivered} entregados ({count}); el límite es {limit}. Por encima del 0,3 %, Gmail y Yahoo rechazan el correo masivo.",
        "alert_bounces": "Rebotes: {rate} de {sent} enviados ({count}); el límite es {limit}. Limpia la lista antes del próximo envío.",
        "alert_open": "Abrir la redacción",
        "alert_kind_complaints": "quejas",
        "alert_kind_bounces": "rebotes",
    },
    "it": {
        "labelled": "{label}: {value}",
        "quote": "«{text}»",
        "read_more": "Continua a leggere",
        "reading_time": "{duration} di lettura",
        "also_covered_by": "Ne parlano anche:",
        "more_in_archive.one": "Un altro articolo nell’archivio web",
        "more_in_archive.other": "Altri {count} articoli nell’archivio web",
        "greeting": "Ciao {name},",
        "why": "Ricevi questa email perché ti sei iscritto a {list}.",
        "unsubscribe": "Annulla l’iscrizione",
        "preferences": "Preferenze",
        "view_in_browser": "Visualizza nel browser",
        "archive_note": "Stai leggendo l’archivio web di {list}.",
        "confirm_subject": "Conferma la tua iscrizione a {list}",
        "confirm_body": "Conferma di voler ricevere {list} via email.",
        "confirm_button": "Conferma l’iscrizione",
        "confirm_ignore": "Se non l’hai richiesto, ignora questo messaggio: non verrai iscritto.",
        "welcome_subject": "Benvenuto in {list}",
        "welcome_body": "La tua iscrizione a {list} è confermata.",
        "welcome_leave": "Hai cambiato idea? Puoi annullare l’iscrizione in qualsiasi momento.",
        "review_subject": "[revisione] {subject}",
        "review_body": "L’edizione n. {edition} di {list} è pronta per la revisione.",
        "review_items.one": "Contiene un articolo.",
        "review_items.other": "Contiene {count} articoli.",
        "review_subject_label": "Oggetto",
        "review_preview": "Anteprima",
        "review_approve": "Per approvarla",
        "review_deadline_send": "Se nessuno la approva entro il {deadline}, sarà inviata così com’è.",
        "review_deadline_skip": "Se nessuno la approva entro il {deadline}, non sarà inviata.",
        "alert_subject": "[avviso] Edizione n. {edition} di {list}: {what} oltre il limite",
        "alert_body": "L’edizione n. {edition} di {list} («{subject}») supera un limite che i provider di posta controllano.",
        "alert_complaints": "Segnalazioni: {rate} di {delivered} consegnati ({count}); il limite è {limit}. Oltre lo 0,3 %, Gmail e Yahoo rifiutano gli invii massivi.",
        "alert_bounces": "Rimbalzi: {rate} di {sent} inviati ({count}); il limite è {limit}. Ripulisci la lista prima del prossimo invio.",
        "alert_open": "Apri la redazione",
        "alert_kind_complaints": "segnalazioni",
        "alert_kind_bounces": "rimbalzi",
    },
}


class Catalog:
    """The words, dates and durations of one language, as templates use them."""

    def __init__(self, language: str):
        self.language = language
        self.direction = "rtl" if language in RTL else "ltr"
        self._strings = STRINGS.get(language, STRINGS["en"])

    def __call__(self, key: str, **values: object) -> str:
        return self._strings[key].format(**values)

    def plural(self, key: str, count: int, **values: object) -> str:
        """One/other plural forms: enough for the catalogue's languages and counts of one or more."""
        form = "one" if count == 1 else "other"
        return self(f"{key}.{form}", count=count, **values)

    def percent(self, value: float) -> str:
        """0.0125 -> "1.25%" as the language writes it."""
        return format_percent(value, format="#,##0.##%", locale=self.language)

    def date(self, day: date) -> str:
        return format_date(day, format="long", locale=self.language)

    def moment(self, when: datetime, zone: str) -> str:
        """A date and time of day as read in a time zone, with the zone's abbreviation."""
        local = when.astimezone(ZoneInfo(zone))
        day = format_date(local, format="long", locale=self.language)
        return f"{day} {format_time(local, format='short', locale=self.language)} {local.tzname()}"

    def reading_time(self, words: int) -> str:
        minutes = max(1, round(words / WORDS_PER_MINUTE))
        duration = format_unit(minutes, "duration-minute", length="short", locale=self.language)
        return self("reading_time", duration=duration)
