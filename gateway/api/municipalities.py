"""Public API: municipalities, the gateway's own data (hand-written: they are stored here, not
relayed). Their rows are in `gateway.routes.MUNICIPALITIES`."""
import base64
import binascii

from flask import Response, g

from gateway import municipalities
from gateway.api.common import blp
from gateway.api.relay import admitted, doc_of
from gateway.routes import BY_NAME
from gateway.schemas import MunicipalityIn, MunicipalityOut, MunicipalityPatch
from services.errors import DomainError, NotFound


def _image(data: dict) -> dict:
    """The body with its base64 coat of arms decoded (422 with the field when it is not base64)."""
    data = dict(data)
    if "coat_of_arms_base64" in data:
        try:
            data["coat_of_arms"] = base64.b64decode(data.pop("coat_of_arms_base64"), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DomainError("The coat of arms is not valid base64.", errors={
                "json": {"coat_of_arms_base64": ["Not valid base64."]}}) from exc
    return data


@blp.get("/municipalities")
@blp.response(200, MunicipalityOut(many=True))
@blp.doc(**doc_of(BY_NAME["list_municipalities"]))
def list_municipalities():
    return list(municipalities.all_municipalities().values())


@blp.get("/municipalities/<code>")
@blp.response(200, MunicipalityOut)
@blp.doc(**doc_of(BY_NAME["get_municipality"]))
def get_municipality(code):
    return municipalities.get(code)


@blp.get("/municipalities/<code>/coat-of-arms")
@blp.doc(**doc_of(BY_NAME["coat_of_arms"]))
def coat_of_arms(code):
    found = municipalities.get(code)
    if not found.coat_of_arms:
        raise NotFound("This municipality has no coat of arms.")
    return Response(found.coat_of_arms, mimetype=found.coat_of_arms_type,
                    headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"})


@blp.post("/municipalities")
@admitted(BY_NAME["create_municipality"])
@blp.arguments(MunicipalityIn)
@blp.response(201, MunicipalityOut)
@blp.doc(**doc_of(BY_NAME["create_municipality"]))
def create_municipality(data):
    return municipalities.create(g.caller, _image(data))


@blp.patch("/municipalities/<code>")
@admitted(BY_NAME["update_municipality"])
@blp.arguments(MunicipalityPatch(partial=True))
@blp.response(200, MunicipalityOut)
@blp.doc(**doc_of(BY_NAME["update_municipality"]))
def update_municipality(data, code):
    return municipalities.update(g.caller, code, _image(data))
