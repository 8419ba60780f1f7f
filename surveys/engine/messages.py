"""Built-in texts: survey-core's English and Norwegian (``no``) strings, and Verne's own nb/nn texts.

survey-core resolves a built-in string (an error message, the "Other (describe)" item text ...)
for the survey locale and falls back to English. It has **no** ``nb`` or ``nn`` locale: with
``locale: "nb"`` its messages are English. The parity corpus compares against survey-core, so
the default message set (``messages="survey-core"``) reproduces exactly that.

Verne's Django side passes ``messages="verne"``: then ``nb`` and ``nn`` get Verne's own bokmål
and nynorsk texts (and ``no`` is treated as ``nb``); every other locale still uses survey-core's.

The ``SURVEY_CORE`` table holds survey-core 3.1.1's strings verbatim (translations are data: they
must be identical for parity). Placeholders ``{0}``, ``{1}`` follow survey-core's ``format``.
"""

from __future__ import annotations

from typing import Final, Literal

MessageSet = Literal["survey-core", "verne"]

SURVEY_CORE: Final[dict[str, dict[str, str]]] = {
    "en": {
        "booleanCheckedLabel": "Yes",
        "booleanUncheckedLabel": "No",
        "choices_Item": "item",
        "commentText": "Please leave a comment",
        "dontKnowItemText": "Don't know",
        "eachRowUniqueError": "Each row must have a unique value.",
        "exceedMaxFiles": "The maximum number of files you can upload is {0}.",
        "exceedMaxSize": "The file size should not exceed {0}.",
        "fileSizeUnits": "Bytes, KB, MB, GB, TB",
        "incompletePatternError": "Please complete the value to match the required format.",
        "invalidEmail": "Please enter a valid e-mail address.",
        "invalidExpression": "The expression: {0} should return 'true'.",
        "invalidInputError": "Invalid input",
        "keyDuplicationError": "This value should be unique.",
        "matrix_column": "Column",
        "matrix_row": "Row",
        "maxError": "The value should not be greater than {0}",
        "maxSelectError": "Please select no more than {0} option(s).",
        "minError": "The value should not be less than {0}",
        "minRowCountError": "Please fill in at least {0} row(s).",
        "minSelectError": "Please select at least {0} option(s).",
        "multipletext_itemname": "text",
        "noneItemText": "None",
        "numericError": "The value should be numeric.",
        "numericMax": "The '{0}' should be at most {1}",
        "numericMin": "The '{0}' should be at least {1}",
        "numericMinMax": "The '{0}' should be at least {1} and at most {2}",
        "otherItemText": "Other (describe)",
        "otherRequiredError": "Response required: enter another value.",
        "panelDynamicTabTextFormat": "Panel {panelIndex}",
        "placeholder": "Select...",
        "refuseItemText": "Refuse to answer",
        "requiredError": "Response required.",
        "requiredErrorInPanel": "Response required: answer at least one question.",
        "requiredInAllRowsError": "Response required: answer questions in all rows.",
        "rowIndexTemplateTitle": "Row {rowIndex}",
        "selectAllItemText": "Select All",
        "stepError": "Please enter a value that matches the step size of {0}.",
        "textMaxLength": "Please enter no more than {0} character(s).",
        "textMinLength": "Please enter at least {0} character(s).",
        "textMinMaxLength": "Please enter at least {0} and no more than {1} characters.",
        "textNoDigitsAllow": "Numbers are not allowed.",
        "uploadingFile": "Your file is uploading. Please wait several seconds and try again.",
        "urlGetChoicesError": "The request returned empty data or the 'path' property is incorrect",
        "urlRequestError": "The request returned error '{0}'. {1}",
        "value": "value",
    },
    "no": {
        "booleanCheckedLabel": "Ja",
        "booleanUncheckedLabel": "Nei",
        "choices_Item": "element",
        "commentText": "Legg igjen en kommentar",
        "dontKnowItemText": "Vet ikke",
        "eachRowUniqueError": "Hver rad må ha en unik verdi.",
        "exceedMaxFiles": "Maksimalt antall filer du kan laste opp er {0}.",
        "exceedMaxSize": "Filstørrelsen bør ikke overstige {0}.",
        "fileSizeUnits": "Bytes, KB, MB, GB, TB",
        "incompletePatternError": "Vennligst fyll ut verdien for å matche det nødvendige formatet.",
        "invalidEmail": "Vennligst skriv inn en gyldig e-post adresse.",
        "invalidExpression": "Uttrykket: {0} skal returnere 'sant'.",
        "invalidInputError": "Ugyldig input",
        "keyDuplicationError": "Denne verdien skal være unik.",
        "matrix_column": "Kolonne",
        "matrix_row": "Rad",
        "maxError": "Verdien bør ikke være større enn {0}",
        "maxSelectError": "Vennligst ikke velg mer enn {0} varianter.",
        "minError": "Verdien bør ikke være mindre enn {0}",
        "minRowCountError": "Vennligst fyll inn minst {0} rader.",
        "minSelectError": "Vennligst velg minst {0} varianter.",
        "multipletext_itemname": "Tekst",
        "noneItemText": "Ingen",
        "numericError": "Verdien skal være numerisk.",
        "numericMax": "'{0}' bør være lik eller mindre enn {1}",
        "numericMin": "'{0}' bør være lik eller mer enn {1}",
        "numericMinMax": "'{0}' bør være lik eller mer enn {1} og lik eller mindre enn {2}",
        "otherItemText": "Annet (beskriv)",
        "otherRequiredError": "Vennligst skriv inn den andre verdien.",
        "panelDynamicTabTextFormat": "Panel {panelIndex}",
        "placeholder": "Velg...",
        "refuseItemText": "Nekter å svare",
        "requiredError": "Vennligst svar på spørsmålet.",
        "requiredErrorInPanel": "Vennligst svar på minst ett spørsmål.",
        "requiredInAllRowsError": "Vennligst svar på spørsmål i alle rader.",
        "rowIndexTemplateTitle": "Rad {rowIndex}",
        "selectAllItemText": "Velg alle",
        "stepError": "Angi en verdi som samsvarer med trinnstørrelsen på {0}.",
        "textMaxLength": "Vennligst skriv inn mindre enn {0} tegn.",
        "textMinLength": "Vennligst skriv inn minst {0} tegn.",
        "textMinMaxLength": "Vennligst skriv inn mer enn {0} og mindre enn {1} tegn.",
        "textNoDigitsAllow": "Tall er ikke tillatt.",
        "uploadingFile": "Filen din lastes opp. Vennligst vent noen sekunder og prøv igjen.",
        "urlGetChoicesError": "Forespørselen returnerte tomme data, eller 'sti' -egenskapen er feil",
        "urlRequestError": "Forespørselen returnerte feilen '{0}'. {1}",
        "value": "verdi",
    },
}

# Verne's own texts (bokmål and nynorsk). Only the strings a respondent can see are translated.
VERNE: Final[dict[str, dict[str, str]]] = {
    "nb": {
        "otherItemText": "Annet (beskriv)",
        "noneItemText": "Ingen",
        "refuseItemText": "Vil ikke svare",
        "dontKnowItemText": "Vet ikke",
        "selectAllItemText": "Velg alle",
        "value": "verdien",
        "requiredError": "Du må svare på dette spørsmålet.",
        "requiredErrorInPanel": "Du må svare på minst ett av spørsmålene.",
        "requiredInAllRowsError": "Du må svare på alle radene.",
        "eachRowUniqueError": "Hver rad må ha en unik verdi.",
        "numericError": "Svaret må være et tall.",
        "minError": "Verdien kan ikke være mindre enn {0}",
        "stepError": "Verdien må passe med trinnstørrelsen {0}.",
        "maxError": "Verdien kan ikke være større enn {0}",
        "invalidInputError": "Ugyldig svar",
        "textNoDigitsAllow": "Tall er ikke tillatt.",
        "incompletePatternError": "Fyll ut hele verdien i riktig format.",
        "textMinLength": "Skriv minst {0} tegn.",
        "textMaxLength": "Skriv høyst {0} tegn.",
        "textMinMaxLength": "Skriv minst {0} og høyst {1} tegn.",
        "minRowCountError": "Fyll ut minst {0} rad(er).",
        "minSelectError": "Velg minst {0} alternativ(er).",
        "maxSelectError": "Velg høyst {0} alternativ(er).",
        "numericMinMax": "'{0}' må være minst {1} og høyst {2}",
        "numericMin": "'{0}' må være minst {1}",
        "numericMax": "'{0}' må være høyst {1}",
        "invalidEmail": "Skriv inn en gyldig e-postadresse.",
        "invalidExpression": "Uttrykket {0} må gi 'sann'.",
        "exceedMaxSize": "Filen kan ikke være større enn {0}.",
        "exceedMaxFiles": "Du kan laste opp høyst {0} filer.",
        "otherRequiredError": "Beskriv det andre alternativet.",
        "uploadingFile": "Filen lastes opp. Vent noen sekunder og prøv igjen.",
        "keyDuplicationError": "Denne verdien må være unik.",
        "booleanCheckedLabel": "Ja",
        "booleanUncheckedLabel": "Nei",
        "placeholder": "Velg ...",
        "commentText": "Legg igjen en kommentar",
    },
    "nn": {
        "otherItemText": "Anna (beskriv)",
        "noneItemText": "Ingen",
        "refuseItemText": "Vil ikkje svare",
        "dontKnowItemText": "Veit ikkje",
        "selectAllItemText": "Vel alle",
        "value": "verdien",
        "requiredError": "Du må svare på dette spørsmålet.",
        "requiredErrorInPanel": "Du må svare på minst eitt av spørsmåla.",
        "requiredInAllRowsError": "Du må svare på alle radene.",
        "eachRowUniqueError": "Kvar rad må ha ein unik verdi.",
        "numericError": "Svaret må vere eit tal.",
        "minError": "Verdien kan ikkje vere mindre enn {0}",
        "stepError": "Verdien må passe med stegstorleiken {0}.",
        "maxError": "Verdien kan ikkje vere større enn {0}",
        "invalidInputError": "Ugyldig svar",
        "textNoDigitsAllow": "Tal er ikkje tillate.",
        "incompletePatternError": "Fyll ut heile verdien i rett format.",
        "textMinLength": "Skriv minst {0} teikn.",
        "textMaxLength": "Skriv høgst {0} teikn.",
        "textMinMaxLength": "Skriv minst {0} og høgst {1} teikn.",
        "minRowCountError": "Fyll ut minst {0} rad(er).",
        "minSelectError": "Vel minst {0} alternativ.",
        "maxSelectError": "Vel høgst {0} alternativ.",
        "numericMinMax": "'{0}' må vere minst {1} og høgst {2}",
        "numericMin": "'{0}' må vere minst {1}",
        "numericMax": "'{0}' må vere høgst {1}",
        "invalidEmail": "Skriv inn ei gyldig e-postadresse.",
        "invalidExpression": "Uttrykket {0} må gi 'sann'.",
        "exceedMaxSize": "Fila kan ikkje vere større enn {0}.",
        "exceedMaxFiles": "Du kan laste opp høgst {0} filer.",
        "otherRequiredError": "Beskriv det andre alternativet.",
        "uploadingFile": "Fila blir lasta opp. Vent nokre sekund og prøv igjen.",
        "keyDuplicationError": "Denne verdien må vere unik.",
        "booleanCheckedLabel": "Ja",
        "booleanUncheckedLabel": "Nei",
        "placeholder": "Vel ...",
        "commentText": "Legg att ein kommentar",
    },
}


def _chain(locale: str, messages: MessageSet) -> list[dict[str, str]]:
    """The tables a built-in string is looked up in, first match wins (survey-core's getString)."""
    tables: list[dict[str, str]] = []

    def add(loc: str) -> None:
        if not loc:
            return
        for cand in (loc, loc.split("-", 1)[0]):
            tab = None
            if messages == "verne":
                tab = VERNE.get("nb" if cand == "no" else cand)
            if tab is None:
                tab = SURVEY_CORE.get(cand)
            if tab is not None and tab not in tables:
                tables.append(tab)

    add(locale)
    if messages == "verne" and locale.split("-", 1)[0] == "nn":
        add("nb")
    add("en")
    return tables


def get_string(name: str, locale: str = "", messages: MessageSet = "survey-core") -> str:
    """A built-in string for ``locale`` (English when survey-core has none)."""
    for tab in _chain(locale, messages):
        res = tab.get(name)
        if res is not None:
            return res
    return ""


def js_format(template: str, *args: str) -> str:
    """survey-core's ``String.prototype.format``: ``{0}`` ... replaced by the (stringified) args."""
    out = []
    i = 0
    n = len(template)
    while i < n:
        ch = template[i]
        if ch == "{":
            j = template.find("}", i + 1)
            if j > i + 1 and template[i + 1 : j].isdigit():
                idx = int(template[i + 1 : j])
                if idx < len(args):
                    out.append(args[idx])
                    i = j + 1
                    continue
        out.append(ch)
        i += 1
    return "".join(out)
