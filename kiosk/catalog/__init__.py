"""The service catalogue (事项清单): items, guides and forms (``model``), and the field kinds
with their rules (``fields``)."""
