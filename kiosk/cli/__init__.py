"""The ``kiosk`` command line: the composition root (``main``), the scripted demo (``demo``)
and the technician's ``kiosk device`` tools (``device`` and ``device_*``). Only here may the
embedded centre be started."""
