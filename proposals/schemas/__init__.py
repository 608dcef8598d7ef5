"""Request and response schemas of the proposals API, by area: `proposals`, `desk` (moderation),
`processes` (and themes), on the vocabulary in `common`. The gateway reuses them: they are the
service's published contract."""
from proposals.schemas.common import (
    LANGUAGES,
    SORTS,
    CODE,
    Title,
    Summary,
    Body,
    Tags,
    Texts,
    TranslationIn,
    Translations,
)
from proposals.schemas.proposals import (
    ProposalIn,
    ProposalEditIn,
    SimilarIn,
    WorkshopIn,
    WorkshopInputIn,
    SimilarOut,
    ProposalOut,
    VersionOut,
    ListArgs,
    ProposalPage,
)
from proposals.schemas.desk import (
    ModerationIn,
    BulkIn,
    BulkResult,
    BulkOut,
    ReportIn,
    ReportOut,
    DuplicateIn,
    BlockIn,
    BlockOut,
    SettingsIn,
    SettingsOut,
    QueueArgs,
    ReporterOut,
    QueueItemOut,
    QueueOut,
    AuditArgs,
    AuditOut,
    AuditPage,
    ReasonOut,
)
from proposals.schemas.processes import (
    PhaseIn,
    ProcessIn,
    ProcessEditIn,
    ProcessOut,
    ThemeIn,
    ThemeOut,
)

__all__ = [
    "AuditArgs", "AuditOut", "AuditPage", "BlockIn", "BlockOut", "Body", "BulkIn", "BulkOut", "BulkResult",
    "CODE", "DuplicateIn", "LANGUAGES", "ListArgs", "ModerationIn", "PhaseIn", "ProcessEditIn", "ProcessIn",
    "ProcessOut", "ProposalEditIn", "ProposalIn", "ProposalOut", "ProposalPage", "QueueArgs", "QueueItemOut",
    "QueueOut", "ReasonOut", "ReportIn", "ReportOut", "ReporterOut", "SORTS", "SettingsIn", "SettingsOut",
    "SimilarIn", "SimilarOut", "Summary", "Tags", "Texts", "ThemeIn", "ThemeOut", "Title", "TranslationIn",
    "Translations", "VersionOut", "WorkshopIn", "WorkshopInputIn",
]
from proposals.schemas.opendata import ProposalRow, ProposalsExport  # noqa: E402,F401  (open data)
