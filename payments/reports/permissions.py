"""Who reads the cashless reports: Diskominfo and superusers (marketplace.access.is_diskominfo);
anyone else, a seller included, gets 403 (a stranger the login page)."""

from __future__ import annotations

from marketplace.access import is_diskominfo as may_read_reports

__all__ = ["may_read_reports"]
