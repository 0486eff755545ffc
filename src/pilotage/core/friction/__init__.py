"""Friction: funnel steps and touchpoints whose drop-off or delay is abnormal against their
own history or their peers, and what the excess drop-offs cost."""
