"""Analysis for the quality policy (regulation step 8): figures, the export, the annual report, quarterly reviews.

Every figure is computed in SQL over the tables; no workflow is loaded and nothing here imports Flask.
"""

from service.analysis.disclosure import SMALL, SUPPRESSED, for_viewer, may_export, may_see_exact, protect
from service.analysis.export import EXPORT_COLUMNS, export_rows, pseudonym
from service.analysis.figures import CLIENT_KINDS, DEADLINES, LEAD_TIMES, ROUTES, Filters, figures

__all__ = ["CLIENT_KINDS", "DEADLINES", "EXPORT_COLUMNS", "LEAD_TIMES", "ROUTES", "SMALL", "SUPPRESSED", "Filters",
           "export_rows", "figures", "for_viewer", "may_export", "may_see_exact", "protect", "pseudonym"]
