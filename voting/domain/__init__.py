"""Pure rules of votes (no I/O), a module per concern: `states` (states, who may act, windows,
gates, receipts), `outcome` (majorities, quorums, the decision), `register` (eligibility),
`comments` (deliberation) and `approval` (approval ballots)."""
from voting.domain.states import (PUBLISHED, OPEN, CLOSED, GATES, stripe, CHOICES, empty_tally,
                                  check_can_open, check_can_close, check_can_cast, apply_ballot, check_window,
                                  due, receipt_code, receipt_digest)
from voting.domain.outcome import (MAJORITIES, TIE_RULES, Rules, check_rules, Decision, decide,
                                   ELECTORATE_AT_OPENING, ELECTORATE_AT_CLOSE, quorum_needed,
                                   conclusion_facts, outcome, check_results_visible)
from voting.domain.register import (REFERENCE, REASONS, RowRejected, normalise_reference, parse_birth_date, check_row,
                                    EligibilityRule, RegisterAndBirthDate, RULES, check_can_vote)
from voting.domain.comments import (ALIGNMENTS, VISIBLE, DELETED, HIDDEN, MAX_DEPTH, check_can_comment,
                                    reply_depth, check_can_edit, check_can_delete, check_can_hide,
                                    check_can_endorse, top_arguments, argument_counts, THREADS_PER_PAGE,
                                    thread_page)
from voting.domain.approval import (check_selections, apply_approval, rank)

__all__ = ["PUBLISHED", "OPEN", "CLOSED", "GATES", "stripe", "CHOICES", "empty_tally", "check_can_open",
           "check_can_close", "check_can_cast", "apply_ballot", "check_window", "due", "receipt_code",
           "receipt_digest", "MAJORITIES", "TIE_RULES", "Rules", "check_rules", "Decision", "decide",
           "ELECTORATE_AT_OPENING", "ELECTORATE_AT_CLOSE", "quorum_needed", "conclusion_facts", "outcome",
           "check_results_visible", "REFERENCE", "REASONS", "RowRejected", "normalise_reference", "parse_birth_date",
           "check_row", "EligibilityRule", "RegisterAndBirthDate", "RULES", "check_can_vote", "ALIGNMENTS",
           "VISIBLE", "DELETED", "HIDDEN", "MAX_DEPTH", "check_can_comment", "reply_depth", "check_can_edit",
           "check_can_delete", "check_can_hide", "check_can_endorse", "top_arguments", "argument_counts",
           "check_selections", "apply_approval", "rank"]
