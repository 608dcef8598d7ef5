"""Pages of platform operators: the platform's status (the same document as GET
/api/v1/operations/status, measured when the page is asked for; reload to measure again)."""
from __future__ import annotations

from gateway.api.operations import platform_status
from gateway.pages.blueprint import bp
from gateway.pages.render import render
from gateway.pages.session import current_caller, sign_in_required


@bp.get("/operator/status")
@sign_in_required
def operator_status():
    status = platform_status(current_caller())  # Forbidden (a 403 page) for anyone but operators
    lags = [(part["consumer"]["group"], topic, entry) for part in status["parts"]
            for topic, entry in ((part.get("consumer") or {}).get("topics") or {}).items()]
    figures = [(part["service"], part["figures"]) for part in status["parts"] if part.get("figures")]
    return render("operator_status.html", status=status, lags=lags, figures=figures)
