"""Reads about reports shared by several views, one module per sub-domain.

- ``reports``: Reports a person may see: the public list, one's own, those nearby, a
  field service's queue and whether a report is overdue.
- ``stats``: Public figures of the reports, their cache and its key.
- ``map``: The map of public reports at any zoom and the SQL that writes it.
- ``geojson``: Public reports as GeoJSON, written by the database.
"""
