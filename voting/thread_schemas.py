"""The schemas of comments, and of a discussion read a page at a time (GET /api/votes/<id>/comments)."""
from marshmallow import Schema, fields, validate

from services.fields import Integer
from voting.domain import THREADS_PER_PAGE


class CommentOut(Schema):
    id = fields.Str()
    proposal_id = fields.Str(attribute="vote_id")
    parent_id = fields.Str(allow_none=True)
    depth = Integer()
    author_id = fields.Str()
    alignment = fields.Str()
    body = fields.Str(allow_none=True)
    status = fields.Str()
    hidden_reason = fields.Str(allow_none=True)
    posted_at = fields.DateTime()
    edited_at = fields.DateTime(allow_none=True)
    endorsements = Integer()
    reports = Integer()


class CountsOut(Schema):
    for_ = Integer(data_key="for", attribute="for")
    against = Integer()
    neutral = Integer()


class ThreadCommentOut(CommentOut):
    author_number = Integer(metadata={"description": "The author's number in this discussion, in order of "
                                                     "their first comment (comments carry no names)."})


class TopCommentOut(ThreadCommentOut):
    page = Integer(metadata={"description": "The page of the thread this argument is on."})


class TopOut(Schema):
    for_ = fields.List(fields.Nested(TopCommentOut), data_key="for", attribute="for")
    against = fields.List(fields.Nested(TopCommentOut))


class ThreadArgs(Schema):
    page = Integer(load_default=1, validate=validate.Range(min=1, max=10000),
                   metadata={"description": "A page of root comments (past the last: the last)."})
    per_page = Integer(load_default=THREADS_PER_PAGE, validate=validate.Range(min=1, max=100),
                       metadata={"description": "Root comments per page, each with all its replies."})
    around = fields.Str(validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,64}$"),
                        metadata={"description": "A comment's id: the page that holds it, whatever `page` says."})


class DeliberationOut(Schema):
    """One page of the thread; the counts and the top arguments are of the whole discussion."""

    proposal_id = fields.Str()
    counts = fields.Nested(CountsOut)
    top = fields.Nested(TopOut)
    comments = fields.List(fields.Nested(ThreadCommentOut))
    page = Integer()
    per_page = Integer()
    pages = Integer()
    threads = Integer(metadata={"description": "Root comments in the whole discussion."})
    total = Integer(metadata={"description": "Comments in the whole discussion, replies and removed ones included."})
