"""The parsed, immutable survey model.

:func:`surveys.engine.loader.build_model` turns a validated SurveyJS JSON dict into these
objects once per definition (they are cached by content hash and shared by every run). Nothing
here changes after construction: runtime state lives in :mod:`surveys.engine.runtime`.

Everything the runtime needs is precompiled: expressions (:class:`~surveys.engine.exprs.Compiled`,
with their variables), choices, validators, triggers, calculated values and localisable strings.
Alternative property names that survey-core accepts (``hasOther`` for ``showOtherItem`` ...) are
resolved here, so the runtime reads one spelling.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from surveys.engine.exprs import Compiled
from surveys.engine.masks import Mask

JSON = Any

# Question types survey-core registers (ElementFactory) and the families the runtime uses.
SELECT_TYPES: Final = frozenset(
    {"checkbox", "radiogroup", "dropdown", "tagbox", "ranking", "imagepicker", "buttongroup"}
)
CHECKBOX_TYPES: Final = frozenset({"checkbox", "tagbox", "ranking"})
MATRIX_TYPES: Final = frozenset({"matrix", "matrixdropdown", "matrixdynamic"})
NON_VALUE_TYPES: Final = frozenset({"html", "image", "empty"})
KNOWN_QUESTION_TYPES: Final = frozenset(
    {
        "text",
        "comment",
        "radiogroup",
        "checkbox",
        "dropdown",
        "tagbox",
        "ranking",
        "imagepicker",
        "boolean",
        "rating",
        "slider",
        "matrix",
        "matrixdropdown",
        "matrixdynamic",
        "multipletext",
        "expression",
        "paneldynamic",
        "html",
        "image",
        "file",
        "signaturepad",
        "empty",
        "imagemap",
    }
)


class LocStr:
    """A localisable string: ``{"default": ..., "nb": ...}`` (a plain string is ``default``)."""

    __slots__ = ("values",)

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values: dict[str, str] = dict(values)

    @classmethod
    def from_json(cls, raw: JSON) -> LocStr | None:
        if raw is None:
            return None
        if isinstance(raw, str):
            return cls({"default": raw})
        if isinstance(raw, dict):
            vals = {str(k): v for k, v in raw.items() if k != "pos" and isinstance(v, str)}
            return cls(vals)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            from surveys.engine.jsutil import number_to_string

            return cls({"default": number_to_string(raw)})
        return None

    def text(self, locale: str = "", *, verne: bool = False) -> str:
        """survey-core's ``LocalizableString.pureText`` for ``locale`` ("" is the default)."""
        vals = self.values
        loc = locale or "default"
        res = vals.get(loc)
        if not res and loc == "default":
            res = vals.get("en")
        if not res and "-" in loc:
            res = vals.get(loc.split("-", 1)[0])
        if not res and verne:
            root = loc.split("-", 1)[0]
            if root == "nn" or root == "no":
                res = vals.get("nb")
            elif root == "nb":
                res = vals.get("no")
        if not res and loc != "default":
            res = vals.get("default")
            if not res and verne and loc.split("-", 1)[0] == "en":
                res = vals.get("en")
        return res or ""

    def is_empty(self) -> bool:
        return not self.values

    def __repr__(self) -> str:
        return f"LocStr({self.values!r})"


def loc_text(ls: LocStr | None, locale: str, *, verne: bool = False) -> str:
    return ls.text(locale, verne=verne) if ls is not None else ""


class ChoiceDef:
    """One choice (``itemvalue``/``choiceitem``), a rate value, a matrix row or column."""

    __slots__ = (
        "enable_if",
        "is_comment_required",
        "is_exclusive",
        "raw",
        "show_comment_area",
        "text",
        "value",
        "visible_if",
    )

    def __init__(
        self,
        value: JSON,
        text: LocStr | None,
        visible_if: Compiled | None = None,
        enable_if: Compiled | None = None,
        raw: JSON = None,
        *,
        show_comment_area: bool = False,
        is_comment_required: bool = False,
        is_exclusive: bool = False,
    ) -> None:
        self.value = value
        self.text = text
        self.visible_if = visible_if
        self.enable_if = enable_if
        self.raw = raw
        self.show_comment_area = show_comment_area
        self.is_comment_required = is_comment_required
        self.is_exclusive = is_exclusive

    def __repr__(self) -> str:
        return f"ChoiceDef({self.value!r})"


class ValidatorDef:
    __slots__ = (
        "allow_digits",
        "case_insensitive",
        "expression",
        "max_count",
        "max_length",
        "max_value",
        "min_count",
        "min_length",
        "min_value",
        "notification_type",
        "raw",
        "regex",
        "text",
        "type",
    )

    def __init__(self, raw: dict[str, JSON], vtype: str) -> None:
        self.raw = raw
        self.type = vtype
        self.text = LocStr.from_json(raw.get("text"))
        nt = raw.get("notificationType")
        self.notification_type = nt if isinstance(nt, str) and nt else "error"
        self.min_value = raw.get("minValue")
        self.max_value = raw.get("maxValue")
        self.min_length = raw.get("minLength", 0)
        self.max_length = raw.get("maxLength", 0)
        self.allow_digits = raw.get("allowDigits", True)
        self.min_count = raw.get("minCount")
        self.max_count = raw.get("maxCount")
        self.regex = raw.get("regex")
        ci = raw.get("caseInsensitive", raw.get("insensitive"))
        self.case_insensitive = bool(ci)
        from surveys.engine.exprs import compile_opt

        self.expression = compile_opt(raw.get("expression"))


class ElementDef:
    """Common to pages, panels and questions."""

    kind: str = "element"
    __slots__ = (
        "description",
        "enable_if",
        "index",
        "is_required",
        "name",
        "raw",
        "read_only",
        "required_error_text",
        "required_if",
        "title",
        "type",
        "visible",
        "visible_if",
    )

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        from surveys.engine.exprs import compile_opt

        self.raw = raw
        self.type = etype
        self.name = name
        self.title = LocStr.from_json(raw.get("title"))
        self.description = LocStr.from_json(raw.get("description"))
        vis = raw.get("visible", True)
        self.visible = vis is not False
        self.visible_if = compile_opt(raw.get("visibleIf"))
        self.enable_if = compile_opt(raw.get("enableIf"))
        self.required_if = compile_opt(raw.get("requiredIf"))
        self.read_only = raw.get("readOnly") is True
        self.is_required = raw.get("isRequired") is True
        self.required_error_text = LocStr.from_json(raw.get("requiredErrorText"))
        self.index = -1


class PanelDef(ElementDef):
    kind = "panel"
    __slots__ = ("elements", "is_page")

    def __init__(
        self, raw: dict[str, JSON], etype: str, name: str, *, is_page: bool = False
    ) -> None:
        super().__init__(raw, etype, name)
        self.elements: tuple[ElementDef, ...] = ()
        self.is_page = is_page


class PageDef(PanelDef):
    kind = "page"
    __slots__ = ()

    def __init__(self, raw: dict[str, JSON], name: str) -> None:
        super().__init__(raw, "page", name, is_page=True)


class QuestionDef(ElementDef):
    kind = "question"
    __slots__ = (
        "clear_if_invisible",
        "comment_text",
        "default_value",
        "default_value_expression",
        "has_value",
        "reset_value_if",
        "set_value_expression",
        "set_value_if",
        "show_comment_area",
        "use_display_values",
        "validators",
        "value_name",
    )

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        from surveys.engine.exprs import compile_opt

        super().__init__(raw, etype, name)
        vn = raw.get("valueName")
        self.value_name: str = (
            vn.strip().replace("{", "").replace("}", "")
            if isinstance(vn, str) and vn.strip()
            else name
        )
        dv = raw.get("defaultValue")
        dve = raw.get("defaultValueExpression")
        if isinstance(dv, str) and dv.startswith("=") and len(dv) > 0:
            # survey-core: a defaultValue starting with "=" is a defaultValueExpression.
            dve = dv[1:]
            dv = None
        self.default_value = dv
        self.default_value_expression = compile_opt(dve)
        self.set_value_expression = compile_opt(raw.get("setValueExpression"))
        self.set_value_if = compile_opt(raw.get("setValueIf"))
        self.reset_value_if = compile_opt(raw.get("resetValueIf"))
        cii = raw.get("clearIfInvisible", "default")
        self.clear_if_invisible = cii if isinstance(cii, str) else "default"
        self.validators: tuple[ValidatorDef, ...] = ()
        sca = raw.get("showCommentArea", raw.get("hasComment"))
        self.show_comment_area = sca is True
        self.comment_text = LocStr.from_json(raw.get("commentText"))
        udv = raw.get("useDisplayValuesInDynamicTexts", raw.get("useDisplayValuesInTitle", True))
        self.use_display_values = udv is not False
        self.has_value = etype not in NON_VALUE_TYPES


class TextDef(QuestionDef):
    __slots__ = (
        "input_type",
        "mask",
        "max",
        "max_error_text",
        "max_value_expression",
        "min",
        "min_error_text",
        "min_value_expression",
        "step",
        "step_error_text",
    )

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        from surveys.engine.exprs import compile_opt

        super().__init__(raw, etype, name)
        it = raw.get("inputType", "text") if etype == "text" else "text"
        it = it.lower() if isinstance(it, str) else "text"
        if it in ("datetime_local", "datetime"):
            it = "datetime-local"
        self.input_type: str = it
        self.min = raw.get("min")
        self.max = raw.get("max")
        self.step = raw.get("step")
        self.min_value_expression = compile_opt(raw.get("minValueExpression"))
        self.max_value_expression = compile_opt(raw.get("maxValueExpression"))
        self.min_error_text = LocStr.from_json(raw.get("minErrorText"))
        self.max_error_text = LocStr.from_json(raw.get("maxErrorText"))
        self.step_error_text = LocStr.from_json(raw.get("stepErrorText"))
        # maskTypeIsEmpty: masks apply to text/tel inputs only
        mask_type = raw.get("maskType", "none")
        self.mask: Mask | None = None
        if (
            etype == "text"
            and it in ("text", "tel")
            and isinstance(mask_type, str)
            and mask_type != "none"
        ):
            self.mask = Mask(mask_type, raw.get("maskSettings"))


class SelectDef(QuestionDef):
    __slots__ = (
        "allow_custom_choices",
        "choice_texts_from_question",
        "choice_values_from_question",
        "choices",
        "choices_enable_if",
        "choices_from_question",
        "choices_from_question_mode",
        "choices_order",
        "choices_visible_if",
        "dont_know_text",
        "hide_if_choices_empty",
        "max_selected_choices",
        "min_selected_choices",
        "none_text",
        "other_error_text",
        "other_text",
        "refuse_text",
        "select_all_text",
        "show_dont_know_item",
        "show_none_item",
        "show_other_item",
        "show_refuse_item",
        "show_select_all_item",
        "store_others_as_comment",
        "value_property_name",
    )

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        from surveys.engine.exprs import compile_opt

        super().__init__(raw, etype, name)
        self.choices: tuple[ChoiceDef, ...] = ()
        self.choices_visible_if = compile_opt(raw.get("choicesVisibleIf"))
        self.choices_enable_if = compile_opt(raw.get("choicesEnableIf"))
        is_ranking = etype == "ranking"
        self.show_other_item = (not is_ranking) and raw.get(
            "showOtherItem", raw.get("hasOther")
        ) is True
        self.show_none_item = (not is_ranking) and raw.get(
            "showNoneItem", raw.get("hasNone")
        ) is True
        self.show_refuse_item = raw.get("showRefuseItem") is True
        self.show_dont_know_item = raw.get("showDontKnowItem") is True
        self.show_select_all_item = etype in ("checkbox", "tagbox") and (
            raw.get("showSelectAllItem", raw.get("hasSelectAll")) is True
        )
        self.other_text = LocStr.from_json(raw.get("otherText"))
        self.none_text = LocStr.from_json(raw.get("noneText"))
        self.refuse_text = LocStr.from_json(raw.get("refuseText"))
        self.dont_know_text = LocStr.from_json(raw.get("dontKnowText"))
        self.select_all_text = LocStr.from_json(raw.get("selectAllText"))
        self.other_error_text = LocStr.from_json(raw.get("otherErrorText"))
        cfq = raw.get("choicesFromQuestion")
        self.choices_from_question: str = cfq if isinstance(cfq, str) else ""
        mode = raw.get("choicesFromQuestionMode", "all")
        self.choices_from_question_mode: str = mode if isinstance(mode, str) else "all"
        cv = raw.get("choiceValuesFromQuestion")
        self.choice_values_from_question: str = cv if isinstance(cv, str) else ""
        ct = raw.get("choiceTextsFromQuestion")
        self.choice_texts_from_question: str = ct if isinstance(ct, str) else ""
        self.hide_if_choices_empty = raw.get("hideIfChoicesEmpty") is True
        order = raw.get("choicesOrder", "none")
        self.choices_order: str = order.lower() if isinstance(order, str) else "none"
        soc = raw.get("storeOthersAsComment", "default")
        self.store_others_as_comment: Any = soc
        self.min_selected_choices = _num(raw.get("minSelectedChoices"), 0)
        self.max_selected_choices = _num(raw.get("maxSelectedChoices"), 0)
        vpn = raw.get("valuePropertyName")
        self.value_property_name: str = vpn if isinstance(vpn, str) else ""
        self.allow_custom_choices = raw.get("allowCustomChoices") is True


class BooleanDef(QuestionDef):
    __slots__ = ("label_false", "label_true", "value_false", "value_true")

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        super().__init__(raw, etype, name)
        self.value_true = raw.get("valueTrue")
        self.value_false = raw.get("valueFalse")
        self.label_true = LocStr.from_json(raw.get("labelTrue"))
        self.label_false = LocStr.from_json(raw.get("labelFalse"))


class RatingDef(QuestionDef):
    __slots__ = ("auto_generate", "rate_count", "rate_max", "rate_min", "rate_step", "rate_values")

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        super().__init__(raw, etype, name)
        self.rate_values: tuple[ChoiceDef, ...] = ()
        self.rate_min = _num(raw.get("rateMin"), 1)
        self.rate_max = _num(raw.get("rateMax"), 5)
        self.rate_step = _num(raw.get("rateStep"), 1)
        self.rate_count = _num(raw.get("rateCount"), 5)
        ag = raw.get("autoGenerate", True)
        self.auto_generate = ag


class ExpressionQDef(QuestionDef):
    __slots__ = ("expression", "precision")

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        from surveys.engine.exprs import compile_opt

        super().__init__(raw, etype, name)
        self.expression = compile_opt(raw.get("expression"))
        self.precision = _num(raw.get("precision"), -1)


class MatrixDef(QuestionDef):
    """Single-select matrix (``matrix``)."""

    __slots__ = (
        "columns",
        "columns_visible_if",
        "each_row_required",
        "each_row_unique",
        "hide_if_rows_empty",
        "rows",
        "rows_visible_if",
    )

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        from surveys.engine.exprs import compile_opt

        super().__init__(raw, etype, name)
        self.rows: tuple[ChoiceDef, ...] = ()
        self.columns: tuple[ChoiceDef, ...] = ()
        self.rows_visible_if = compile_opt(raw.get("rowsVisibleIf"))
        self.columns_visible_if = compile_opt(raw.get("columnsVisibleIf"))
        self.each_row_required = raw.get("eachRowRequired", raw.get("isAllRowRequired")) is True
        self.each_row_unique = raw.get("eachRowUnique") is True
        self.hide_if_rows_empty = raw.get("hideIfRowsEmpty") is True


class ColumnDef:
    """A ``matrixdropdowncolumn``: the cell question's template."""

    __slots__ = (
        "cell_def",
        "cell_type",
        "enable_if",
        "is_unique",
        "name",
        "raw",
        "required_if",
        "title",
        "total_expression",
        "total_type",
        "visible",
        "visible_if",
    )

    def __init__(self, raw: dict[str, JSON], name: str) -> None:
        from surveys.engine.exprs import compile_opt

        self.raw = raw
        self.name = name
        self.title = LocStr.from_json(raw.get("title"))
        ct = raw.get("cellType", "default")
        self.cell_type: str = ct if isinstance(ct, str) else "default"
        self.visible = raw.get("visible", True) is not False
        self.visible_if = compile_opt(raw.get("visibleIf"))
        self.enable_if = compile_opt(raw.get("enableIf"))
        self.required_if = compile_opt(raw.get("requiredIf"))
        self.is_unique = raw.get("isUnique") is True
        tt = raw.get("totalType", "none")
        self.total_type: str = tt if isinstance(tt, str) else "none"
        self.total_expression = compile_opt(raw.get("totalExpression"))
        self.cell_def: QuestionDef | None = None  # built by the loader once the cell type is known


class MatrixDropdownDef(QuestionDef):
    __slots__ = (
        "cell_type",
        "choices",
        "columns",
        "columns_visible_if",
        "default_row_value",
        "detail",
        "detail_panel_mode",
        "hide_if_rows_empty",
        "key_duplication_error",
        "key_name",
        "max_row_count",
        "min_row_count",
        "row_count",
        "row_count_expression",
        "rows",
        "rows_visible_if",
        "total_text",
    )

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        from surveys.engine.exprs import compile_opt

        super().__init__(raw, etype, name)
        self.columns: tuple[ColumnDef, ...] = ()
        self.rows: tuple[ChoiceDef, ...] = ()
        self.choices: tuple[ChoiceDef, ...] = ()
        ct = raw.get("cellType", "dropdown")
        self.cell_type: str = ct if isinstance(ct, str) else "dropdown"
        self.rows_visible_if = compile_opt(raw.get("rowsVisibleIf"))
        self.columns_visible_if = compile_opt(raw.get("columnsVisibleIf"))
        self.hide_if_rows_empty = raw.get("hideIfRowsEmpty") is True
        self.row_count = int(_num(raw.get("rowCount"), 2))
        self.row_count_expression = compile_opt(raw.get("rowCountExpression"))
        self.min_row_count = int(_num(raw.get("minRowCount"), 0))
        self.max_row_count = int(_num(raw.get("maxRowCount"), 1000))
        kn = raw.get("keyName")
        self.key_name: str = kn if isinstance(kn, str) else ""
        self.key_duplication_error = LocStr.from_json(raw.get("keyDuplicationError"))
        self.default_row_value = raw.get("defaultRowValue")
        self.total_text = LocStr.from_json(raw.get("totalText"))
        dpm = raw.get("detailPanelMode", "none")
        self.detail_panel_mode: str = dpm if isinstance(dpm, str) else "none"
        self.detail: PanelDef | None = None


class MultipleTextItemDef:
    __slots__ = ("editor_def", "name", "raw", "title")

    def __init__(self, raw: dict[str, JSON], name: str, editor_def: TextDef) -> None:
        self.raw = raw
        self.name = name
        self.title = LocStr.from_json(raw.get("title"))
        self.editor_def = editor_def


class MultipleTextDef(QuestionDef):
    __slots__ = ("items",)

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        super().__init__(raw, etype, name)
        self.items: tuple[MultipleTextItemDef, ...] = ()


class PanelDynamicDef(QuestionDef):
    __slots__ = (
        "default_panel_value",
        "key_duplication_error",
        "key_name",
        "max_panel_count",
        "min_panel_count",
        "panel_count",
        "panel_count_expression",
        "template",
        "template_title",
        "template_visible_if",
    )

    def __init__(self, raw: dict[str, JSON], etype: str, name: str) -> None:
        from surveys.engine.exprs import compile_opt

        super().__init__(raw, etype, name)
        self.template: PanelDef | None = None
        self.panel_count = int(_num(raw.get("panelCount"), 0))
        self.panel_count_expression = compile_opt(raw.get("panelCountExpression"))
        self.min_panel_count = int(_num(raw.get("minPanelCount"), 0))
        self.max_panel_count = int(_num(raw.get("maxPanelCount"), 100))
        self.template_visible_if = compile_opt(raw.get("templateVisibleIf"))
        kn = raw.get("keyName")
        self.key_name: str = kn if isinstance(kn, str) else ""
        self.key_duplication_error = LocStr.from_json(raw.get("keyDuplicationError"))
        self.default_panel_value = raw.get("defaultPanelValue")
        self.template_title = LocStr.from_json(raw.get("templateTitle"))


class TriggerDef:
    __slots__ = (
        "copy_display_value",
        "expression",
        "from_name",
        "goto_name",
        "is_variable",
        "pages",
        "questions",
        "raw",
        "run_expression",
        "set_to_name",
        "set_value",
        "type",
    )

    def __init__(self, raw: dict[str, JSON], ttype: str, expression: Compiled | None) -> None:
        from surveys.engine.exprs import compile_opt

        self.raw = raw
        self.type = ttype
        self.expression = expression
        stn = raw.get("setToName")
        self.set_to_name: str = stn if isinstance(stn, str) else ""
        self.set_value = raw.get("setValue")
        self.is_variable = raw.get("isVariable") is True
        fn = raw.get("fromName")
        self.from_name: str = fn if isinstance(fn, str) else ""
        self.copy_display_value = raw.get("copyDisplayValue") is True
        gn = raw.get("gotoName")
        self.goto_name: str = gn if isinstance(gn, str) else ""
        self.run_expression = compile_opt(raw.get("runExpression"))
        pg = raw.get("pages")
        self.pages: tuple[str, ...] = (
            tuple(p for p in pg if isinstance(p, str)) if isinstance(pg, list) else ()
        )
        qs = raw.get("questions")
        self.questions: tuple[str, ...] = (
            tuple(q for q in qs if isinstance(q, str)) if isinstance(qs, list) else ()
        )


class CalculatedValueDef:
    __slots__ = ("expression", "include_into_result", "name")

    def __init__(self, name: str, expression: Compiled | None, include_into_result: bool) -> None:
        self.name = name
        self.expression = expression
        self.include_into_result = include_into_result


class SurveyDef:
    """The whole parsed survey (shared, immutable)."""

    __slots__ = (
        "all_elements",
        "calculated_values",
        "check_errors_mode",
        "clear_invisible_values",
        "first_page_is_start_page",
        "hash",
        "json_errors",
        "locale",
        "pages",
        "panels",
        "questions",
        "questions_by_name",
        "questions_by_value_name",
        "questions_on_page_mode",
        "raw",
        "read_only",
        "store_others_as_comment",
        "title",
        "triggers",
        "validation_enabled",
    )

    def __init__(self, raw: dict[str, JSON]) -> None:
        self.raw = raw
        self.hash = ""
        self.pages: tuple[PageDef, ...] = ()
        self.questions: tuple[QuestionDef, ...] = ()
        self.panels: tuple[PanelDef, ...] = ()
        self.all_elements: tuple[ElementDef, ...] = ()
        self.questions_by_name: dict[str, QuestionDef] = {}
        self.questions_by_value_name: dict[str, tuple[QuestionDef, ...]] = {}
        self.triggers: tuple[TriggerDef, ...] = ()
        self.calculated_values: tuple[CalculatedValueDef, ...] = ()
        self.title = LocStr.from_json(raw.get("title"))
        loc = raw.get("locale")
        self.locale: str = loc if isinstance(loc, str) else ""
        civ = raw.get("clearInvisibleValues", "onComplete")
        self.clear_invisible_values: str = civ if isinstance(civ, str) else "onComplete"
        cem = raw.get("checkErrorsMode", "onNextPage")
        self.check_errors_mode: str = cem if isinstance(cem, str) else "onNextPage"
        self.store_others_as_comment = raw.get("storeOthersAsComment", True) is not False
        self.read_only = raw.get("readOnly") is True or raw.get("mode") == "display"
        self.first_page_is_start_page = (
            raw.get("firstPageIsStartPage", raw.get("firstPageIsStarted")) is True
        )
        self.validation_enabled = raw.get("validationEnabled", True) is not False
        # questionsOnPageMode (the legacy isSinglePage flag sets it too; the later key wins)
        mode = "standard"
        for key, val in raw.items():
            if key == "questionsOnPageMode" and isinstance(val, str):
                mode = val
            elif key == "isSinglePage":
                mode = "singlePage" if val is True else "standard"
        self.questions_on_page_mode: str = mode
        self.json_errors: tuple[dict[str, str], ...] = ()


def _num(v: Any, default: float) -> Any:
    if isinstance(v, bool) or v is None:
        return default
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            return default
        return int(f) if f == int(f) else f
    return default
