"""The demo company: a fictional French B2B SaaS vendor with a known ground truth."""

from pilotage.data.demo.config import DemoConfig
from pilotage.data.demo.generate import DemoCompany, generate

__all__ = ["DemoCompany", "DemoConfig", "generate"]
