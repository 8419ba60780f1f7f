"""The curated JSON Schema, written as Python so that it stays short and reviewable.

``build_schema()`` returns the Draft 2020-12 schema that ``schema.json`` holds; run
``python -m surveys.engine.definition.build`` after editing this file (a test fails when
``schema.json`` is stale). At run time only the type lists are imported from here; the schema itself is read from
``schema.json``.

How the schema is organised (names under ``$defs``):

* ``survey``, ``page``, ``panelBase``; ``element`` dispatches on ``type`` to ``element.<type>``;
  every question type starts from ``question``.
* ``validator`` / ``trigger`` dispatch on ``type`` to ``validator.<type>`` / ``trigger.<type>``;
  ``matrixDropdownColumn`` adds the properties of its ``cellType``.
* ``expression`` (an expression string) and ``localizableString`` (``"text"`` or
  ``{"default": ..., "nb": ...}``) are the two leaf types the checks look for.

Objects are open (no ``additionalProperties: false``): SurveyJS Creator writes many UI
properties, and the semantic checks turn unknown properties into warnings instead. Each
definition lists the properties Verne knows, so that list doubles as the whitelist.
Unsupported features are declared as ``{"not": {}}`` so that any schema consumer rejects them.
Legacy names that survey-core still reads carry ``"deprecated": true`` and ``"x-alias-of"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from surveys.engine.definition.verne import VERNE_PROPERTIES, follow_up_schema

Schema = dict[str, Any]

SCHEMA_ID = "https://verne.no/schemas/surveyjs-definition.json"

# Question types Verne runs on the server (feature inventory: core or store).
QUESTION_TYPES: tuple[str, ...] = (
    "text",
    "comment",
    "radiogroup",
    "checkbox",
    "dropdown",
    "tagbox",
    "boolean",
    "rating",
    "ranking",
    "imagepicker",
    "matrix",
    "matrixdropdown",
    "matrixdynamic",
    "multipletext",
    "expression",
    "html",
    "image",
    "paneldynamic",
    "file",
    "slider",
)
ELEMENT_TYPES: tuple[str, ...] = (*QUESTION_TYPES, "panel")
SELECT_TYPES: frozenset[str] = frozenset(
    {"radiogroup", "checkbox", "dropdown", "tagbox", "ranking", "imagepicker"}
)
CELL_TYPES: tuple[str, ...] = (
    "dropdown",
    "checkbox",
    "radiogroup",
    "tagbox",
    "text",
    "comment",
    "boolean",
    "expression",
    "rating",
    "slider",
)
VALIDATOR_TYPES: tuple[str, ...] = (
    "numeric",
    "text",
    "regex",
    "email",
    "expression",
    "answercount",
)
TRIGGER_TYPES: tuple[str, ...] = (
    "setvalue",
    "copyvalue",
    "runexpression",
    "skip",
    "complete",
    "visible",
)
INPUT_TYPES: tuple[str, ...] = (
    "text",
    "number",
    "range",
    "email",
    "date",
    "datetime-local",
    "month",
    "time",
    "week",
    "tel",
    "url",
    "color",
    "password",
)
MASK_TYPES: tuple[str, ...] = ("none", "pattern", "datetime", "numeric", "currency")

# ---------------------------------------------------------------------------------------------
# Small schema builders


def ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def enum(*values: Any) -> Schema:
    return {"enum": list(values)}


def array(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items, **extra}


S: Schema = {"type": "string"}
B: Schema = {"type": "boolean"}
N: Schema = {"type": "number"}
COUNT: Schema = {"type": "integer", "minimum": 0}
SN: Schema = {"type": ["string", "number"]}
BS: Schema = {"type": ["boolean", "string"]}
ANY: Schema = {}
LOC: Schema = ref("localizableString")
EXPR: Schema = ref("expression")
ELEMENTS: Schema = array(ref("element"))
UNSUPPORTED: Schema = {"not": {}}


def unsupported(reason: str) -> Schema:
    return {"not": {}, "description": f"Not supported by Verne: {reason}"}


def obj(
    props: Mapping[str, Schema],
    *,
    base: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
    required: Iterable[str] = (),
    title: str | None = None,
    extra: Mapping[str, Any] | None = None,
    typed: bool = True,
) -> Schema:
    """An object definition: own properties, ``allOf`` bases and legacy aliases.

    ``typed=False`` leaves the JSON type to the bases (items may be plain values).
    """
    properties: Schema = dict(props)
    for alias, canonical in (aliases or {}).items():
        target = properties.get(canonical, ANY)
        properties[alias] = {
            **target,
            "deprecated": True,
            "x-alias-of": canonical,
            "description": f"Legacy name of '{canonical}'.",
        }
    out: Schema = {}
    if title:
        out["title"] = title
    if typed:
        out["type"] = "object"
    bases = list(base)
    if bases:
        out["allOf"] = [ref(b) for b in bases]
    if required:
        out["required"] = list(required)
    out["properties"] = properties
    if extra:
        out.update(extra)
    return out


def dispatch(key: str, targets: Mapping[str, str], *, required_key: bool = True) -> list[Schema]:
    """``allOf`` entries that apply ``targets[value]`` when ``key`` equals value."""
    return [
        {
            "if": {
                "properties": {key: {"const": value}},
                **({"required": [key]} if required_key else {}),
            },
            "then": ref(target),
        }
        for value, target in targets.items()
    ]


def verne_props(sj_class: str) -> Schema:
    return {p.name: dict(p.schema) for p in VERNE_PROPERTIES if sj_class in p.classes}


# ---------------------------------------------------------------------------------------------
# Leaves, items and small objects

LOCALE_KEY = r"^(default|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$"

LEAVES: dict[str, Schema] = {
    "expression": {
        "title": "SurveyJS expression",
        "description": "An expression such as \"{q1} = 'yes' and {q2} > 3\".",
        "type": "string",
    },
    "localizableString": {
        "title": "Localisable text",
        "description": 'A text, or one text per language: {"default": "...", "nb": "...", "en": "..."}.',
        "type": ["string", "object"],
        "propertyNames": {"pattern": LOCALE_KEY},
        "additionalProperties": {"type": "string"},
    },
}

ITEMS: dict[str, Schema] = {
    # A choice, row or column: a plain value, or an object with a value and a text.
    "itemValue": {
        "title": "Item",
        "type": ["string", "number", "boolean", "object"],
        "required": ["value"],
        "properties": {
            "value": {"type": ["string", "number", "boolean"]},
            "text": LOC,
            "visibleIf": EXPR,
            "enableIf": EXPR,
            "randomize": B,
            "randomizeCategory": S,
        },
    },
    "choiceItem": obj(
        {
            "showCommentArea": B,
            "isCommentRequired": B,
            "commentPlaceholder": LOC,
            "elements": unsupported("questions nested inside a choice"),
        },
        base=["itemValue"],
        title="Choice",
        typed=False,
    ),
    "checkboxItem": obj(
        {"isExclusive": B}, base=["choiceItem"], title="Checkbox choice", typed=False
    ),
    "imageItem": obj({"imageLink": S}, base=["itemValue"], title="Image choice", typed=False),
    "ratingItem": obj({}, base=["itemValue"], title="Rating value", typed=False),
    "matrixColumn": obj({"isExclusive": B}, base=["itemValue"], title="Matrix column", typed=False),
    "sliderLabel": obj(
        {"value": N, "showValue": B}, base=["itemValue"], title="Slider label", typed=False
    ),
    "calculatedValue": obj(
        {"name": S, "expression": EXPR, "includeIntoResult": B},
        required=["name", "expression"],
        title="Calculated value",
    ),
    "htmlConditionItem": obj(
        {"expression": EXPR, "html": LOC},
        required=["expression"],
        title="Conditional completed page",
    ),
    "urlConditionItem": obj(
        {"expression": EXPR, "url": S}, required=["expression"], title="Conditional redirect"
    ),
    "regionalFormat": obj(
        {
            "locale": S,
            "datePattern": S,
            "timePattern": S,
            "decimalSeparator": S,
            "thousandsSeparator": S,
            "currencySymbol": S,
            "currencyPattern": S,
        },
        title="Regional format",
    ),
    "panelLayoutColumn": obj({"width": N, "questionTitleWidth": S}, title="Layout column"),
    "multipleTextItem": obj(
        {
            "name": S,
            "title": LOC,
            "isRequired": B,
            "placeholder": LOC,
            "inputType": enum(*INPUT_TYPES),
            "maskType": enum(*MASK_TYPES),
            "maskSettings": ref("maskSettings"),
            "inputTextAlignment": S,
            "maxLength": N,
            "inputSize": N,
            "requiredErrorText": LOC,
            "defaultValueExpression": EXPR,
            "minValueExpression": EXPR,
            "maxValueExpression": EXPR,
            "validators": array(ref("validator")),
        },
        aliases={"placeHolder": "placeholder", "size": "inputSize"},
        required=["name"],
        title="Multiple text item",
    ),
    "verneFollowUp": follow_up_schema(),
}

MASKS: dict[str, Schema] = {
    "maskSettings": obj({"saveMaskedValue": B}, title="Input mask"),
    "mask.pattern": obj({"pattern": S}, base=["maskSettings"]),
    "mask.datetime": obj(
        {"pattern": S, "patternPreset": S, "min": S, "max": S}, base=["maskSettings"]
    ),
    "mask.numeric": obj(
        {
            "allowNegativeValues": B,
            "decimalSeparator": S,
            "thousandsSeparator": S,
            "precision": N,
            "min": N,
            "max": N,
        },
        base=["maskSettings"],
    ),
    "mask.currency": obj({"currencySymbol": S, "currencyPattern": S}, base=["mask.numeric"]),
}

# ---------------------------------------------------------------------------------------------
# Validators and triggers

VALIDATORS: dict[str, Schema] = {
    "validator": {
        "title": "Validator",
        "type": "object",
        "required": ["type"],
        "properties": {"type": enum(*VALIDATOR_TYPES)},
        "allOf": dispatch("type", {t: f"validator.{t}" for t in VALIDATOR_TYPES}),
    },
    "validatorBase": obj(
        {"type": S, "text": LOC, "notificationType": enum("error", "warning", "info")}
    ),
    "validator.numeric": obj({"minValue": N, "maxValue": N}, base=["validatorBase"]),
    "validator.text": obj(
        {"minLength": COUNT, "maxLength": COUNT, "allowDigits": B}, base=["validatorBase"]
    ),
    "validator.regex": obj(
        {"regex": S, "caseInsensitive": B},
        base=["validatorBase"],
        aliases={"insensitive": "caseInsensitive"},
        required=["regex"],
    ),
    "validator.email": obj({}, base=["validatorBase"]),
    "validator.expression": obj(
        {"expression": EXPR}, base=["validatorBase"], required=["expression"]
    ),
    "validator.answercount": obj({"minCount": COUNT, "maxCount": COUNT}, base=["validatorBase"]),
}

TRIGGERS: dict[str, Schema] = {
    "trigger": {
        "title": "Trigger",
        "type": "object",
        "required": ["type"],
        "properties": {"type": enum(*TRIGGER_TYPES)},
        "allOf": dispatch("type", {t: f"trigger.{t}" for t in TRIGGER_TYPES}),
    },
    # name/operator/value is survey-core's legacy way to write the condition; the checks ask
    # for "expression" instead.
    "triggerBase": obj({"type": S, "expression": EXPR, "name": S, "operator": S, "value": ANY}),
    "trigger.setvalue": obj(
        {"setToName": S, "setValue": ANY, "isVariable": B},
        base=["triggerBase"],
        required=["setToName"],
    ),
    "trigger.copyvalue": obj(
        {"fromName": S, "setToName": S, "copyDisplayValue": B},
        base=["triggerBase"],
        required=["fromName", "setToName"],
    ),
    "trigger.runexpression": obj(
        {"setToName": S, "runExpression": EXPR}, base=["triggerBase"], required=["runExpression"]
    ),
    "trigger.skip": obj({"gotoName": S}, base=["triggerBase"], required=["gotoName"]),
    "trigger.complete": obj({}, base=["triggerBase"]),
    "trigger.visible": obj({"pages": array(S), "questions": array(S)}, base=["triggerBase"]),
}

# ---------------------------------------------------------------------------------------------
# Elements

QUESTION: Schema = obj(
    {
        "type": S,
        "name": {"type": "string", "minLength": 1},
        "valueName": S,
        "title": LOC,
        "description": LOC,
        "visible": B,
        "visibleIf": EXPR,
        "enableIf": EXPR,
        "readOnly": B,
        "isRequired": B,
        "requiredIf": EXPR,
        "requiredErrorText": LOC,
        "defaultValue": ANY,
        "defaultValueExpression": EXPR,
        "setValueIf": EXPR,
        "setValueExpression": EXPR,
        "resetValueIf": EXPR,
        "correctAnswer": ANY,
        "clearIfInvisible": enum("default", "none", "onComplete", "onHidden", "onHiddenContainer"),
        "validators": array(ref("validator")),
        "showCommentArea": B,
        "commentText": LOC,
        "commentPlaceholder": LOC,
        "useDisplayValuesInDynamicTexts": B,
        "defaultDisplayValue": LOC,
        "bindings": unsupported("bindings between questions"),
        # UI only
        "state": S,
        "width": SN,
        "minWidth": SN,
        "maxWidth": SN,
        "colSpan": N,
        "startWithNewLine": B,
        "indent": N,
        "titleLocation": S,
        "descriptionLocation": S,
        "showNumber": B,
        "hideNumber": B,
        "errorLocation": S,
        "renderAs": S,
        "randomize": B,
        "randomizeCategory": S,
        **verne_props("question"),
    },
    aliases={
        "hasComment": "showCommentArea",
        "commentPlaceHolder": "commentPlaceholder",
        "useDisplayValuesInTitle": "useDisplayValuesInDynamicTexts",
    },
    required=["name"],
    title="Question",
)

SELECT_BASE: Schema = obj(
    {
        "choices": array(ref("choiceItem")),
        "choicesFromQuestion": S,
        "choicesFromQuestionMode": enum("all", "selected", "unselected"),
        "choiceValuesFromQuestion": S,
        "choiceTextsFromQuestion": S,
        "choicesVisibleIf": EXPR,
        "choicesEnableIf": EXPR,
        "choicesOrder": enum("none", "asc", "desc", "random"),
        "choicesByUrl": unsupported("choices loaded from a web service"),
        "hideIfChoicesEmpty": B,
        "showOtherItem": B,
        "showNoneItem": B,
        "showRefuseItem": B,
        "showDontKnowItem": B,
        "otherText": LOC,
        "otherPlaceholder": LOC,
        "otherErrorText": LOC,
        "noneText": LOC,
        "refuseText": LOC,
        "dontKnowText": LOC,
        "storeOthersAsComment": enum("default", True, False),
        "separateSpecialChoices": B,
    },
    base=["question"],
    aliases={
        "hasOther": "showOtherItem",
        "hasNone": "showNoneItem",
        "otherPlaceHolder": "otherPlaceholder",
    },
)

CHECKBOX: Schema = obj(
    {
        "choices": array(ref("checkboxItem")),
        "showSelectAllItem": B,
        "selectAllText": LOC,
        "minSelectedChoices": COUNT,
        "maxSelectedChoices": COUNT,
        "valuePropertyName": S,
        "colCount": N,
        "itemComponent": S,
    },
    base=["selectBase"],
    aliases={"hasSelectAll": "showSelectAllItem"},
)

DROPDOWN_UI: Schema = {
    "placeholder": LOC,
    "allowClear": B,
    "searchEnabled": B,
    "searchMode": S,
    "textWrapEnabled": B,
    "allowCustomChoices": B,
    "createCustomChoiceText": LOC,
    "choicesLazyLoadEnabled": B,
    "choicesLazyLoadPageSize": N,
}

TEXT_COMMON: Schema = {
    "placeholder": LOC,
    "maxLength": N,
    "textUpdateMode": S,
}

MATRIX_BASE: Schema = obj(
    {
        "columnsVisibleIf": EXPR,
        "rowsVisibleIf": EXPR,
        "columnMinWidth": S,
        "showHeader": B,
        "verticalAlign": S,
        "alternateRows": B,
        "displayMode": S,
    },
    base=["question"],
)

MATRIX_DROPDOWN_BASE: Schema = obj(
    {
        "columns": array(ref("matrixDropdownColumn")),
        "cellType": enum(*CELL_TYPES),
        "choices": array(ref("itemValue")),
        "detailElements": ELEMENTS,
        "detailPanelMode": enum("none", "underRow", "underRowSingle"),
        "keyDuplicationError": LOC,
        "placeholder": LOC,
        "transposeData": B,
        "columnLayout": S,
        "cellErrorLocation": S,
        "detailErrorLocation": S,
        "horizontalScroll": B,
        "singleInputTitleTemplate": LOC,
        "columnColCount": N,
        "allowAdaptiveActions": B,
    },
    base=["matrixBase"],
    aliases={"optionsCaption": "placeholder", "columnsLocation": "columnLayout"},
)

ELEMENT_DEFS: dict[str, Schema] = {
    "question": QUESTION,
    "selectBase": SELECT_BASE,
    "matrixBase": MATRIX_BASE,
    "matrixDropdownBase": MATRIX_DROPDOWN_BASE,
    "element.text": obj(
        {
            **TEXT_COMMON,
            "inputType": enum(*INPUT_TYPES),
            "min": SN,
            "max": SN,
            "step": N,
            "minValueExpression": EXPR,
            "maxValueExpression": EXPR,
            "minErrorText": LOC,
            "maxErrorText": LOC,
            "stepErrorText": LOC,
            "maskType": enum(*MASK_TYPES),
            "maskSettings": ref("maskSettings"),
            "inputSize": N,
            "autocomplete": S,
            "inputTextAlignment": S,
            "dataList": array(S),
        },
        base=["question"],
        aliases={"size": "inputSize", "autoComplete": "autocomplete", "placeHolder": "placeholder"},
        extra={
            "allOf": [
                ref("question"),
                *dispatch(
                    "maskType",
                    {m: f"textMask.{m}" for m in ("pattern", "datetime", "numeric", "currency")},
                ),
            ]
        },
    ),
    "element.comment": obj(
        {
            **TEXT_COMMON,
            "rows": N,
            "cols": N,
            "autoGrow": B,
            "allowResize": B,
            "acceptCarriageReturn": B,
        },
        base=["question"],
        aliases={"placeHolder": "placeholder"},
    ),
    "element.radiogroup": obj(
        {"allowClear": B, "colCount": N, "itemComponent": S},
        base=["selectBase"],
        aliases={"showClearButton": "allowClear"},
    ),
    "element.checkbox": obj({}, base=["checkbox"]),
    "checkbox": CHECKBOX,
    "element.dropdown": obj(
        {
            **DROPDOWN_UI,
            "choicesMin": N,
            "choicesMax": N,
            "choicesStep": N,
            "autocomplete": S,
            "inputFieldComponent": S,
            "itemComponent": S,
        },
        base=["selectBase"],
        aliases={
            "optionsCaption": "placeholder",
            "showOptionsCaption": "allowClear",
            "autoComplete": "autocomplete",
        },
    ),
    "element.tagbox": obj(
        {**DROPDOWN_UI, "hideSelectedItems": B, "closeOnSelect": B}, base=["checkbox"]
    ),
    "element.ranking": obj(
        {
            "selectToRankEnabled": B,
            "selectToRankSwapAreas": B,
            "selectToRankAreasLayout": S,
            "selectToRankEmptyRankedAreaText": LOC,
            "selectToRankEmptyUnrankedAreaText": LOC,
            "longTap": B,
        },
        base=["checkbox"],
    ),
    "element.imagepicker": obj(
        {
            "choices": array(ref("imageItem")),
            "multiSelect": B,
            "contentMode": S,
            "imageFit": S,
            "imageHeight": SN,
            "imageWidth": SN,
            "minImageWidth": SN,
            "minImageHeight": SN,
            "maxImageWidth": SN,
            "maxImageHeight": SN,
            "showLabel": B,
            "placeholder": LOC,
            "colCount": N,
        },
        base=["selectBase"],
    ),
    "element.boolean": obj(
        {
            "labelTrue": LOC,
            "labelFalse": LOC,
            "valueTrue": {"type": ["string", "number", "boolean"]},
            "valueFalse": {"type": ["string", "number", "boolean"]},
            "swapOrder": B,
            "displayMode": S,
            "useTitleAsLabel": B,
            "label": LOC,
        },
        base=["question"],
    ),
    "element.rating": obj(
        {
            "rateValues": array(ref("ratingItem")),
            "rateMin": N,
            "rateMax": N,
            "rateStep": {"type": "number", "exclusiveMinimum": 0},
            "rateCount": COUNT,
            "autoGenerate": B,
            "rateType": S,
            "scaleColorMode": S,
            "rateColorMode": S,
            "minRateDescription": LOC,
            "maxRateDescription": LOC,
            "displayRateDescriptionsAsExtremeItems": B,
            "rateDescriptionLocation": S,
            "displayMode": S,
            "itemComponent": S,
        },
        base=["question"],
        aliases={
            "rateDisplayMode": "rateType",
            "mininumRateDescription": "minRateDescription",
            "maximumRateDescription": "maxRateDescription",
        },
    ),
    "element.slider": obj(
        {
            "sliderType": enum("single", "range"),
            "min": N,
            "max": N,
            "step": {"type": "number", "exclusiveMinimum": 0},
            "minValueExpression": EXPR,
            "maxValueExpression": EXPR,
            "minRangeLength": N,
            "maxRangeLength": N,
            "customLabels": array(ref("sliderLabel")),
            "autoGenerate": B,
            "showLabels": B,
            "tooltipVisibility": S,
            "labelFormat": S,
            "tooltipFormat": S,
            "allowDragRange": B,
            "allowSwap": B,
            "labelCount": N,
            "allowClear": B,
        },
        base=["question"],
    ),
    "element.matrix": obj(
        {
            "rows": array(ref("itemValue")),
            "columns": array(ref("matrixColumn")),
            "cells": {"type": "object"},
            "cellType": enum("radio", "checkbox"),
            "eachRowRequired": B,
            "eachRowUnique": B,
            "hideIfRowsEmpty": B,
            "rowOrder": enum("initial", "random"),
            "rowTitleWidth": S,
            "cellComponent": S,
        },
        base=["matrixBase"],
        aliases={"isAllRowRequired": "eachRowRequired", "rowsOrder": "rowOrder"},
    ),
    "element.matrixdropdown": obj(
        {
            "rows": array(ref("itemValue")),
            "hideIfRowsEmpty": B,
            "rowOrder": enum("initial", "random"),
            "rowTitleWidth": S,
            "totalText": LOC,
        },
        base=["matrixDropdownBase"],
    ),
    "element.matrixdynamic": obj(
        {
            "rowCount": COUNT,
            "rowCountExpression": EXPR,
            "minRowCount": COUNT,
            "maxRowCount": COUNT,
            "keyName": S,
            "defaultRowValue": {"type": "object"},
            "copyDefaultValueFromLastEntry": B,
            "allowAddRows": B,
            "allowRemoveRows": B,
            "allowRowReorder": B,
            "confirmDelete": B,
            "confirmDeleteText": LOC,
            "addRowButtonLocation": S,
            "addRowText": LOC,
            "removeRowText": LOC,
            "hideColumnsIfEmpty": B,
            "noRowsText": LOC,
            "detailPanelShowOnAdding": B,
        },
        base=["matrixDropdownBase"],
        aliases={
            "defaultValueFromLastRow": "copyDefaultValueFromLastEntry",
            "addRowLocation": "addRowButtonLocation",
            "emptyRowsText": "noRowsText",
            "allowRowsDragAndDrop": "allowRowReorder",
        },
    ),
    "element.multipletext": obj(
        {
            "items": array(ref("multipleTextItem"), minItems=1),
            "inputSize": N,
            "colCount": N,
            "itemErrorLocation": S,
            "itemTitleWidth": S,
        },
        base=["question"],
        aliases={"itemSize": "inputSize"},
    ),
    "element.expression": obj(
        {
            "expression": EXPR,
            "precision": {"type": "integer", "minimum": -1},
            "format": LOC,
            "displayStyle": S,
            "currency": S,
            "maximumFractionDigits": N,
            "minimumFractionDigits": N,
            "useGrouping": B,
        },
        base=["question"],
    ),
    "element.html": obj({"html": LOC}, base=["question"]),
    "element.image": obj(
        {
            "imageLink": LOC,
            "altText": LOC,
            "contentMode": S,
            "imageFit": S,
            "imageHeight": SN,
            "imageWidth": SN,
        },
        base=["question"],
        aliases={"text": "altText"},
    ),
    "element.file": obj(
        {
            "allowMultiple": B,
            "maxSize": COUNT,
            "maxFiles": COUNT,
            "acceptedTypes": S,
            "acceptedCategories": {"type": ["array", "string"]},
            "storeDataAsText": {
                "const": False,
                "description": "Verne stores uploads as files, never as data URLs in the answers.",
            },
            "waitForUpload": B,
            "showPreview": B,
            "allowImagesPreview": B,
            "imageHeight": SN,
            "imageWidth": SN,
            "confirmDelete": B,
            "sourceType": S,
            "fileOrPhotoPlaceholder": LOC,
            "photoPlaceholder": LOC,
            "filePlaceholder": LOC,
            "allowCameraAccess": B,
            "cameraFacingMode": S,
        },
        base=["question"],
    ),
    "element.paneldynamic": obj(
        {
            "templateElements": ELEMENTS,
            "templateTitle": LOC,
            "templateTabTitle": LOC,
            "tabTitlePlaceholder": LOC,
            "templateDescription": LOC,
            "templateVisibleIf": EXPR,
            "panelCount": COUNT,
            "panelCountExpression": EXPR,
            "minPanelCount": COUNT,
            "maxPanelCount": COUNT,
            "keyName": S,
            "keyDuplicationError": LOC,
            "defaultPanelValue": {"type": "object"},
            "copyDefaultValueFromLastEntry": B,
            "noEntriesText": LOC,
            "allowAddPanel": B,
            "allowRemovePanel": B,
            "newPanelPosition": S,
            "panelsState": S,
            "confirmDelete": B,
            "confirmDeleteText": LOC,
            "addPanelText": LOC,
            "removePanelText": LOC,
            "prevPanelText": LOC,
            "nextPanelText": LOC,
            "showQuestionNumbers": BS,
            "questionStartIndex": S,
            "renderMode": S,
            "displayMode": S,
            "showProgressBar": B,
            "progressBarLocation": S,
            "tabAlign": S,
            "templateQuestionTitleLocation": S,
            "templateQuestionTitleWidth": S,
            "templateErrorLocation": S,
            "removePanelButtonLocation": S,
        },
        base=["question"],
        aliases={
            "questions": "templateElements",
            "defaultValueFromLastPanel": "copyDefaultValueFromLastEntry",
            "panelAddText": "addPanelText",
            "panelRemoveText": "removePanelText",
            "panelPrevText": "prevPanelText",
            "panelNextText": "nextPanelText",
            "showRangeInProgress": "showProgressBar",
            "templateTitleLocation": "templateQuestionTitleLocation",
            "panelRemoveButtonLocation": "removePanelButtonLocation",
        },
    ),
    "panelBase": obj(
        {
            "name": S,
            "elements": ELEMENTS,
            "title": LOC,
            "description": LOC,
            "visible": B,
            "visibleIf": EXPR,
            "enableIf": EXPR,
            "requiredIf": EXPR,
            "readOnly": B,
            "questionOrder": enum("default", "initial", "random"),
            "questionTitleLocation": S,
            "questionTitleWidth": S,
            "questionErrorLocation": S,
            "gridLayoutColumns": array(ref("panelLayoutColumn")),
            **verne_props("panel"),
        },
        aliases={"questions": "elements", "questionsOrder": "questionOrder"},
    ),
    "element.panel": obj(
        {
            "type": S,
            "isRequired": B,
            "requiredErrorText": LOC,
            "state": S,
            "startWithNewLine": B,
            "width": SN,
            "minWidth": SN,
            "maxWidth": SN,
            "colSpan": N,
            "innerIndent": N,
            "indent": N,
            "showNumber": B,
            "showQuestionNumbers": BS,
            "questionStartIndex": S,
            "allowAdaptiveActions": B,
        },
        base=["panelBase"],
        title="Panel",
    ),
    "page": obj(
        {
            "isRequired": B,
            "requiredErrorText": LOC,
            "navigationTitle": LOC,
            "navigationDescription": LOC,
            "showNavigationButtons": BS,
            "timeLimit": N,
            "state": S,
            "showQuestionNumbers": BS,
            "questionStartIndex": S,
        },
        base=["panelBase"],
        aliases={
            "navigationButtonsVisibility": "showNavigationButtons",
            "maxTimeToFinish": "timeLimit",
        },
        title="Page",
    ),
    "element": {
        "title": "Question or panel",
        "type": "object",
        "required": ["type"],
        "properties": {"type": enum(*ELEMENT_TYPES)},
        "allOf": dispatch("type", {t: f"element.{t}" for t in ELEMENT_TYPES}),
    },
}

# A matrix column takes the properties of its cell question (survey-core adds them dynamically).
COLUMN_BASE: Schema = obj(
    {
        "name": {"type": "string", "minLength": 1},
        "title": LOC,
        "cellType": enum("default", *CELL_TYPES),
        "cellHint": LOC,
        "colCount": N,
        "isRequired": B,
        "isUnique": B,
        "requiredErrorText": LOC,
        "readOnly": B,
        "visible": B,
        "visibleIf": EXPR,
        "enableIf": EXPR,
        "requiredIf": EXPR,
        "resetValueIf": EXPR,
        "setValueIf": EXPR,
        "setValueExpression": EXPR,
        "validators": array(ref("validator")),
        "totalType": enum("none", "sum", "count", "min", "max", "avg"),
        "totalExpression": EXPR,
        "totalFormat": LOC,
        "totalDisplayStyle": S,
        "totalAlignment": S,
        "totalCurrency": S,
        "totalMaximumFractionDigits": N,
        "totalMinimumFractionDigits": N,
        "showInMultipleColumns": B,
        "minWidth": SN,
        "width": SN,
        "renderAs": S,
        "defaultDisplayValue": LOC,
    },
    required=["name"],
    title="Matrix column",
)

COLUMNS: dict[str, Schema] = {
    "matrixDropdownColumnBase": COLUMN_BASE,
    "matrixDropdownColumn": {
        "title": "Matrix column",
        "type": "object",
        "allOf": [
            ref("matrixDropdownColumnBase"),
            *dispatch("cellType", {t: f"element.{t}" for t in CELL_TYPES}),
        ],
    },
}

TEXT_MASK_DEFS: dict[str, Schema] = {
    f"textMask.{m}": {"properties": {"maskSettings": ref(f"mask.{m}")}}
    for m in ("pattern", "datetime", "numeric", "currency")
}

SURVEY: Schema = obj(
    {
        "title": LOC,
        "description": LOC,
        "locale": S,
        "pages": array(ref("page")),
        "elements": ELEMENTS,
        "triggers": array(ref("trigger")),
        "calculatedValues": array(ref("calculatedValue")),
        "completedHtml": LOC,
        "completedHtmlOnCondition": array(ref("htmlConditionItem")),
        "completedBeforeHtml": LOC,
        "loadingHtml": LOC,
        "navigateToUrl": S,
        "navigateToUrlOnCondition": array(ref("urlConditionItem")),
        "clearInvisibleValues": enum("none", "onComplete", "onHidden", "onHiddenContainer"),
        "checkErrorsMode": enum("onNextPage", "onValueChanged", "onComplete"),
        "questionsOnPageMode": enum("standard", "singlePage"),
        "firstPageIsStartPage": B,
        "storeOthersAsComment": B,
        "readOnly": B,
        "mode": enum("edit", "display"),
        "showPreviewBeforeComplete": BS,
        "previewMode": enum("allQuestions", "answeredQuestions"),
        "validateVisitedEmptyFields": B,
        "textUpdateMode": S,
        "maxTextLength": N,
        "maxCommentLength": N,
        "regionalFormat": ref("regionalFormat"),
        "sjsVersion": S,
        "$schema": S,
        # UI only
        "logo": S,
        "logoWidth": SN,
        "logoHeight": SN,
        "logoFit": S,
        "logoPosition": S,
        "autoFocusFirstQuestion": B,
        "autoFocusFirstError": B,
        "showNavigationButtons": BS,
        "navigationButtonsLocation": S,
        "showPrevButton": B,
        "showTitle": B,
        "showPageTitles": B,
        "showCompletePage": B,
        "questionOrder": enum("initial", "random"),
        "matrixDragHandleArea": S,
        "showPageNumbers": B,
        "showQuestionNumbers": BS,
        "questionTitleLocation": S,
        "questionDescriptionLocation": S,
        "questionErrorLocation": S,
        "showProgressBar": BS,
        "progressBarLocation": S,
        "progressBarType": S,
        "progressBarShowNavigationText": B,
        "progressBarShowPageNumbers": B,
        "progressBarNavigationTextLocation": S,
        "progressBarInheritWidthFrom": S,
        "showTOC": B,
        "tocLocation": S,
        "tocItemComponent": S,
        "autoAdvanceEnabled": B,
        "autoAdvanceAllowComplete": B,
        "autoGrowComment": B,
        "allowResizeComment": B,
        "commentAreaRows": N,
        "startSurveyText": LOC,
        "pagePrevText": LOC,
        "pageNextText": LOC,
        "completeText": LOC,
        "previewText": LOC,
        "editText": LOC,
        "requiredMark": S,
        "questionStartIndex": S,
        "questionTitlePattern": S,
        "widthMode": S,
        "width": SN,
        "fitToContainer": B,
        "gridLayoutEnabled": B,
        "headerView": S,
        "backgroundImage": S,
        "backgroundImageFit": S,
        "backgroundImageAttachment": S,
        "backgroundOpacity": N,
        "showBrandInfo": B,
        # Accepted, but Verne ignores them (the checks warn)
        "showTimer": B,
        "timeLimit": N,
        "timeLimitPerPage": N,
        "timerLocation": S,
        "timerInfoMode": S,
        "surveyId": S,
        "surveyPostId": S,
        "surveyShowDataSaving": B,
        "cookieName": S,
        "partialSendEnabled": B,
        **verne_props("survey"),
    },
    aliases={
        "questions": "elements",
        "questionsOrder": "questionOrder",
        "focusFirstQuestionAutomatic": "autoFocusFirstQuestion",
        "focusOnFirstError": "autoFocusFirstError",
        "showCompletedPage": "showCompletePage",
        "progressBarShowPageTitles": "progressBarShowNavigationText",
        "maxOthersLength": "maxCommentLength",
        "goNextPageAutomatic": "autoAdvanceEnabled",
        "allowCompleteSurveyAutomatic": "autoAdvanceAllowComplete",
        "requiredText": "requiredMark",
        "firstPageIsStarted": "firstPageIsStartPage",
        "maxTimeToFinish": "timeLimit",
        "maxTimeToFinishPage": "timeLimitPerPage",
        "showTimerPanelMode": "timerInfoMode",
        "sendResultOnPageNext": "partialSendEnabled",
    },
    title="Survey",
)


def build_schema() -> Schema:
    """The complete curated schema (what ``schema.json`` holds)."""
    defs: Schema = {
        **LEAVES,
        "survey": SURVEY,
        **ELEMENT_DEFS,
        **COLUMNS,
        **ITEMS,
        **MASKS,
        **TEXT_MASK_DEFS,
        **VALIDATORS,
        **TRIGGERS,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Verne questionnaire (SurveyJS JSON, the subset Verne runs on the server)",
        "description": (
            "Generated from surveys/engine/definition/schema_source.py; do not edit by hand. "
            "Reference: survey-core 3.1.1."
        ),
        "$ref": "#/$defs/survey",
        "$defs": defs,
    }
