# ruff: noqa: E501  (sentences read better unbroken)
"""The words of the public pages and of the confirmation mail, in each list language."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from zoneinfo import available_timezones

# Recorded with each form subscription, so the consent can be matched to the words the person saw.
# Change it whenever `consent` changes in any language.
CONSENT_WORDING = "subscribe-2026-11"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "subscribe_title": "Subscribe to {list}",
        "email_label": "Email address",
        "name_label": "Name (optional)",
        "subscribe_button": "Subscribe",
        "consent": "By subscribing you agree to receive {list} by email. Every email has a link to unsubscribe.",
        "invalid_email": "This email address is not valid: {reason}",
        "address_not_deliverable": "We cannot deliver mail to {email}: the part before the @ has characters outside plain ASCII, which our mail service does not carry. Please use another address.",
        "address_refused": "This address refused our mail, so no confirmation could be sent to {email}. Please check the address, or use another one.",
        "check_inbox_title": "Check your inbox",
        "check_inbox_text": "If this address can receive {list}, a message with a confirmation link is on its way. "
        "Your subscription starts when you click it.",
        "thanks_title": "Thank you",
        "thanks_text": "If this address can receive {list}, it is now subscribed.",
        "rate_limited_title": "Too many requests",
        "rate_limited_text": "Several messages went to this address recently. Please try again in an hour.",
        "send_failed": "We could not send the message just now. Please try again later.",
        "confirm_title": "Confirm your subscription",
        "confirm_text": "Confirm that you want to receive {list} at {email}.",
        "confirm_button": "Confirm my subscription",
        "confirmed_title": "Subscription confirmed",
        "confirmed_text": "Thank you. {list} will come to {email}.",
        "already_confirmed_text": "This subscription was already confirmed. There is nothing more to do.",
        "not_pending_text": "This subscription is no longer waiting for confirmation. You can subscribe again.",
        "expired_title": "This link has expired",
        "expired_text": "Confirmation links are valid for {days} days. We can send you a new one.",
        "resend_button": "Send me a new link",
        "invalid_link_title": "This link is not valid",
        "invalid_link_text": "It may have been copied incompletely. Please use the link from the most recent email.",
        "form_expired_title": "This form has expired",
        "form_expired": "This form has expired. Please go back, reload the page and try again.",
        "no_list": "There is no such list.",
        "not_found_title": "Page not found",
        "not_found_text": "There is nothing at this address. The link may be incomplete or out of date.",
        "link_expired_text": "Please use the link from the most recent email.",
        "error_title": "This did not work",
        "error_text": "This page cannot be used this way. Please go back and try again.",
        "server_error_text": "Something went wrong on our side. Please try again later.",
        "cookies_needed_title": "Cookies are needed",
        "cookies_needed": "Your browser did not send back the cookie that protects this form. Please allow cookies for this site, reload the page and try again.",
        "name_too_long": "The name is too long: at most {max} characters.",
        "unsubscribe_title": "Unsubscribe",
        "unsubscribe_text": "Stop sending {list} to {email}?",
        "unsubscribe_button": "Unsubscribe",
        "unsubscribe_all_button": "Unsubscribe from everything",
        "unsubscribed_title": "You are unsubscribed",
        "unsubscribed_text": "{list} will no longer be sent to you.",
        "unsubscribed_all_text": "You will no longer receive any of our lists.",
        "preferences_link": "Manage your preferences",
        "preferences_title": "Your preferences",
        "lists_legend": "Lists you receive",
        "pending_note": "waiting for your confirmation: check your inbox",
        "language_label": "Language",
        "save_button": "Save",
        "saved_text": "Your preferences are saved.",
        "timezone_label": "Time zone",
        "timezone_hint": "Lists that send at a local hour reach you at that hour in this time zone.",
        "no_tracking_label": "Don’t track my opens and clicks",
        "no_tracking_hint": "Your mail then has no counting pixel, and its links go straight to the articles.",
        "timezone_unset": "Not set (mail comes when the list sends it)",
        "invalid_timezone": "“{zone}” is not a time zone we know. Nothing was saved.",
        "archive_title": "Past editions of {list}",
        "archive_empty": "Nothing has been sent yet.",
        "archive_feed": "Follow it in a feed reader (Atom)",
        "past_editions_link": "Read past editions",
    },
    "fr": {
        "subscribe_title": "S'abonner à {list}",
        "email_label": "Adresse e-mail",
        "name_label": "Nom (facultatif)",
        "subscribe_button": "S'abonner",
        "consent": "En vous abonnant, vous acceptez de recevoir {list} par e-mail. "
        "Chaque e-mail contient un lien de désabonnement.",
        "invalid_email": "Cette adresse e-mail n'est pas valide : {reason}",
        "address_not_deliverable": "Nous ne pouvons pas envoyer de courrier à {email} : la partie avant le @ contient des caractères hors de l'ASCII, que notre service d'envoi ne prend pas en charge. Veuillez utiliser une autre adresse.",
        "address_refused": "Cette adresse a refusé notre message : aucune confirmation n'a pu être envoyée à {email}. Vérifiez l'adresse ou utilisez-en une autre.",
        "check_inbox_title": "Consultez votre boîte de réception",
        "check_inbox_text": "Si cette adresse peut recevoir {list}, un message avec un lien de confirmation "
        "est en route. Votre abonnement commence quand vous cliquez dessus.",
        "thanks_title": "Merci",
        "thanks_text": "Si cette adresse peut recevoir {list}, elle est maintenant abonnée.",
        "rate_limited_title": "Trop de demandes",
        "rate_limited_text": "Plusieurs messages ont récemment été envoyés à cette adresse. "
        "Veuillez réessayer dans une heure.",
        "send_failed": "Nous n'avons pas pu envoyer le message. Veuillez réessayer plus tard.",
        "confirm_title": "Confirmez votre abonnement",
        "confirm_text": "Confirmez que vous souhaitez recevoir {list} à l'adresse {email}.",
        "confirm_button": "Confirmer mon abonnement",
        "confirmed_title": "Abonnement confirmé",
        "confirmed_text": "Merci. {list} sera envoyé à {email}.",
        "already_confirmed_text": "Cet abonnement était déjà confirmé. Il n'y a plus rien à faire.",
        "not_pending_text": "Cet abonnement n'attend plus de confirmation. Vous pouvez vous abonner à nouveau.",
        "expired_title": "Ce lien a expiré",
        "expired_text": "Les liens de confirmation sont valables {days} jours. "
        "Nous pouvons vous en envoyer un nouveau.",
        "resend_button": "M'envoyer un nouveau lien",
        "invalid_link_title": "Ce lien n'est pas valide",
        "invalid_link_text": "Il a peut-être été copié de façon incomplète. "
        "Utilisez le lien du message le plus récent.",
        "form_expired_title": "Ce formulaire a expiré",
        "form_expired": "Ce formulaire a expiré. Revenez en arrière, rechargez la page et réessayez.",
        "no_list": "Cette liste n'existe pas.",
        "not_found_title": "Page introuvable",
        "not_found_text": "Il n'y a rien à cette adresse. Le lien est peut-être incomplet ou périmé.",
        "link_expired_text": "Veuillez utiliser le lien du message le plus récent.",
        "error_title": "Cela n'a pas fonctionné",
        "error_text": "Cette page ne peut pas être utilisée ainsi. Revenez en arrière et réessayez.",
        "server_error_text": "Un problème est survenu de notre côté. Veuillez réessayer plus tard.",
        "cookies_needed_title": "Les cookies sont nécessaires",
        "cookies_needed": "Votre navigateur n'a pas renvoyé le cookie qui protège ce formulaire. Autorisez les cookies pour ce site, rechargez la page et réessayez.",
        "name_too_long": "Le nom est trop long : {max} caractères au plus.",
        "unsubscribe_title": "Se désabonner",
        "unsubscribe_text": "Ne plus envoyer {list} à {email} ?",
        "unsubscribe_button": "Me désabonner",
        "unsubscribe_all_button": "Me désabonner de tout",
        "unsubscribed_title": "Vous êtes désabonné",
        "unsubscribed_text": "{list} ne vous sera plus envoyé.",
        "unsubscribed_all_text": "Vous ne recevrez plus aucune de nos listes.",
        "preferences_link": "Gérer vos préférences",
        "preferences_title": "Vos préférences",
        "lists_legend": "Listes que vous recevez",
        "pending_note": "en attente de votre confirmation : consultez votre boîte de réception",
        "language_label": "Langue",
        "save_button": "Enregistrer",
        "saved_text": "Vos préférences sont enregistrées.",
        "timezone_label": "Fuseau horaire",
        "timezone_hint": "Les listes envoyées à une heure locale vous parviennent à cette heure dans ce fuseau.",
        "no_tracking_label": "Ne pas suivre mes ouvertures ni mes clics",
        "no_tracking_hint": "Votre courrier n’aura alors aucun pixel de comptage, et ses liens mèneront directement aux articles.",
        "timezone_unset": "Non défini (le courrier arrive quand la liste l'envoie)",
        "invalid_timezone": "« {zone} » n'est pas un fuseau horaire que nous connaissons. Rien n'a été enregistré.",
        "archive_title": "Les éditions passées de {list}",
        "archive_empty": "Rien n'a encore été envoyé.",
        "archive_feed": "La suivre dans un lecteur de flux (Atom)",
        "past_editions_link": "Lire les éditions passées",
    },
    "de": {
        "subscribe_title": "{list} abonnieren",
        "email_label": "E-Mail-Adresse",
        "name_label": "Name (optional)",
        "subscribe_button": "Abonnieren",
        "consent": "Mit dem Abonnement willigen Sie ein, {list} per E-Mail zu erhalten. "
        "Jede E-Mail enthält einen Link zum Abbestellen.",
        "invalid_email": "Diese E-Mail-Adresse ist ungültig: {reason}",
        "address_not_deliverable": "An {email} können wir keine Mail zustellen: Der Teil vor dem @ enthält Zeichen außerhalb von ASCII, die unser Mailversand nicht transportiert. Bitte verwenden Sie eine andere Adresse.",
        "address_refused": "Diese Adresse hat unsere Nachricht abgelehnt, daher konnte keine Bestätigung an {email} gesendet werden. Bitte prüfen Sie die Adresse oder verwenden Sie eine andere.",
        "check_inbox_title": "Sehen Sie in Ihrem Posteingang nach",
        "check_inbox_text": "Wenn diese Adresse {list} erhalten kann, ist eine Nachricht mit einem "
        "Bestätigungslink unterwegs. Ihr Abonnement beginnt, sobald Sie ihn anklicken.",
        "thanks_title": "Vielen Dank",
        "thanks_text": "Wenn diese Adresse {list} erhalten kann, ist sie jetzt angemeldet.",
        "rate_limited_title": "Zu viele Anfragen",
        "rate_limited_text": "An diese Adresse gingen kürzlich mehrere Nachrichten. "
        "Bitte versuchen Sie es in einer Stunde erneut.",
        "send_failed": "Die Nachricht konnte gerade nicht gesendet werden. Bitte versuchen Sie es später erneut.",
        "confirm_title": "Bestätigen Sie Ihr Abonnement",
        "confirm_text": "Bestätigen Sie, dass Sie {list} an {email} erhalten möchten.",
        "confirm_button": "Abonnement bestätigen",
        "confirmed_title": "Abonnement bestätigt",
        "confirmed_text": "Vielen Dank. {list} wird an {email} gesendet.",
        "already_confirmed_text": "Dieses Abonnement war bereits bestätigt. Es ist nichts weiter zu tun.",
        "not_pending_text": "Dieses Abonnement wartet nicht mehr auf eine Bestätigung. "
        "Sie können sich erneut anmelden.",
        "expired_title": "Dieser Link ist abgelaufen",
        "expired_text": "Bestätigungslinks sind {days} Tage gültig. Wir können Ihnen einen neuen senden.",
        "resend_button": "Neuen Link senden",
        "invalid_link_title": "Dieser Link ist ungültig",
        "invalid_link_text": "Er wurde vielleicht unvollständig kopiert. "
        "Bitte verwenden Sie den Link aus der neuesten E-Mail.",
        "form_expired_title": "Dieses Formular ist abgelaufen",
        "form_expired": "Dieses Formular ist abgelaufen. Bitte gehen Sie zurück, laden Sie die Seite neu "
        "und versuchen Sie es erneut.",
        "no_list": "Diese Liste gibt es nicht.",
        "not_found_title": "Seite nicht gefunden",
        "not_found_text": "Unter dieser Adresse gibt es nichts. Der Link ist vielleicht unvollständig oder veraltet.",
        "link_expired_text": "Bitte verwenden Sie den Link aus der neuesten E-Mail.",
        "error_title": "Das hat nicht funktioniert",
        "error_text": "Diese Seite kann so nicht verwendet werden. Bitte gehen Sie zurück und versuchen Sie es erneut.",
        "server_error_text": "Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es später erneut.",
        "cookies_needed_title": "Cookies werden benötigt",
        "cookies_needed": "Ihr Browser hat das Cookie, das dieses Formular schützt, nicht zurückgeschickt. Bitte erlauben Sie Cookies für diese Website, laden Sie die Seite neu und versuchen Sie es erneut.",
        "name_too_long": "Der Name ist zu lang: höchstens {max} Zeichen.",
        "unsubscribe_title": "Abbestellen",
        "unsubscribe_text": "{list} nicht mehr an {email} senden?",
        "unsubscribe_button": "Abbestellen",
        "unsubscribe_all_button": "Alles abbestellen",
        "unsubscribed_title": "Sie sind abgemeldet",
        "unsubscribed_text": "{list} wird Ihnen nicht mehr gesendet.",
        "unsubscribed_all_text": "Sie erhalten keine unserer Listen mehr.",
        "preferences_link": "Einstellungen verwalten",
        "preferences_title": "Ihre Einstellungen",
        "lists_legend": "Listen, die Sie erhalten",
        "pending_note": "wartet auf Ihre Bestätigung: sehen Sie in Ihrem Posteingang nach",
        "language_label": "Sprache",
        "save_button": "Speichern",
        "saved_text": "Ihre Einstellungen sind gespeichert.",
        "timezone_label": "Zeitzone",
        "timezone_hint": "Listen, die zu einer Ortszeit versandt werden, erreichen Sie zu dieser Stunde in dieser Zeitzone.",
        "no_tracking_label": "Meine Öffnungen und Klicks nicht erfassen",
        "no_tracking_hint": "Ihre Post enthält dann kein Zählpixel, und ihre Links führen direkt zu den Artikeln.",
        "timezone_unset": "Nicht festgelegt (die Post kommt, wenn die Liste sie versendet)",
        "invalid_timezone": "„{zone}“ ist keine uns bekannte Zeitzone. Es wurde nichts gespeichert.",
        "archive_title": "Frühere Ausgaben von {list}",
        "archive_empty": "Bisher wurde nichts versandt.",
        "archive_feed": "In einem Feedreader folgen (Atom)",
        "past_editions_link": "Frühere Ausgaben lesen",
    },
    "es": {
        "subscribe_title": "Suscribirse a {list}",
        "email_label": "Correo electrónico",
        "name_label": "Nombre (opcional)",
        "subscribe_button": "Suscribirme",
        "consent": "Al suscribirse acepta recibir {list} por correo electrónico. "
        "Cada correo incluye un enlace para darse de baja.",
        "invalid_email": "Esta dirección de correo no es válida: {reason}",
        "address_not_deliverable": "No podemos entregar correo a {email}: la parte anterior a la @ tiene caracteres fuera del ASCII, que nuestro servicio de envío no admite. Utilice otra dirección.",
        "address_refused": "Esta dirección rechazó nuestro mensaje, así que no pudimos enviar la confirmación a {email}. Compruebe la dirección o utilice otra.",
        "check_inbox_title": "Revise su bandeja de entrada",
        "check_inbox_text": "Si esta dirección puede recibir {list}, le hemos enviado un mensaje con un enlace "
        "de confirmación. Su suscripción empieza cuando haga clic en él.",
        "thanks_title": "Gracias",
        "thanks_text": "Si esta dirección puede recibir {list}, ya está suscrita.",
        "rate_limited_title": "Demasiadas solicitudes",
        "rate_limited_text": "Se han enviado varios mensajes a esta dirección hace poco. "
        "Vuelva a intentarlo dentro de una hora.",
        "send_failed": "No hemos podido enviar el mensaje ahora. Vuelva a intentarlo más tarde.",
        "confirm_title": "Confirme su suscripción",
        "confirm_text": "Confirme que desea recibir {list} en {email}.",
        "confirm_button": "Confirmar mi suscripción",
        "confirmed_title": "Suscripción confirmada",
        "confirmed_text": "Gracias. {list} llegará a {email}.",
        "already_confirmed_text": "Esta suscripción ya estaba confirmada. No hace falta nada más.",
        "not_pending_text": "Esta suscripción ya no espera confirmación. Puede suscribirse de nuevo.",
        "expired_title": "Este enlace ha caducado",
        "expired_text": "Los enlaces de confirmación son válidos durante {days} días. "
        "Podemos enviarle uno nuevo.",
        "resend_button": "Enviarme un enlace nuevo",
        "invalid_link_title": "Este enlace no es válido",
        "invalid_link_text": "Puede que se haya copiado de forma incompleta. "
        "Use el enlace del correo más reciente.",
        "form_expired_title": "Este formulario ha caducado",
        "form_expired": "Este formulario ha caducado. Vuelva atrás, recargue la página e inténtelo de nuevo.",
        "no_list": "Esta lista no existe.",
        "not_found_title": "Página no encontrada",
        "not_found_text": "No hay nada en esta dirección. Puede que el enlace esté incompleto o caducado.",
        "link_expired_text": "Use el enlace del correo más reciente.",
        "error_title": "No ha funcionado",
        "error_text": "Esta página no se puede usar así. Vuelva atrás e inténtelo de nuevo.",
        "server_error_text": "Algo ha fallado por nuestra parte. Inténtelo de nuevo más tarde.",
        "cookies_needed_title": "Se necesitan cookies",
        "cookies_needed": "Su navegador no ha devuelto la cookie que protege este formulario. Permita las cookies para este sitio, recargue la página e inténtelo de nuevo.",
        "name_too_long": "El nombre es demasiado largo: como máximo {max} caracteres.",
        "unsubscribe_title": "Darse de baja",
        "unsubscribe_text": "¿Dejar de enviar {list} a {email}?",
        "unsubscribe_button": "Darme de baja",
        "unsubscribe_all_button": "Darme de baja de todo",
        "unsubscribed_title": "Se ha dado de baja",
        "unsubscribed_text": "Ya no recibirá {list}.",
        "unsubscribed_all_text": "Ya no recibirá ninguna de nuestras listas.",
        "preferences_link": "Gestionar sus preferencias",
        "preferences_title": "Sus preferencias",
        "lists_legend": "Listas que recibe",
        "pending_note": "pendiente de su confirmación: revise su bandeja de entrada",
        "language_label": "Idioma",
        "save_button": "Guardar",
        "saved_text": "Sus preferencias se han guardado.",
        "timezone_label": "Zona horaria",
        "timezone_hint": "Las listas que se envían a una hora local le llegan a esa hora en esta zona horaria.",
        "no_tracking_label": "No registrar mis aperturas ni mis clics",
        "no_tracking_hint": "Su correo no llevará entonces ningún píxel de recuento, y sus enlaces irán directamente a los artículos.",
        "timezone_unset": "Sin definir (el correo llega cuando la lista lo envía)",
        "invalid_timezone": "«{zone}» no es una zona horaria que conozcamos. No se ha guardado nada.",
        "archive_title": "Ediciones anteriores de {list}",
        "archive_empty": "Todavía no se ha enviado nada.",
        "archive_feed": "Seguirla en un lector de feeds (Atom)",
        "past_editions_link": "Leer las ediciones anteriores",
    },
    "it": {
        "subscribe_title": "Iscriviti a {list}",
        "email_label": "Indirizzo e-mail",
        "name_label": "Nome (facoltativo)",
        "subscribe_button": "Iscriviti",
        "consent": "Iscrivendoti accetti di ricevere {list} via e-mail. "
        "Ogni e-mail contiene un link per annullare l'iscrizione.",
        "invalid_email": "Questo indirizzo e-mail non è valido: {reason}",
        "address_not_deliverable": "Non possiamo recapitare posta a {email}: la parte prima della @ contiene caratteri non ASCII, che il nostro servizio di invio non gestisce. Usa un altro indirizzo.",
        "address_refused": "Questo indirizzo ha rifiutato il nostro messaggio, quindi non è stato possibile inviare la conferma a {email}. Controlla l'indirizzo o usane un altro.",
        "check_inbox_title": "Controlla la tua casella di posta",
        "check_inbox_text": "Se questo indirizzo può ricevere {list}, ti abbiamo inviato un messaggio con un "
        "link di conferma. L'iscrizione inizia quando lo clicchi.",
        "thanks_title": "Grazie",
        "thanks_text": "Se questo indirizzo può ricevere {list}, ora è iscritto.",
        "rate_limited_title": "Troppe richieste",
        "rate_limited_text": "Di recente sono stati inviati diversi messaggi a questo indirizzo. "
        "Riprova tra un'ora.",
        "send_failed": "Non è stato possibile inviare il messaggio. Riprova più tardi.",
        "confirm_title": "Conferma la tua iscrizione",
        "confirm_text": "Conferma che vuoi ricevere {list} all'indirizzo {email}.",
        "confirm_button": "Conferma l'iscrizione",
        "confirmed_title": "Iscrizione confermata",
        "confirmed_text": "Grazie. {list} arriverà a {email}.",
        "already_confirmed_text": "Questa iscrizione era già confermata. Non c'è altro da fare.",
        "not_pending_text": "Questa iscrizione non è più in attesa di conferma. Puoi iscriverti di nuovo.",
        "expired_title": "Questo link è scaduto",
        "expired_text": "I link di conferma valgono {days} giorni. Possiamo inviartene uno nuovo.",
        "resend_button": "Inviami un nuovo link",
        "invalid_link_title": "Questo link non è valido",
        "invalid_link_text": "Forse è stato copiato in modo incompleto. Usa il link dell'e-mail più recente.",
        "form_expired_title": "Questo modulo è scaduto",
        "form_expired": "Questo modulo è scaduto. Torna indietro, ricarica la pagina e riprova.",
        "no_list": "Questa lista non esiste.",
        "not_found_title": "Pagina non trovata",
        "not_found_text": "A questo indirizzo non c'è nulla. Il link potrebbe essere incompleto o scaduto.",
        "link_expired_text": "Usa il link dell'e-mail più recente.",
        "error_title": "Non ha funzionato",
        "error_text": "Questa pagina non può essere usata così. Torna indietro e riprova.",
        "server_error_text": "Qualcosa è andato storto da parte nostra. Riprova più tardi.",
        "cookies_needed_title": "Servono i cookie",
        "cookies_needed": "Il tuo browser non ha rimandato il cookie che protegge questo modulo. Consenti i cookie per questo sito, ricarica la pagina e riprova.",
        "name_too_long": "Il nome è troppo lungo: al massimo {max} caratteri.",
        "unsubscribe_title": "Annulla l'iscrizione",
        "unsubscribe_text": "Non inviare più {list} a {email}?",
        "unsubscribe_button": "Annulla l'iscrizione",
        "unsubscribe_all_button": "Annulla tutte le iscrizioni",
        "unsubscribed_title": "Iscrizione annullata",
        "unsubscribed_text": "Non riceverai più {list}.",
        "unsubscribed_all_text": "Non riceverai più nessuna delle nostre liste.",
        "preferences_link": "Gestisci le tue preferenze",
        "preferences_title": "Le tue preferenze",
        "lists_legend": "Liste che ricevi",
        "pending_note": "in attesa della tua conferma: controlla la tua casella di posta",
        "language_label": "Lingua",
        "save_button": "Salva",
        "saved_text": "Le tue preferenze sono state salvate.",
        "timezone_label": "Fuso orario",
        "timezone_hint": "Le liste inviate a un'ora locale ti arrivano a quell'ora in questo fuso orario.",
        "no_tracking_label": "Non tracciare le mie aperture e i miei clic",
        "no_tracking_hint": "La tua posta non avrà allora alcun pixel di conteggio, e i suoi link porteranno direttamente agli articoli.",
        "timezone_unset": "Non impostato (la posta arriva quando la lista la invia)",
        "invalid_timezone": "«{zone}» non è un fuso orario che conosciamo. Non è stato salvato nulla.",
        "archive_title": "Le edizioni passate di {list}",
        "archive_empty": "Non è stato ancora inviato nulla.",
        "archive_feed": "Seguila in un lettore di feed (Atom)",
        "past_editions_link": "Leggi le edizioni passate",
    },
}

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch", "es": "Español", "it": "Italiano"}


# The regions of the IANA zones a reader picks from; the other names (US/Eastern, EST5EDT, Etc/GMT+5...)
# are aliases or offsets that no one looks for by their city.
ZONE_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@cache
def _zones() -> tuple[str, ...]:
    return ("UTC", *sorted(z for z in available_timezones() if z.split("/")[0] in ZONE_REGIONS))


def time_zones(current: str | None = None) -> list[tuple[str, str]]:
    """The time zones the preferences page offers, as (IANA name, label): UTC and the zones by region
    and city, and the person's own even when it is another name (it stays chosen unless changed)."""
    zones = list(_zones())
    if current and current not in zones:
        zones.insert(0, current)
    return [(zone, zone.replace("_", " ")) for zone in zones]


def language_of(*candidates: str | None) -> str:
    """The first candidate we have words for, else English."""
    return next((c for c in candidates if c in MESSAGES), "en")


def accepted(header: str | None) -> str | None:
    """The language we have words for that an Accept-Language header prefers, if any."""
    best, best_q = None, 0.0
    for part in (header or "").split(","):
        tag, _, params = part.partition(";")
        code = tag.strip().lower().split("-")[0]
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        if code in MESSAGES and q > best_q:
            best, best_q = code, q
    return best


def translator(language: str) -> Callable[..., str]:
    words = MESSAGES[language_of(language)]

    def t(key: str, **values: object) -> str:
        return words[key].format(**values)

    return t
