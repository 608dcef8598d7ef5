"""Public API: staff's defences against bursts of registrations and supports (gateway.blocks), the
gateway's own data. Their rows are in `gateway.routes.ABUSE`."""
from flask import g

from gateway import blocks, blocks_undo
from gateway.api.common import blp
from gateway.api.relay import admitted, doc_of
from gateway.routes import BY_NAME
from gateway.schemas import (AbuseActionOut, AbuseBlockIn, AbuseBlockOut, BurstArgs, BurstOut, InvalidationIn,
                             InvalidationOut)


@blp.get("/m/<municipality>/abuse/blocks")
@admitted(BY_NAME["list_abuse_blocks"])
@blp.response(200, AbuseBlockOut(many=True))
@blp.doc(**doc_of(BY_NAME["list_abuse_blocks"]))
def list_abuse_blocks():
    return blocks.list_blocks(g.caller)


@blp.post("/m/<municipality>/abuse/blocks")
@admitted(BY_NAME["add_abuse_block"])
@blp.arguments(AbuseBlockIn)
@blp.response(201, AbuseBlockOut)
@blp.doc(**doc_of(BY_NAME["add_abuse_block"]))
def add_abuse_block(data):
    return blocks.add_block(g.caller, data)


@blp.delete("/m/<municipality>/abuse/blocks/<block_id>")
@admitted(BY_NAME["remove_abuse_block"])
@blp.response(200, AbuseBlockOut)
@blp.doc(**doc_of(BY_NAME["remove_abuse_block"]))
def remove_abuse_block(block_id):
    return blocks.remove_block(g.caller, block_id)


@blp.get("/m/<municipality>/abuse/bursts")
@admitted(BY_NAME["abuse_bursts"])
@blp.arguments(BurstArgs, location="query")
@blp.response(200, BurstOut(many=True))
@blp.doc(**doc_of(BY_NAME["abuse_bursts"]))
def abuse_bursts(args):
    return blocks.bursts(g.caller, args["kind"], args["by"], args["minutes"])


@blp.post("/m/<municipality>/abuse/invalidations")
@admitted(BY_NAME["invalidate_burst"])
@blp.arguments(InvalidationIn)
@blp.response(200, InvalidationOut)
@blp.doc(**doc_of(BY_NAME["invalidate_burst"]))
def invalidate_burst(data):
    return blocks_undo.invalidate(g.caller, data)


@blp.get("/m/<municipality>/abuse/actions")
@admitted(BY_NAME["abuse_actions"])
@blp.response(200, AbuseActionOut(many=True))
@blp.doc(**doc_of(BY_NAME["abuse_actions"]))
def abuse_actions():
    return blocks.actions(g.caller)
