"""HTTP API of register imports run as jobs (its own blueprint: an upload may be larger than the
service's usual body limit, on these routes only)."""
from flask import Response, request
from flask_smorest import Blueprint

from services.auth import caller
from voting import register_imports
from voting.import_schemas import MAX_UPLOAD_BODY_BYTES, ImportJobOut, RegisterUploadIn, RejectionsArgs, RejectionsOut

blp = Blueprint("register_imports", __name__, url_prefix="/api")


@blp.before_app_request  # an app-wide hook made before the kit's, which reads JSON bodies
def larger_bodies():
    """A register file of up to MAX_UPLOAD_BYTES travels in the upload's JSON body."""
    if request.endpoint == "register_imports.upload":
        request.max_content_length = MAX_UPLOAD_BODY_BYTES


@blp.post("/eligibility/imports")
@blp.arguments(RegisterUploadIn)
@blp.response(202, ImportJobOut)
def upload(data):
    return register_imports.upload(caller(), data["csv"], replace=data["replace"], filename=data["filename"])


@blp.get("/eligibility/imports/<job_id>")
@blp.response(200, ImportJobOut)
def job(job_id):
    return register_imports.get(caller(), job_id)


@blp.post("/eligibility/imports/<job_id>/confirm")
@blp.response(200, ImportJobOut)
def confirm(job_id):
    return register_imports.confirm(caller(), job_id)


@blp.post("/eligibility/imports/<job_id>/cancel")
@blp.response(200, ImportJobOut)
def cancel(job_id):
    return register_imports.cancel(caller(), job_id)


@blp.get("/eligibility/imports/<job_id>/rejections")
@blp.arguments(RejectionsArgs, location="query")
@blp.response(200, RejectionsOut)
def rejections(args, job_id):
    return register_imports.rejections(caller(), job_id, args["page"], args["per_page"])


@blp.get("/eligibility/imports/<job_id>/rejections.csv")
def rejections_csv(job_id):
    """The rejected rows as CSV: row, code, reason."""
    text = register_imports.rejections_csv(caller(), job_id)
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="register-import-{job_id}-rejected.csv"'})
