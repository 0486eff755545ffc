"""Pilotage: prove and steer the return of every marketing euro."""

__version__ = "0.1.0"
