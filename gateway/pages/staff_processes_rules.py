"""The staff console's themes (/staff/themes: the nine national ones and the municipality's own, and
defining a new one with its default competence) and a process's voting rules
(/staff/processes/<id>/voting-rules: quorum, majority, ties, live results, the supports that move a
proposal to the vote; voting's `process_voting_rules` and `set_process_voting_rules`)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from gateway.pages.blueprint import bp
from gateway.pages.calls import checked_id, fetch
from gateway.pages.labels import in_order, label, refusal
from gateway.pages.render import render
from gateway.pages.staff import staff_only
from gateway.pages.staff_processes_common import (
    COMPETENCES, catalogue, problem_json, process_or_404, simple_errors, slug, text_languages, texts_errors,
    texts_of, title_of)

# --- themes ----------------------------------------------------------------------------------


def _themes_page(form: dict, errors: dict, status: int = 200):
    themes = catalogue()
    return render("staff_processes_themes.html", status, themes=themes, form=form, errors=errors,
                  languages=text_languages(), own=sum(1 for t in themes if not t.get("national")),
                  competence_options=[(code, label("competence", code)) for code in COMPETENCES])


def _back_to(value: str | None) -> str | None:
    """The process form the visitor came from ("new" or a process's id), to return to."""
    if value == "new":
        return url_for("pages.staff_new_process")
    return url_for("pages.staff_edit_process", process_id=checked_id(value)) if value else None


@bp.route("/m/<municipality>/staff/themes", methods=["GET", "POST"])
@staff_only
def staff_themes():
    languages = text_languages()
    form = {"code": "", "competence": "", "back": request.values.get("process") or "",
            **{f"labels-{code}": "" for code, _name in languages}}
    if request.method == "GET":
        return _themes_page(form, {})
    form.update({name: (request.form.get(name) or "").strip() for name in form})
    form["code"] = form["code"].lower()
    default, default_name = languages[0]
    errors: dict[str, list[str]] = {}
    if not form[f"labels-{default}"]:
        errors[f"labels-{default}"] = [_("Give the theme's name in %(language)s.", language=default_name)]
    if form["competence"] not in COMPETENCES:
        errors["competence"] = [_("Choose the theme's default competence.")]
    code = form["code"] or slug(form[f"labels-{default}"], "").lstrip("-")
    if code and any(t["code"] == code for t in catalogue()):
        errors["code"] = [_("A theme with this code exists already. Choose another one.")]
    if not errors:
        answer = fetch("define_theme", json={"code": code, "labels": texts_of(form, "labels", languages),
                                              "competence": form["competence"]})
        if answer.status_code == 201:
            flash(_("The theme “%(name)s” was defined. Processes can use it now.",
                    name=form[f"labels-{default}"]), "success")
            return redirect(_back_to(form["back"]) or url_for("pages.staff_themes"))
        found = problem_json(answer)
        errors = {**texts_errors(found, "labels", default), **simple_errors(found, ("code", "competence"))}
        if "code" in errors:
            errors["code"] = [_("This code is taken or not usable. Use 2 to 64 lower-case letters (a-z), digits, "
                                "- or _, starting with a letter.")]
        errors = errors or {"_form": [refusal(answer)]}
    order = ("code", *(f"labels-{c}" for c, _n in languages), "competence")
    return _themes_page(form, in_order(errors, order), 422)


# --- voting rules ----------------------------------------------------------------------------

RULE_FIELDS = ("quorum_ballots", "quorum_percent", "majority", "qualified_percent", "tie", "live_results",
               "support_threshold")
MAJORITIES = ("simple", "absolute", "qualified")
TIES = ("rejected", "adopted")


def majority_labels() -> dict[str, str]:
    return {"simple": _("Simple: more yes than no"),
            "absolute": _("Absolute: yes from more than half of all ballots, abstentions included"),
            "qualified": _("Qualified: yes from at least the share below of the yes and no ballots")}


def tie_labels() -> dict[str, str]:
    return {"rejected": _("The proposal is rejected"), "adopted": _("The proposal is adopted")}


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.2f}".rstrip("0").rstrip(".")


def _number(text: str) -> float | str:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def rules_summary(rules: dict) -> list[tuple[str, str]]:
    """The rules as (what, value) lines, in the visitor's language."""
    quorum = ngettext("at least %(num)d ballot", "at least %(num)d ballots", int(rules.get("quorum_ballots") or 0))
    if rules.get("quorum_percent"):
        quorum = _("%(ballots)s and %(percent)s%% of the register", ballots=quorum,
                   percent=_percent(rules["quorum_percent"] / 100))
    majority = {"simple": _("Simple"), "absolute": _("Absolute"),
                "qualified": _("Qualified: %(percent)s%% of the yes and no ballots",
                               percent=_percent(rules.get("qualified_fraction")))}.get(rules.get("majority"), "")
    return [(_("Quorum"), quorum), (_("Majority"), majority),
            (_("A tie"), tie_labels().get(rules.get("tie"), rules.get("tie"))),
            (_("Running count while the vote is open"), _("Shown") if rules.get("live_results") else _("Hidden")),
            (_("Supports that move a proposal to the vote"),
             str(rules.get("support_threshold")) if rules.get("support_threshold") else _("None: staff open votes"))]


def _rules_form(rules: dict) -> dict:
    return {"quorum_ballots": str(rules.get("quorum_ballots", "")), "quorum_percent": _percent(
        (rules.get("quorum_percent") or 0) / 100), "majority": rules.get("majority", "simple"),
        "qualified_percent": _percent(rules.get("qualified_fraction")), "tie": rules.get("tie", "rejected"),
        "live_results": "yes" if rules.get("live_results") else "", "support_threshold": str(rules.get("support_threshold", ""))}


RULE_MESSAGES = {
    "quorum_ballots": lambda: _("Enter a whole number of ballots, 0 or more."),
    "quorum_percent": lambda: _("Enter a share of the register from 0 to 100 per cent."),
    "qualified_percent": lambda: _("Enter a share from 50 to 100 per cent."),
    "support_threshold": lambda: _("Enter a whole number of supports, 0 or more."),
    "majority": lambda: _("Choose one of the offered majorities."),
    "tie": lambda: _("Choose what a tie means."),
}


def _rules_body(form: dict) -> tuple[dict, dict]:
    """The service's body from the form, and the form's own errors (empty fields)."""
    errors = {name: [RULE_MESSAGES[name]()] for name in RULE_FIELDS
              if name in RULE_MESSAGES and not form[name]}
    qualified = _number(form["qualified_percent"])
    body = {"quorum_ballots": form["quorum_ballots"], "quorum_percent": _number(form["quorum_percent"]),
            "majority": form["majority"], "tie": form["tie"], "live_results": form["live_results"] == "yes",
            "support_threshold": form["support_threshold"],
            "qualified_fraction": round(qualified / 100, 6) if isinstance(qualified, float) else qualified}
    return body, errors


@bp.route("/m/<municipality>/staff/processes/<process_id>/voting-rules", methods=["GET", "POST"])
@staff_only
def staff_process_rules(process_id):
    process = process_or_404(process_id)
    answer = fetch("process_voting_rules", process_id=process["id"])
    form = _rules_form(answer.json() if answer.status_code == 200 else {})
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        form = {name: (request.form.get(name) or "").strip() for name in RULE_FIELDS}
        body, errors = _rules_body(form)
        if not errors:
            saved = fetch("set_process_voting_rules", process_id=process["id"], json=body)
            if saved.status_code == 200:
                flash(_("The voting rules were saved. Votes of this process that open from now on follow them."),
                      "success")
                return redirect(url_for("pages.staff_process", process_id=process["id"], _anchor="rules"))
            found = problem_json(saved)
            found["qualified_percent"] = found.pop("qualified_fraction", None)
            errors = {name: [RULE_MESSAGES[name]()] for name in simple_errors(
                {k: v for k, v in found.items() if v}, RULE_FIELDS) if name in RULE_MESSAGES}
            errors = errors or {"_form": [refusal(saved)]}
        errors, status = in_order(errors, RULE_FIELDS), 422
    title, title_lang = title_of(process)
    return render("staff_processes_rules.html", status, process=process, process_title=title,
                  process_title_lang=title_lang,
                  form=form, errors=errors, majorities=majority_labels(), ties=tie_labels())
