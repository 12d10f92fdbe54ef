"""The manager's service-quality screens: negative-rating follow-ups and the 首问负责 log."""

from counter_app.gui.quality.followups import FollowUpList
from counter_app.gui.quality.inquiries import InquiryLog

__all__ = ["FollowUpList", "InquiryLog"]
